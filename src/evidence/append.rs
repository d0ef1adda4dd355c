//! Appending events inside the caller's transaction, so a change and its evidence commit
//! together or not at all.

use std::ops::Range;

use chrono::{DateTime, Utc};
use entity::{evidence_entries, evidence_hashes};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, Statement};
use tlog_tiles::tlog;

use super::tree::{read_hashes, Known, TreeError, Wanted};
use super::Event;

/// Rows per INSERT: far below SQLite's and PostgreSQL's bind-parameter limits.
const CHUNK: usize = 1_000;

/// Append one event; returns its index.
pub async fn append(
    db: &impl ConnectionTrait,
    event: &Event,
    now: DateTime<Utc>,
) -> Result<u64, TreeError> {
    Ok(append_all(db, std::slice::from_ref(event), now)
        .await?
        .start)
}

/// Append events in order; returns their index range. The first statement reserves the range
/// and takes the lock on the head row (a row lock on PostgreSQL, the write lock on SQLite)
/// until commit, so concurrent writers, in one process or many, extend one contiguous tree.
pub async fn append_all(
    db: &impl ConnectionTrait,
    events: &[Event],
    now: DateTime<Utc>,
) -> Result<Range<u64>, TreeError> {
    let k = events.len() as i64;
    let sql = "UPDATE evidence_head SET size = size + $1 WHERE id = 1 RETURNING size";
    let sql = if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        sql.to_owned()
    } else {
        sql.replace("$1", "?")
    };
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            sql,
            [k.into()],
        ))
        .await?;
    let end = row
        .ok_or_else(|| TreeError::Tlog("the evidence head row is missing".into()))?
        .try_get::<i64>("", "size")? as u64;
    let start = end - events.len() as u64;
    let bodies: Vec<String> = events.iter().map(|e| e.to_entry(now)).collect();

    // Which earlier stored hashes the batch needs depends only on its indexes: learn them with
    // dummy hashes, read them in one query, then compute for real.
    let base = tlog::stored_hash_index(0, start);
    let wanted = Wanted::default();
    for (i, body) in bodies.iter().enumerate() {
        tlog::stored_hashes(start + i as u64, body.as_bytes(), &wanted)?;
    }
    let earlier: Vec<u64> = wanted.indexes().into_iter().filter(|&i| i < base).collect();
    // Hashes read from the store, plus those computed earlier in this batch.
    let mut known = Known(read_hashes(db, &earlier).await?);
    let mut entries = Vec::with_capacity(bodies.len());
    let mut hashes = Vec::new();
    for (i, (body, event)) in bodies.into_iter().zip(events).enumerate() {
        let n = start + i as u64;
        let stored = tlog::stored_hashes(n, body.as_bytes(), &known)?;
        let first = tlog::stored_hash_index(0, n);
        for (j, h) in stored.iter().enumerate() {
            known.0.insert(first + j as u64, *h);
            hashes.push(evidence_hashes::ActiveModel {
                idx: Set((first + j as u64) as i64),
                hash: Set(h.0.to_vec()),
            });
        }
        entries.push(evidence_entries::ActiveModel {
            idx: Set(n as i64),
            created_at: Set(now),
            kind: Set(event.kind().to_owned()),
            body: Set(body),
            leaf_hash: Set(stored[0].0.to_vec()),
        });
    }
    for chunk in chunks(entries) {
        evidence_entries::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    for chunk in chunks(hashes) {
        evidence_hashes::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    Ok(start..end)
}

fn chunks<T>(mut rows: Vec<T>) -> Vec<Vec<T>> {
    let mut out = Vec::new();
    while rows.len() > CHUNK {
        let rest = rows.split_off(CHUNK);
        out.push(std::mem::replace(&mut rows, rest));
    }
    if !rows.is_empty() {
        out.push(rows);
    }
    out
}
