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

use super::batch::{in_snapshot, read_then_change, snapshot, Changed};
use super::exec::{Plan, Tally};
use super::instant;
use super::pace;
use super::report::Counts;
use super::statements::{count, Sql};
use crate::datasource::sql::param;

/// Block ranges in flight at once, each on its own connection: while one waits for its
/// commit to reach the disk, the other reads and changes rows.
const IN_FLIGHT: usize = 2;

/// Sweep when at least this share (percent) of the table is to be changed: below it, timestamp
/// ranges touch only the rows over age, a sweep every block.
const SWEEP_FROM_PERCENT: u64 = 10;

/// A table's blocks to sweep, and how many rows a block holds on average.
pub(super) struct Blocks {
    pages: u64,
    rows: u64,
}

impl Blocks {
    /// Blocks holding about `size` rows, at least one.
    fn step(&self, size: u64) -> u64 {
        (size * self.pages / self.rows).max(1)
    }
}

/// The blocks to sweep, or `None` where timestamp ranges are the better way.
pub(super) async fn blocks(
    db: &DatabaseConnection,
    s: &Sql,
    p: &Plan<'_>,
    counts: &Counts,
) -> Result<Option<Blocks>, DbErr> {
    if counts.table_rows == 0 || counts.affected * 100 < counts.table_rows * SWEEP_FROM_PERCENT {
        return Ok(None);
    }
    let version = count(
        db,
        s.stmt(
            "SELECT current_setting('server_version_num')::bigint".into(),
            vec![],
        ),
    )
    .await?;
    if version < 140_000 {
        return Ok(None);
    }
    // The table's name as its quoted identifier, read by regclass's own parser.
    let pages = count(
        db,
        s.stmt(
            format!(
                "SELECT pg_relation_size(CAST({} AS regclass)) / current_setting('block_size')::bigint",
                param(s.backend, 1)
            ),
            vec![s.table.clone().into()],
        ),
    )
    .await?;
    // About `batch` rows per range, of which at most all are changed: every transaction stays
    // as short as a timestamp-range batch. A range is at least a block: batches smaller than a
    // block's rows go by timestamp.
    if p.batch * pages / counts.table_rows == 0 {
        return Ok(None);
    }
    Ok(Some(Blocks {
        pages,
        rows: counts.table_rows,
    }))
}

/// Sweep the blocks in order, two ranges at a time, each of about as many rows as the last
/// batch's time allows (`pace`), until every block is swept or as many rows as were counted
/// over age (`affected`) are changed: on a table stored in time order, the rest holds none.
/// No range is begun while those in flight could hold every row still to change: on such a
/// table it would read blocks with nothing to delete.
/// A range already begun is always finished and counted, even after another failed: dropped
/// mid-commit, its rows could be gone without their keys in the digest.
pub(super) async fn run(
    db: &DatabaseConnection,
    s: &Sql,
    p: &Plan<'_>,
    blocks: Blocks,
    affected: u64,
    tally: &mut Tally,
    progress: &mut impl FnMut(u64),
) -> Result<(), DbErr> {
    let mut size = pace::first(p.batch);
    let mut from = 0;
    // Rows of the ranges in flight, at most: each was cut to hold about its batch's size.
    let mut in_flight_rows = 0;
    let mut in_flight = FuturesOrdered::new();
    let mut failed = None;
    loop {
        while failed.is_none()
            && in_flight.len() < IN_FLIGHT
            && from <= blocks.pages
            && tally.changed() + in_flight_rows < affected
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
                tally.add(started, b, progress);
            }
            Err(e) => failed = failed.or(Some(e)),
        }
    }
    failed.map_or(Ok(()), Err)
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
