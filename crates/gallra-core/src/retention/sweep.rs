//! PostgreSQL's other way through a purge: a sweep of the table's blocks in order, each batch
//! one block range (a TID range scan, PostgreSQL 14 and later).
//!
//! When a large share of the table is over age, reading it in physical order beats timestamp
//! ranges: those visit the heap in timestamp order, which on a table whose rows are not stored
//! in that order is a random read per row, made twice (read the keys, then change the rows).

use std::time::Instant;

use chrono::{DateTime, Utc};
use futures_util::stream::{FuturesOrdered, StreamExt};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, TransactionTrait};

use super::batch::{in_snapshot, read_then_change, snapshot};
use super::instant;
use super::pace;
use super::plan::Plan;
use super::report::Counts;
use super::statements::Sql;
use super::tally::{Changed, Tally};
use crate::datasource::sql::param;

/// Block ranges in flight at once, each on its own connection: while one waits for its
/// commit to reach the disk, the other reads and changes rows.
const IN_FLIGHT: usize = 2;

/// Sweep when at least this share (percent) of the table is to be changed: below it, timestamp
/// ranges touch only the rows over age, a sweep every block.
const SWEEP_FROM_PERCENT: u64 = 10;

/// A table's blocks to sweep, and how many rows a block holds on average.
pub(super) struct Blocks {
    pub pages: u64,
    rows: u64,
}

impl Blocks {
    /// Blocks holding about `size` rows, at least one.
    fn step(&self, size: u64) -> u64 {
        (size * self.pages / self.rows).max(1)
    }
}

/// The blocks to sweep and the rows over age expected in them, or `None` where timestamp
/// ranges are the better way. The counts are the run's where it made them first; otherwise
/// PostgreSQL's own estimates stand in, as its planner makes them (the rows matching, from the
/// statistics of the last analyze; the rows per block, times the blocks now): they only choose
/// the way, the size of the ranges and where the sweep may stop, and the post-condition finds
/// any row an estimate left.
pub(super) async fn blocks(
    db: &DatabaseConnection,
    s: &Sql,
    p: &Plan<'_>,
    counted: Option<&Counts>,
) -> Result<Option<(Blocks, Expect)>, DbErr> {
    // The table's name as its quoted identifier, read by regclass's own parser.
    let sql = format!(
        "SELECT current_setting('server_version_num')::bigint AS version, \
         pg_relation_size(c.oid) / current_setting('block_size')::bigint AS pages, \
         c.reltuples::float8 AS tuples, c.relpages::bigint AS analyzed_pages \
         FROM pg_class c WHERE c.oid = CAST({} AS regclass)",
        param(s.backend, 1)
    );
    let Some(row) = db
        .query_one_raw(s.stmt(sql, vec![s.table.clone().into()]))
        .await?
    else {
        return Ok(None);
    };
    let version: i64 = row.try_get("", "version")?;
    let pages = row.try_get::<i64>("", "pages")?.max(0) as u64;
    let tuples: f64 = row.try_get("", "tuples")?;
    let analyzed_pages: i64 = row.try_get("", "analyzed_pages")?;
    if version < 140_000 {
        return Ok(None);
    }
    let (rows, expected, expect) = match counted {
        Some(c) => (
            c.table_rows.unwrap_or(0),
            c.affected,
            Expect::Counted(c.affected),
        ),
        // Never analyzed (-1), or analyzed empty: no statistics to go by.
        None if tuples <= 0.0 || analyzed_pages <= 0 => return Ok(None),
        None => {
            let rows = (tuples / analyzed_pages as f64 * pages as f64) as u64;
            let expected = estimate(db, s, p).await?;
            (rows.max(expected), expected, Expect::Estimated)
        }
    };
    if rows == 0 || expected * 100 < rows * SWEEP_FROM_PERCENT {
        return Ok(None);
    }
    // About `batch` rows per range, of which at most all are changed: every transaction stays
    // as short as a timestamp-range batch. A range is at least a block: batches smaller than a
    // block's rows go by timestamp.
    if p.batch * pages / rows == 0 {
        return Ok(None);
    }
    Ok(Some((Blocks { pages, rows }, expect)))
}

/// The rows over age a sweep expects to change.
#[derive(Clone, Copy)]
pub(super) enum Expect {
    /// As counted: no range is begun once those in flight could hold every row still to change.
    Counted(u64),
    /// As estimated, which can be off either way: once rows were changed, ranges are begun
    /// until one finds no row over age, where on a table stored in time order the rows over
    /// age have ended. Rows over age past such a gap are for the post-condition to find.
    Estimated,
    /// Every block to the end.
    All,
}

/// PostgreSQL's estimate of the rows over age outside holds: its plan's, from its statistics.
async fn estimate(db: &DatabaseConnection, s: &Sql, p: &Plan<'_>) -> Result<u64, DbErr> {
    let (over_age, values) = s.over_age(p.cutoff, p.held);
    let sql = format!(
        "EXPLAIN (FORMAT JSON) SELECT 1 FROM {} WHERE {over_age}",
        s.table
    );
    let plan: Option<serde_json::Value> = db
        .query_one_raw(s.stmt(sql, values))
        .await?
        .map(|r| r.try_get_by_index(0))
        .transpose()?;
    let rows = plan
        .as_ref()
        .and_then(|v| v.get(0)?.get("Plan")?.get("Plan Rows")?.as_f64())
        .ok_or_else(|| DbErr::Custom("PostgreSQL's plan gave no row estimate".into()))?;
    Ok(rows.max(0.0) as u64)
}

/// Sweep the blocks in order from block `from` on, two ranges at a time, each of about as many
/// rows as the last batch's time allows (`pace`), until every block is swept or the rows over
/// age are done as `expect` tells: on a table stored in time order, the rest holds none.
/// Returns the first block not swept. With a count, no range is begun while those in flight
/// could hold every row still to change: on such a table it would read blocks with nothing to
/// delete.
/// A range already begun is always finished and counted, even after another failed: dropped
/// mid-commit, its rows could be gone without their keys in the digest.
pub(super) async fn run(
    db: &DatabaseConnection,
    s: &Sql,
    p: &Plan<'_>,
    blocks: &Blocks,
    (mut from, expect): (u64, Expect),
    tally: &mut Tally,
    progress: &mut impl FnMut(u64),
) -> Result<u64, DbErr> {
    let mut size = pace::first(p.batch);
    // Rows of the ranges in flight, at most: each was cut to hold about its batch's size.
    let mut in_flight_rows = 0;
    let mut in_flight = FuturesOrdered::new();
    let mut failed = None;
    let (expected, until_empty) = match expect {
        Expect::Counted(n) => (n, false),
        Expect::Estimated => (u64::MAX, true),
        Expect::All => (u64::MAX, false),
    };
    // Rows the last range to finish changed.
    let mut last = None;
    loop {
        while failed.is_none()
            && in_flight.len() < IN_FLIGHT
            && from <= blocks.pages
            && tally.changed() + in_flight_rows < expected
            && !(until_empty && last == Some(0) && tally.changed() > 0)
        {
            // Each range is cut when its batch is about to start, at the size the last allows.
            let to = from + blocks.step(size);
            let (r, rows) = ((from, to), size);
            in_flight_rows += rows;
            in_flight.push_back(async move {
                let started = Instant::now();
                (rows, started, range(db, s, p, r).await)
            });
            from = to;
        }
        let Some((rows, started, result)) = in_flight.next().await else {
            break;
        };
        in_flight_rows -= rows;
        match result {
            Ok(b) => {
                size = pace::next(size, started.elapsed(), p.batch);
                last = Some(b.keys.len());
                tally.add(started, b, progress);
            }
            Err(e) => failed = failed.or(Some(e)),
        }
    }
    failed.map_or(Ok(from), Err)
}

/// Read the keys of the rows over age in blocks `[from, to)`, then change them, under one
/// snapshot (retried if a concurrent writer changed one of them).
async fn range(
    db: &DatabaseConnection,
    s: &Sql,
    p: &Plan<'_>,
    (from, to): (u64, u64),
) -> Result<Changed, DbErr> {
    let (over_age, values) = s.over_age(p.cutoff, p.held);
    // Block numbers are integers of ours, not input: they are written into the statement.
    let which = format!("ctid >= '({from},0)'::tid AND ctid < '({to},0)'::tid AND {over_age}");
    // A sweep's batches are not the last of anything: the timestamp loop decides that.
    in_snapshot(|| async {
        let txn = snapshot(db).await?;
        read_then_change(txn, s, p, &which, values.clone(), false).await
    })
    .await
}

/// The post-condition after a sweep: rows over age outside holds, and the oldest timestamp,
/// in one read of the table in physical order. Through an index, it would visit the heap for
/// every entry the sweep left dead.
pub(super) async fn postcondition(
    db: &DatabaseConnection,
    s: &Sql,
    p: &Plan<'_>,
) -> Result<(u64, Option<DateTime<Utc>>), DbErr> {
    let (over_age, values) = s.over_age(p.cutoff, p.held);
    let txn = db.begin().await?;
    txn.execute_unprepared(
        "SET LOCAL enable_indexscan = off; SET LOCAL enable_indexonlyscan = off; \
         SET LOCAL enable_bitmapscan = off",
    )
    .await?;
    let sql = format!(
        "SELECT COALESCE(SUM(CASE WHEN {over_age} THEN 1 ELSE 0 END), 0)::bigint AS n, MIN({}) AS oldest FROM {}",
        s.ts, s.table
    );
    let row = txn.query_one_raw(s.stmt(sql, values)).await?;
    txn.commit().await?;
    let Some(row) = row else {
        return Ok((0, None));
    };
    let n: i64 = row.try_get("", "n")?;
    Ok((n as u64, instant::read(&row, "oldest", s.format)))
}
