//! Appending events inside the caller's transaction, so a change and its evidence commit
//! together or not at all.

use std::ops::Range;

use chrono::{DateTime, Utc};
use entity::{evidence_entries, evidence_hashes};
use sea_orm::{ActiveValue::Set, ConnectionTrait, DatabaseBackend, EntityTrait, Statement, Value};
use tlog_tiles::tlog;

use super::frontier;
use super::tree::{read_hashes, Known, TreeError};
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
    if events.is_empty() {
        let n = super::tree::size(db).await?;
        return Ok(n..n);
    }
    let backend = db.get_database_backend();
    let sql = "UPDATE evidence_head SET size = size + $1 WHERE id = 1 RETURNING size, frontier";
    let sql = if backend == DatabaseBackend::Postgres {
        sql.to_owned()
    } else {
        sql.replace("$1", "?")
    };
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [(events.len() as i64).into()],
        ))
        .await?;
    let row = row.ok_or_else(|| TreeError::Tlog("the evidence head row is missing".into()))?;
    let end = row.try_get::<i64>("", "size")? as u64;
    let start = end - events.len() as u64;
    let stored_frontier: Option<Vec<u8>> = row.try_get("", "frontier")?;
    let bodies: Vec<String> = events.iter().map(|e| e.to_entry(now)).collect();

    // Every earlier hash an append needs is on the tree's right edge, kept in the head row.
    // Without it (a log from before it was kept), learn the indexes with dummy hashes and read
    // them in one query.
    let frontier = match frontier::decode(start, stored_frontier.as_deref()) {
        Some(f) => f,
        None => read_frontier(db, start).await?,
    };
    let mut known = Known(frontier::known(start, &frontier));
    let mut entries = Vec::with_capacity(bodies.len());
    let mut hashes = Vec::new();
    let mut leaves = Vec::with_capacity(bodies.len());
    for (i, (body, event)) in bodies.into_iter().zip(events).enumerate() {
        let n = start + i as u64;
        let stored = tlog::stored_hashes(n, body.as_bytes(), &known)?;
        let first = tlog::stored_hash_index(0, n);
        for (j, h) in stored.iter().enumerate() {
            known.0.insert(first + j as u64, *h);
            hashes.push((first + j as u64, h.0.to_vec()));
        }
        leaves.push(stored[0]);
        entries.push((n, event.kind(), body, stored[0].0.to_vec()));
    }
    let new_frontier = frontier::encode(&frontier::extend(start, &frontier, &leaves));
    if backend == DatabaseBackend::Postgres && entries.len() <= CHUNK {
        // One round trip: entries, hashes and the new right edge together.
        let (sql, values) = postgres_write(&entries, &hashes, now, new_frontier);
        db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?;
        return Ok(start..end);
    }
    for chunk in chunks(entries) {
        let rows = chunk
            .into_iter()
            .map(|(n, kind, body, leaf)| evidence_entries::ActiveModel {
                idx: Set(n as i64),
                created_at: Set(now),
                kind: Set(kind.to_owned()),
                body: Set(body),
                leaf_hash: Set(leaf),
            });
        evidence_entries::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await?;
    }
    for chunk in chunks(hashes) {
        let rows = chunk
            .into_iter()
            .map(|(i, h)| evidence_hashes::ActiveModel {
                idx: Set(i as i64),
                hash: Set(h),
            });
        evidence_hashes::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await?;
    }
    let sql = if backend == DatabaseBackend::Postgres {
        "UPDATE evidence_head SET frontier = $1 WHERE id = 1"
    } else {
        "UPDATE evidence_head SET frontier = ? WHERE id = 1"
    };
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql,
        [new_frontier.into()],
    ))
    .await?;
    Ok(start..end)
}

/// The right edge of a tree of `size` leaves, read from the stored hashes.
async fn read_frontier(db: &impl ConnectionTrait, size: u64) -> Result<Vec<tlog::Hash>, TreeError> {
    let indexes: Vec<u64> = (0..64u8)
        .rev()
        .filter(|l| size >> l & 1 == 1)
        .map(|l| tlog::stored_hash_index(l, (size >> l) - 1))
        .collect();
    let found = read_hashes(db, &indexes).await?;
    indexes
        .iter()
        .map(|i| {
            found
                .get(i)
                .copied()
                .ok_or_else(|| TreeError::Tlog(format!("stored hash {i} is missing")))
        })
        .collect()
}

type EntryRow = (u64, &'static str, String, Vec<u8>);

/// `WITH e AS (INSERT entries), h AS (INSERT hashes) UPDATE head SET frontier`, numbered params.
fn postgres_write(
    entries: &[EntryRow],
    hashes: &[(u64, Vec<u8>)],
    now: DateTime<Utc>,
    frontier: Vec<u8>,
) -> (String, Vec<Value>) {
    let mut values: Vec<Value> = Vec::new();
    let next = |v: Value, values: &mut Vec<Value>| {
        values.push(v);
        format!("${}", values.len())
    };
    let e: Vec<String> = entries
        .iter()
        .map(|(n, kind, body, leaf)| {
            let cols = [
                next((*n as i64).into(), &mut values),
                next(now.into(), &mut values),
                next((*kind).into(), &mut values),
                next(body.clone().into(), &mut values),
                next(leaf.clone().into(), &mut values),
            ];
            format!("({})", cols.join(", "))
        })
        .collect();
    let h: Vec<String> = hashes
        .iter()
        .map(|(i, h)| {
            format!(
                "({}, {})",
                next((*i as i64).into(), &mut values),
                next(h.clone().into(), &mut values)
            )
        })
        .collect();
    let f = next(frontier.into(), &mut values);
    let sql = format!(
        "WITH e AS (INSERT INTO evidence_entries (idx, created_at, kind, body, leaf_hash) VALUES {}), h AS (INSERT INTO evidence_hashes (idx, hash) VALUES {}) UPDATE evidence_head SET frontier = {f} WHERE id = 1",
        e.join(", "),
        h.join(", ")
    );
    (sql, values)
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
