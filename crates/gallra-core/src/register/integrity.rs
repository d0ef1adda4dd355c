//! Whether the register the store shows is the one the evidence log committed to: every stored
//! version (service, organisation, datasource) hashes to its content hash, and that hash is the
//! one its `register_version` entry holds; every entry's current body is its latest version's;
//! every recorded version is still stored. Run after the log itself verifies.

use std::collections::{HashMap, HashSet};

use entity::{evidence_queue, register_entries, register_versions};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::canonical::sha256_hex;
use super::history::{recorded_versions_checked, Recorded};

/// Version rows read at a time: bodies are a few kilobytes each.
const BATCH: u64 = 500;

#[derive(Debug, thiserror::Error)]
pub enum IntegrityError {
    /// The store and the log disagree: names the first version or entry that does not match.
    #[error("{0}")]
    Bad(String),
    #[error(transparent)]
    Db(#[from] DbErr),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IntegritySummary {
    /// Version rows checked against their evidence.
    pub versions: u64,
    /// Versions whose event is committed but still queued (not yet in the tree).
    pub queued: u64,
}

fn bad<T>(msg: String) -> Result<T, IntegrityError> {
    Err(IntegrityError::Bad(msg))
}

type VersionKey = (String, String, i32);

/// Check every stored register version and entry against the log, in the order written.
pub async fn check(db: &impl ConnectionTrait) -> Result<IntegritySummary, IntegrityError> {
    let entries = register_entries::Entity::find().all(db).await?;
    let names: HashMap<i32, (String, String)> = entries
        .iter()
        .map(|e| (e.id, (e.kind.clone(), e.key.clone())))
        .collect();
    let mut by_index: HashMap<i64, Recorded> = HashMap::new();
    let mut by_key: HashMap<VersionKey, i64> = HashMap::new();
    for r in recorded_versions_checked(db).await? {
        let r = r.map_err(|idx| {
            IntegrityError::Bad(format!("entry {idx}: not a register_version event"))
        })?;
        by_key
            .entry((r.entry.clone(), r.key.clone(), r.version))
            .or_insert(r.idx);
        by_index.insert(r.idx, r);
    }
    let queued = queued_versions(db).await?;
    let mut summary = IntegritySummary {
        versions: 0,
        queued: 0,
    };
    let mut seen: HashSet<i64> = HashSet::new();
    // (entry id, version) → (content hash, retired), for the entries' check.
    let mut stored: HashMap<(i32, i32), (String, bool)> = HashMap::new();
    let mut after = 0;
    loop {
        let rows = register_versions::Entity::find()
            .filter(register_versions::Column::Id.gt(after))
            .order_by_asc(register_versions::Column::Id)
            .limit(BATCH)
            .all(db)
            .await?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        for v in rows {
            let (kind, key) = names.get(&v.entry_id).cloned().unwrap_or_default();
            let name = format!("register version {kind} `{key}` v{}", v.version);
            if sha256_hex(v.body.as_bytes()) != v.content_hash {
                return bad(format!(
                    "{name}: its body does not hash to its content hash"
                ));
            }
            let wanted = (kind, key, v.version);
            let idx = v.evidence_index.or_else(|| by_key.get(&wanted).copied());
            match idx.and_then(|i| by_index.get(&i)) {
                Some(r) => {
                    check_recorded(&name, &wanted, &v, r)?;
                    seen.insert(r.idx);
                }
                None if v.evidence_index.is_none() && queued.contains(&wanted) => {
                    summary.queued += 1
                }
                None => {
                    return bad(format!(
                        "{name}: no register_version entry in the log records it"
                    ))
                }
            }
            stored.insert((v.entry_id, v.version), (v.content_hash, v.retired));
            summary.versions += 1;
        }
    }
    for e in &entries {
        check_entry(e, &stored)?;
    }
    if let Some(r) = by_index
        .values()
        .filter(|r| !seen.contains(&r.idx))
        .min_by_key(|r| r.idx)
    {
        return bad(format!(
            "entry {}: it records register version {} `{}` v{}, which the store no longer holds",
            r.idx, r.entry, r.key, r.version
        ));
    }
    Ok(summary)
}

/// The entry at a version's index records that version, with that content and retirement.
fn check_recorded(
    name: &str,
    wanted: &VersionKey,
    v: &register_versions::Model,
    r: &Recorded,
) -> Result<(), IntegrityError> {
    if (&r.entry, &r.key, r.version) != (&wanted.0, &wanted.1, wanted.2) {
        return bad(format!(
            "{name}: its evidence entry {} records {} `{}` v{} instead",
            r.idx, r.entry, r.key, r.version
        ));
    }
    if r.content_hash != v.content_hash {
        return bad(format!(
            "{name}: its content hash is not the one evidence entry {} committed to",
            r.idx
        ));
    }
    if r.retired != v.retired {
        return bad(format!(
            "{name}: evidence entry {} says retired = {}",
            r.idx, r.retired
        ));
    }
    Ok(())
}

/// An entry's current body is its latest version's, and it is retired exactly when that is.
fn check_entry(
    e: &register_entries::Model,
    stored: &HashMap<(i32, i32), (String, bool)>,
) -> Result<(), IntegrityError> {
    let name = format!("register entry {} `{}`", e.kind, e.key);
    if sha256_hex(e.body.as_bytes()) != e.content_hash {
        return bad(format!(
            "{name}: its body does not hash to its content hash"
        ));
    }
    match stored.get(&(e.id, e.current_version)) {
        None => bad(format!(
            "{name}: its current version v{} is not stored",
            e.current_version
        )),
        Some((hash, _)) if *hash != e.content_hash => bad(format!(
            "{name}: its content is not that of its version v{}",
            e.current_version
        )),
        Some((_, retired)) if *retired != e.retired_at.is_some() => bad(format!(
            "{name}: it is {} but its version v{} says otherwise",
            if e.retired_at.is_some() {
                "retired"
            } else {
                "live"
            },
            e.current_version
        )),
        Some(_) => Ok(()),
    }
}

/// Versions whose event is committed but still queued: not yet verifiable, not an error.
async fn queued_versions(db: &impl ConnectionTrait) -> Result<HashSet<VersionKey>, DbErr> {
    let bodies: Vec<String> = evidence_queue::Entity::find()
        .select_only()
        .column(evidence_queue::Column::Body)
        .filter(evidence_queue::Column::Kind.eq("register_version"))
        .into_tuple()
        .all(db)
        .await?;
    Ok(bodies
        .iter()
        .filter_map(|b| serde_json::from_str::<Recorded>(b).ok())
        .map(|r| (r.entry, r.key, r.version))
        .collect())
}
