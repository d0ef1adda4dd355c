//! Growing the tree: queued entries get their indexes, leaf hashes and the interior hashes they
//! complete, in one batch, by the holder of the head row's lock.

use std::ops::Range;

use chrono::{DateTime, Utc};
use entity::{evidence_entries, evidence_hashes};
use sea_orm::{ActiveValue::Set, ConnectionTrait, DatabaseBackend, EntityTrait, Statement, Value};
use tlog_tiles::tlog;

use super::frontier;
use super::tree::{read_hashes, Known, TreeError};

/// Rows per INSERT on SQLite: far below its bind-parameter limit.
const CHUNK: usize = 1_000;

/// The tree's size and right edge (its perfect subtrees' roots, largest first).
pub struct Head {
    pub size: u64,
    pub edge: Vec<tlog::Hash>,
}

/// One entry to append: canonical JSON rendered when its event was queued.
pub struct Leaf {
    pub kind: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// Take the head row's lock, held until the transaction ends, and read the head. On SQLite
/// the caller's `BEGIN IMMEDIATE` already holds the database's write lock.
pub async fn lock_head(db: &impl ConnectionTrait) -> Result<Head, TreeError> {
    let backend = db.get_database_backend();
    let sql = if backend == DatabaseBackend::Postgres {
        "SELECT size, frontier FROM evidence_head WHERE id = 1 FOR UPDATE"
    } else {
        "SELECT size, frontier FROM evidence_head WHERE id = 1"
    };
    let row = db
        .query_one_raw(Statement::from_string(backend, sql))
        .await?;
    read_head(db, row).await
}

/// The head with its lock if nobody else holds it and no event is queued, without waiting, so
/// the tree's order follows the order of commits. On SQLite, always: its
/// writers take turns anyway, and writing the row first makes sure this transaction holds the
/// write lock before it reads the head (a deferred transaction's read could be stale).
pub async fn try_lock_head(db: &impl ConnectionTrait) -> Result<Option<Head>, TreeError> {
    let backend = db.get_database_backend();
    let sql = if backend == DatabaseBackend::Postgres {
        // Not while events wait in the queue: they committed first, so they go first.
        "SELECT size, frontier FROM evidence_head WHERE id = 1 \
         AND NOT EXISTS (SELECT 1 FROM evidence_queue) FOR UPDATE SKIP LOCKED"
    } else {
        "UPDATE evidence_head SET size = size WHERE id = 1 RETURNING size, frontier"
    };
    match db
        .query_one_raw(Statement::from_string(backend, sql))
        .await?
    {
        None => Ok(None),
        row => read_head(db, row).await.map(Some),
    }
}

async fn read_head(
    db: &impl ConnectionTrait,
    row: Option<sea_orm::QueryResult>,
) -> Result<Head, TreeError> {
    let row = row.ok_or_else(|| TreeError::Tlog("the evidence head row is missing".into()))?;
    let size = row.try_get::<i64>("", "size")? as u64;
    let stored: Option<Vec<u8>> = row.try_get("", "frontier")?;
    // Without a stored edge (a log from before it was kept), read it from the stored hashes.
    let edge = match frontier::decode(size, stored.as_deref()) {
        Some(f) => f,
        None => read_frontier(db, size).await?,
    };
    Ok(Head { size, edge })
}

/// Append `leaves` after `head` (whose lock the caller holds): entries, hashes and the new head
/// row. Returns the new head and the leaves' indexes.
pub async fn extend(
    db: &impl ConnectionTrait,
    head: Head,
    leaves: &[Leaf],
) -> Result<(Head, Range<u64>), TreeError> {
    let built = build(&head, leaves)?;
    if db.get_database_backend() == DatabaseBackend::Postgres {
        postgres_write(db, &built).await?;
    } else {
        sqlite_write(db, &built).await?;
    }
    let end = built.end();
    Ok((
        Head {
            size: end,
            edge: built.edge,
        },
        head.size..end,
    ))
}

/// The rows an append writes, and the right edge after it.
struct Built {
    start: u64,
    entries: Vec<EntryRow>,
    hashes: Vec<(u64, Vec<u8>)>,
    edge: Vec<tlog::Hash>,
}

/// Index, kind, body, leaf hash, created at.
type EntryRow = (u64, String, String, Vec<u8>, DateTime<Utc>);

impl Built {
    fn end(&self) -> u64 {
        self.start + self.entries.len() as u64
    }
}

/// The entries' leaf hashes and every stored hash they complete, from the right edge alone.
fn build(head: &Head, leaves: &[Leaf]) -> Result<Built, TreeError> {
    let start = head.size;
    let mut known = Known(frontier::known(start, &head.edge));
    let mut entries = Vec::with_capacity(leaves.len());
    let mut hashes = Vec::new();
    let mut leaf_hashes = Vec::with_capacity(leaves.len());
    for (i, leaf) in leaves.iter().enumerate() {
        let n = start + i as u64;
        let stored = tlog::stored_hashes(n, leaf.body.as_bytes(), &known)?;
        let first = tlog::stored_hash_index(0, n);
        for (j, h) in stored.iter().enumerate() {
            known.0.insert(first + j as u64, *h);
            hashes.push((first + j as u64, h.0.to_vec()));
        }
        leaf_hashes.push(stored[0]);
        entries.push((
            n,
            leaf.kind.clone(),
            leaf.body.clone(),
            stored[0].0.to_vec(),
            leaf.created_at,
        ));
    }
    Ok(Built {
        start,
        entries,
        hashes,
        edge: frontier::extend(start, &head.edge, &leaf_hashes),
    })
}

/// Entries, hashes and the new head in statements of at most `CHUNK` rows.
async fn sqlite_write(db: &impl ConnectionTrait, built: &Built) -> Result<(), TreeError> {
    for chunk in built.entries.chunks(CHUNK) {
        let rows = chunk
            .iter()
            .map(|(n, kind, body, leaf, at)| evidence_entries::ActiveModel {
                idx: Set(*n as i64),
                created_at: Set(*at),
                kind: Set(kind.clone()),
                body: Set(body.clone()),
                leaf_hash: Set(leaf.clone()),
            });
        evidence_entries::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await?;
    }
    for chunk in built.hashes.chunks(CHUNK) {
        let rows = chunk.iter().map(|(i, h)| evidence_hashes::ActiveModel {
            idx: Set(*i as i64),
            hash: Set(h.clone()),
        });
        evidence_hashes::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await?;
    }
    db.execute_raw(Statement::from_sql_and_values(
        DatabaseBackend::Sqlite,
        "UPDATE evidence_head SET size = ?, frontier = ? WHERE id = 1",
        [
            (built.end() as i64).into(),
            frontier::encode(&built.edge).into(),
        ],
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

/// One PostgreSQL statement writes the entries, their hashes and the new head, whatever their
/// number (arrays, so the text is constant and prepared once).
async fn postgres_write(db: &impl ConnectionTrait, b: &Built) -> Result<(), TreeError> {
    let first_hash = b.hashes.first().map_or(0, |(i, _)| *i);
    // A batch's stored hashes are one contiguous run of indexes (tlog's layout).
    debug_assert!(b
        .hashes
        .iter()
        .enumerate()
        .all(|(j, (i, _))| *i == first_hash + j as u64));
    fn column<T: Clone>(rows: &[EntryRow], f: impl Fn(&EntryRow) -> T) -> Vec<T> {
        rows.iter().map(f).collect()
    }
    let values: Vec<Value> = vec![
        frontier::encode(&b.edge).into(),
        (b.start as i64).into(),
        (b.end() as i64).into(),
        column(&b.entries, |e| e.4.to_rfc3339()).into(),
        column(&b.entries, |e| e.1.clone()).into(),
        column(&b.entries, |e| e.2.clone()).into(),
        column(&b.entries, |e| e.3.clone()).into(),
        (first_hash as i64).into(),
        b.hashes
            .iter()
            .map(|h| h.1.clone())
            .collect::<Vec<Vec<u8>>>()
            .into(),
    ];
    let sql = "WITH head AS (UPDATE evidence_head SET frontier = $1, size = $3 WHERE id = 1 AND size = $2 RETURNING size), \
         e AS (INSERT INTO evidence_entries (idx, created_at, kind, body, leaf_hash) \
               SELECT $2 + o - 1, a::timestamptz, k, b, l \
               FROM unnest($4::text[], $5::text[], $6::text[], $7::bytea[]) WITH ORDINALITY AS v(a, k, b, l, o) \
               WHERE EXISTS (SELECT 1 FROM head)), \
         h AS (INSERT INTO evidence_hashes (idx, hash) \
               SELECT $8 + o - 1, x FROM unnest($9::bytea[]) WITH ORDINALITY AS v(x, o) \
               WHERE EXISTS (SELECT 1 FROM head)) \
         SELECT size FROM head";
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            sql,
            values,
        ))
        .await?;
    // The caller holds the head row, so its size cannot have moved; if it did, nothing was written.
    row.map(|_| ())
        .ok_or_else(|| TreeError::Tlog("the evidence head row moved under its lock".into()))
}
