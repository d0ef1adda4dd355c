//! The installation's own secret: a random key (created on first start, mode 0600) for keyed
//! hashes — anonymized values, and review decisions in the evidence log.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

#[derive(Clone)]
pub struct InstallationKey([u8; 32]);

impl std::fmt::Debug for InstallationKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("InstallationKey(..)")
    }
}

impl InstallationKey {
    /// The key at `GALLRA_INSTALLATION_KEY` (a path), else `<data dir>/installation.key`; or a
    /// new one, not yet saved, with the path it is to be saved at.
    pub fn load_or_make(data_dir: &Path) -> anyhow::Result<(Self, Option<PathBuf>)> {
        let path: PathBuf = std::env::var("GALLRA_INSTALLATION_KEY")
            .ok()
            .filter(|p| !p.is_empty())
            .map(Into::into)
            .unwrap_or_else(|| data_dir.join("installation.key"));
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let mut key = [0u8; 32];
                hex::decode_to_slice(text.trim(), &mut key)
                    .with_context(|| format!("{} is not 64 hex digits", path.display()))?;
                Ok((InstallationKey(key), None))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut key = [0u8; 32];
                rand::rng().fill_bytes(&mut key);
                Ok((InstallationKey(key), Some(path)))
            }
            Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
        }
    }

    /// Save a key `load_or_make` made, readable by its owner only.
    pub fn save(&self, path: &Path) -> anyhow::Result<()> {
        write_private(path, &format!("{}\n", hex::encode(self.0)))
    }

    /// Check this key is the one `db`'s store was first used with, recording it on first use:
    /// hashes made under another key would not match those already in the datasources. A key
    /// just `made` is recorded only on a store with no history: on one already used, the key
    /// it was used with is missing here, and a new one would lock that one out.
    pub async fn check_against(
        &self,
        db: &sea_orm::DatabaseConnection,
        made: bool,
    ) -> anyhow::Result<()> {
        use sea_orm::{ConnectionTrait, Statement};
        let fingerprint = self.hmac_hex(&[b"gallra installation key fingerprint"]);
        let backend = db.get_database_backend();
        let recorded = db
            .query_one_raw(Statement::from_string(
                backend,
                "SELECT (SELECT COUNT(*) FROM installation) AS recorded, \
                 (SELECT COUNT(*) FROM (SELECT 1 FROM evidence_entries LIMIT 1) AS e) AS used",
            ))
            .await?
            .context("no answer from the store")?;
        let (recorded, used): (i64, i64) = (
            recorded.try_get("", "recorded")?,
            recorded.try_get("", "used")?,
        );
        anyhow::ensure!(
            !(made && (recorded > 0 || used > 0)),
            "no installation key here (GALLRA_INSTALLATION_KEY, else installation.key in the data folder), and this store has been used: copy the key of the installation that used it"
        );
        let (p1, p2) = match backend {
            sea_orm::DatabaseBackend::Postgres => ("$1", "$2"),
            _ => ("?", "?"),
        };
        // Two replicas starting at once: the first row written stands, and both read it.
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            format!("INSERT INTO installation (id, key_fingerprint) VALUES ({p1}, {p2}) ON CONFLICT (id) DO NOTHING"),
            [1.into(), fingerprint.clone().into()],
        ))
        .await?;
        let row = db
            .query_one_raw(Statement::from_string(
                backend,
                "SELECT key_fingerprint FROM installation WHERE id = 1",
            ))
            .await?
            .context("the installation row is missing")?;
        let recorded: String = row.try_get("", "key_fingerprint")?;
        anyhow::ensure!(
            recorded == fingerprint,
            "the installation key (GALLRA_INSTALLATION_KEY, else installation.key in the data folder) is not the one this store was first used with: keyed hashes made with it would not match those already made. Copy that installation's key here."
        );
        Ok(())
    }

    /// HMAC-SHA256 of `parts`, each length-prefixed so no two inputs collide, in hex.
    pub fn hmac_hex(&self, parts: &[&[u8]]) -> String {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.0).expect("HMAC takes any key length");
        for p in parts {
            mac.update(&(p.len() as u64).to_be_bytes());
            mac.update(p);
        }
        hex::encode(mac.finalize().into_bytes())
    }
}

/// Create `path` (and its folder) holding `contents`, readable by its owner only (0600);
/// never overwrite an existing file.
pub fn write_private(path: &Path, contents: &str) -> anyhow::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut f = options
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    f.write_all(contents.as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_separates_its_inputs() {
        let k = InstallationKey([7; 32]);
        assert_ne!(k.hmac_hex(&[b"ab", b"c"]), k.hmac_hex(&[b"a", b"bc"]));
        assert_eq!(k.hmac_hex(&[b"x"]).len(), 64);
    }
}
