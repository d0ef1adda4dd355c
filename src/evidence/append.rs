//! Appending events inside the caller's transaction, so a change and its evidence commit
//! together or not at all.

use std::ops::Range;

use chrono::{DateTime, Utc};
use entity::{evidence_entries, evidence_hashes};
use sea_orm::{ActiveValue::Set, ConnectionTrait, DatabaseBackend, EntityTrait, Statement, Value};
use tlog_tiles::tlog;

use super::tree::{read_hashes, Known, TreeError};
use super::Event;
use super::{frontier, hint};

/// Rows per INSERT on SQLite: far below its bind-parameter limit.
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

/// Append events in order; returns their index range. Every append holds the lock on the head
/// row (a row lock on PostgreSQL, the write lock on SQLite) until commit, so concurrent
/// writers, in one process or many, extend one contiguous tree.
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
    let bodies: Vec<String> = events.iter().map(|e| e.to_entry(now)).collect();
    if backend == DatabaseBackend::Postgres {
        if let Some((start, edge)) = hint::get() {
            let built = build(start, &edge, events, &bodies)?;
            let expected = frontier::encode(&edge);
            if postgres_write(db, &built, now, Some(expected)).await? {
                hint::set(built.end(), built.edge.clone());
                return Ok(start..built.end());
            }
            hint::missed();
        }
    }
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

    // Every earlier hash an append needs is on the tree's right edge, kept in the head row.
    // Without it (a log from before it was kept), learn the indexes with dummy hashes and read
    // them in one query.
    let edge = match frontier::decode(start, stored_frontier.as_deref()) {
        Some(f) => f,
        None => read_frontier(db, start).await?,
    };
    let built = build(start, &edge, events, &bodies)?;
    if backend == DatabaseBackend::Postgres {
        if !postgres_write(db, &built, now, None).await? {
            return Err(TreeError::Tlog("the evidence head row is missing".into()));
        }
        hint::set(end, built.edge);
    } else {
        write_in_chunks(db, built, now).await?;
    }
    Ok(start..end)
}

/// The rows an append writes, and the right edge after it.
struct Built {
    start: u64,
    entries: Vec<EntryRow>,
    hashes: Vec<(u64, Vec<u8>)>,
    edge: Vec<tlog::Hash>,
}

impl Built {
    fn end(&self) -> u64 {
        self.start + self.entries.len() as u64
    }
}

/// The entries' leaf hashes and every stored hash they complete, from the right edge alone.
fn build(
    start: u64,
    edge: &[tlog::Hash],
    events: &[Event],
    bodies: &[String],
) -> Result<Built, TreeError> {
    let mut known = Known(frontier::known(start, edge));
    let mut entries = Vec::with_capacity(bodies.len());
    let mut hashes = Vec::new();
    let mut leaves = Vec::with_capacity(bodies.len());
    for (i, (body, event)) in bodies.iter().zip(events).enumerate() {
        let n = start + i as u64;
        let stored = tlog::stored_hashes(n, body.as_bytes(), &known)?;
        let first = tlog::stored_hash_index(0, n);
        for (j, h) in stored.iter().enumerate() {
            known.0.insert(first + j as u64, *h);
            hashes.push((first + j as u64, h.0.to_vec()));
        }
        leaves.push(stored[0]);
        entries.push((n, event.kind(), body.clone(), stored[0].0.to_vec()));
    }
    Ok(Built {
        start,
        entries,
        hashes,
        edge: frontier::extend(start, edge, &leaves),
    })
}

/// Entries, hashes and the new right edge in statements of at most `CHUNK` rows, after the
/// head row's size has been reserved.
async fn write_in_chunks(
    db: &impl ConnectionTrait,
    built: Built,
    now: DateTime<Utc>,
) -> Result<(), TreeError> {
    let backend = db.get_database_backend();
    for chunk in chunks(built.entries) {
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
    for chunk in chunks(built.hashes) {
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
        [frontier::encode(&built.edge).into()],
    ))
    .await?;
    Ok(())
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

/// One PostgreSQL statement writes the entries, their hashes and the new right edge, whatever
/// their number (arrays, so the text is constant and prepared once). Without `expected` the
/// caller already holds the head row. With it, the head row is taken only if it still holds
/// the built rows' start as its size and `expected` as its right edge — otherwise nothing is written and this returns false. A
/// concurrent appender's lock makes the guard wait, then re-read the row.
async fn postgres_write(
    db: &impl ConnectionTrait,
    b: &Built,
    now: DateTime<Utc>,
    expected: Option<Vec<u8>>,
) -> Result<bool, TreeError> {
    let first_hash = b.hashes.first().map_or(0, |(i, _)| *i);
    // A batch's stored hashes are one contiguous run of indexes (tlog's layout).
    debug_assert!(b
        .hashes
        .iter()
        .enumerate()
        .all(|(j, (i, _))| *i == first_hash + j as u64));
    let mut values: Vec<Value> = vec![
        frontier::encode(&b.edge).into(),
        (b.start as i64).into(),
        now.into(),
        b.entries
            .iter()
            .map(|e| e.1.to_owned())
            .collect::<Vec<String>>()
            .into(),
        b.entries
            .iter()
            .map(|e| e.2.clone())
            .collect::<Vec<String>>()
            .into(),
        b.entries
            .iter()
            .map(|e| e.3.clone())
            .collect::<Vec<Vec<u8>>>()
            .into(),
        (first_hash as i64).into(),
        b.hashes
            .iter()
            .map(|h| h.1.clone())
            .collect::<Vec<Vec<u8>>>()
            .into(),
    ];
    let head = match expected {
        None => "UPDATE evidence_head SET frontier = $1 WHERE id = 1 RETURNING size",
        Some(edge) => {
            values.push((b.end() as i64).into());
            values.push(edge.into());
            "UPDATE evidence_head SET frontier = $1, size = $9 WHERE id = 1 AND size = $2 AND frontier = $10 RETURNING size"
        }
    };
    let sql = format!(
        "WITH head AS ({head}), \
         e AS (INSERT INTO evidence_entries (idx, created_at, kind, body, leaf_hash) \
               SELECT $2 + o - 1, $3, k, b, l FROM unnest($4::text[], $5::text[], $6::bytea[]) WITH ORDINALITY AS v(k, b, l, o) \
               WHERE EXISTS (SELECT 1 FROM head)), \
         h AS (INSERT INTO evidence_hashes (idx, hash) \
               SELECT $7 + o - 1, x FROM unnest($8::bytea[]) WITH ORDINALITY AS v(x, o) \
               WHERE EXISTS (SELECT 1 FROM head)) \
         SELECT size FROM head"
    );
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            sql,
            values,
        ))
        .await?;
    Ok(row.is_some())
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
