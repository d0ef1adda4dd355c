//! Recovering a store whose key is lost for good: a new key takes the old one's place in the
//! store's record, and the replacement is an evidence entry (which key, the old and new
//! fingerprint or verifier key, the SHA-256 of the reason), signed by the next checkpoint.
//!
//! What is lost with the old key stays lost, and the entry says when: keyed hashes made before
//! (anonymized values, review commitments) no longer match new ones; checkpoints signed before
//! verify with the old verifier key, which the entry names.

use std::path::Path;

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use sha2::{Digest, Sha256};

use super::record::{self, exec};
use crate::evidence::{self, Event, Keys};
use crate::secrets::InstallationKey;

/// Which keys to replace.
#[derive(Debug, Clone, Copy, Default)]
pub struct Which {
    pub installation: bool,
    pub evidence: bool,
}

/// One key replaced: its name, the old and new fingerprint (installation key) or verifier key.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Replaced {
    pub key: &'static str,
    pub old: String,
    pub new: String,
    pub evidence_index: Option<i64>,
}

/// Replace the lost keys `which` names. A key whose file is still there is not lost: it is
/// refused, so a present key is never overwritten or orphaned.
pub async fn rekey(
    db: &DatabaseConnection,
    data_dir: &Path,
    which: Which,
    reason: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<Replaced>> {
    anyhow::ensure!(
        which.installation || which.evidence,
        "name a key to replace: --installation, --evidence or both"
    );
    let reason = crate::text::REASON.check(reason)?;
    let recorded = record::read(db).await?.ok_or_else(|| {
        anyhow::anyhow!("this store has no keys recorded yet: any command that opens it makes them")
    })?;
    let reason_sha256 = hex::encode(Sha256::digest(reason.as_bytes()));
    let mut replaced = Vec::new();
    let mut files: Vec<Box<dyn FnOnce() -> anyhow::Result<std::path::PathBuf>>> = Vec::new();
    let txn = crate::db::begin_write(db).await?;
    if which.installation {
        let found = InstallationKey::find(data_dir)?;
        anyhow::ensure!(found.made, "{} is there: the installation key is not lost (move the file away first if it is not this installation's)", found.path.display());
        let new = found.key.fingerprint();
        exec(
            &txn,
            "UPDATE installation SET key_fingerprint = {1} WHERE id = 1",
            [new.clone().into()],
        )
        .await?;
        replaced.push(Replaced {
            key: "installation",
            old: recorded.key_fingerprint.clone(),
            new,
            evidence_index: None,
        });
        files.push(Box::new(move || {
            found.key.save(&found.path).map(|_| found.path)
        }));
    }
    if which.evidence {
        let found = Keys::find(data_dir)?;
        anyhow::ensure!(found.made, "{} is there: the evidence signing key is not lost (move the file away first if it is not this installation's)", found.path.display());
        // The log keeps its origin: the new key signs under the old key's name.
        let old = recorded.verifier_key.clone().unwrap_or_default();
        let origin = old
            .split('+')
            .next()
            .filter(|o| !o.is_empty())
            .unwrap_or(&found.key.origin)
            .to_owned();
        let key = Keys::generate(&origin)?;
        let new = key.verifier_key.clone();
        exec(
            &txn,
            "UPDATE installation SET verifier_key = {1} WHERE id = 1",
            [new.clone().into()],
        )
        .await?;
        replaced.push(Replaced {
            key: "evidence-signing",
            old,
            new,
            evidence_index: None,
        });
        let path = found.path;
        files.push(Box::new(move || key.save(&path).map(|_| path)));
    }
    for r in &mut replaced {
        let event = Event::KeyReplaced {
            key: r.key.to_owned(),
            old: r.old.clone(),
            new: r.new.clone(),
            reason_sha256: reason_sha256.clone(),
        };
        evidence::append(&txn, &event, now).await?;
    }
    // The files first: a commit without them would lock the store out again. A commit that
    // fails takes them back.
    let mut saved = Vec::new();
    for save in files {
        match save() {
            Ok(p) => saved.push(p),
            Err(e) => return Err(remove_all(&saved, e)),
        }
    }
    if let Err(e) = txn.commit().await {
        return Err(remove_all(&saved, e.into()));
    }
    let (keys, _) = super::open_keys(db, data_dir).await?;
    evidence::sign_checkpoint(db, &keys, now).await?;
    for r in &mut replaced {
        r.evidence_index = replaced_at(db, r.key, &r.new).await?;
    }
    Ok(replaced)
}

fn remove_all(paths: &[std::path::PathBuf], e: anyhow::Error) -> anyhow::Error {
    for p in paths {
        let _ = std::fs::remove_file(p);
    }
    e
}

/// The index of the entry that recorded a replacement.
async fn replaced_at(db: &DatabaseConnection, key: &str, new: &str) -> anyhow::Result<Option<i64>> {
    Ok(evidence::replacements(db)
        .await?
        .into_iter()
        .find(|r| r.key == key && r.new == new)
        .map(|r| r.index))
}
