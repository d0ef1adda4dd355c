//! Appending one event, inside the caller's transaction, so a change and its evidence commit
//! together or not at all.

use chrono::{DateTime, Utc};
use entity::{evidence_entries, evidence_hashes};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, Statement};
use tlog_tiles::tlog;

use super::tree::{with_hashes, Dyn, TreeError};
use super::Event;

/// Append `event`; returns its index. Serialised by the lock on the head row: the first
/// statement takes it (row lock on PostgreSQL, the write lock on SQLite) until commit, so
/// concurrent writers, in one process or many, get contiguous indexes and one tree.
pub async fn append(
    db: &impl ConnectionTrait,
    event: &Event,
    now: DateTime<Utc>,
) -> Result<u64, TreeError> {
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_string(
        backend,
        "UPDATE evidence_head SET size = size WHERE id = 1",
    ))
    .await?;
    let n = super::tree::size(db).await?;
    let body = event.to_entry(now);
    let hashes = with_hashes(db, |r| tlog::stored_hashes(n, body.as_bytes(), &Dyn(r))).await?;
    let leaf = hashes[0];
    evidence_entries::Entity::insert(evidence_entries::ActiveModel {
        idx: Set(n as i64),
        created_at: Set(now),
        kind: Set(event.kind().to_owned()),
        body: Set(body),
        leaf_hash: Set(hex::encode(leaf.0)),
    })
    .exec_without_returning(db)
    .await?;
    let first = tlog::stored_hash_index(0, n);
    let rows: Vec<_> = hashes
        .iter()
        .enumerate()
        .map(|(i, h)| evidence_hashes::ActiveModel {
            idx: Set((first + i as u64) as i64),
            hash: Set(hex::encode(h.0)),
        })
        .collect();
    evidence_hashes::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await?;
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        update_head(backend),
        [((n + 1) as i64).into()],
    ))
    .await?;
    Ok(n)
}

fn update_head(backend: sea_orm::DatabaseBackend) -> &'static str {
    match backend {
        sea_orm::DatabaseBackend::Postgres => "UPDATE evidence_head SET size = $1 WHERE id = 1",
        _ => "UPDATE evidence_head SET size = ? WHERE id = 1",
    }
}
