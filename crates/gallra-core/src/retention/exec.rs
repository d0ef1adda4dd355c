//! The work on the datasource: counting, deleting or anonymizing in batches, and the
//! post-condition. Identifiers are validated and quoted; every value is bound.

use std::time::Instant;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr};

use super::anonymize::hash_batch;
use super::batch::batch;
use super::holds::Held;
use super::hooked;
use super::instant;
use super::pace;
use super::plan::Plan;
use super::report::Counts;
use super::statements::{count, Sql};
use super::sweep;
use super::tally::{Done, Tally};
use crate::datasource::sql::{param, quote};
use crate::policy::spec::{AnonymizeMethod, RetentionAction, RetentionRule};

/// Check the table and columns exist, so a misnamed one is a clear error, not a failed DELETE.
pub async fn check_schema(db: &DatabaseConnection, rule: &RetentionRule) -> Result<(), String> {
    let s = Sql::new(db.get_database_backend(), rule)?;
    let mut cols = vec![s.key.clone(), s.ts.clone()];
    if let Some(a) = &rule.anonymize {
        for c in &a.get_ref().columns {
            cols.push(quote(s.backend, c.get_ref())?);
        }
    }
    let sql = format!("SELECT {} FROM {} WHERE 1 = 0", cols.join(", "), s.table);
    db.query_all_raw(s.stmt(sql, vec![]))
        .await
        .map(|_| ())
        .map_err(|e| {
            format!(
                "table `{}` or one of its columns ({}) is missing or unreadable: {e}",
                rule.table.get_ref(),
                cols.join(", ")
            )
        })
}

/// Every count of a run before it changes anything: the table's rows with those over age.
pub async fn counts(db: &DatabaseConnection, p: &Plan<'_>) -> Result<Counts, DbErr> {
    let (mut counts, kept) = tokio::try_join!(over_age_counts(db, p), rows_kept(db, p))?;
    counts.add_kept(p.rule, kept);
    Ok(counts)
}

/// Rows over age, held and to be changed; not the table's.
pub async fn over_age_counts(db: &DatabaseConnection, p: &Plan<'_>) -> Result<Counts, DbErr> {
    let s = Sql::new(db.get_database_backend(), p.rule).map_err(DbErr::Custom)?;
    // Each count is a scan of its own: they run at once, on connections of their own.
    let nothing_held = Held::default();
    let matched = over_age(db, &s, p.cutoff, &nothing_held);
    let outside_holds = async {
        match p.held.whole_rule || p.held.keys.is_empty() {
            true => Ok(None),
            false => over_age(db, &s, p.cutoff, p.held).await.map(Some),
        }
    };
    let (matched, outside_holds) = tokio::try_join!(matched, outside_holds)?;
    // Separate statements: a row written between them must not make a count negative.
    let held = match (p.held.whole_rule, outside_holds) {
        (true, _) => matched,
        (false, None) => 0,
        (false, Some(outside)) => matched.saturating_sub(outside),
    };
    Ok(Counts {
        table_rows: None,
        matched,
        held,
        affected: matched.saturating_sub(held),
    })
}

/// The rows a purge leaves in the table, which can be counted while it runs: where it
/// deletes, the rows not over age (newer than the cutoff, or without a timestamp), whose index
/// entries it does not kill; where it anonymizes, every row.
pub async fn rows_kept(db: &DatabaseConnection, p: &Plan<'_>) -> Result<u64, DbErr> {
    let s = Sql::new(db.get_database_backend(), p.rule).map_err(DbErr::Custom)?;
    let (sql, values) = match p.rule.action {
        RetentionAction::Delete => (
            format!(
                "SELECT (SELECT COUNT(*) FROM {t} WHERE {ts} >= {p1}) + (SELECT COUNT(*) FROM {t} WHERE {ts} IS NULL)",
                t = s.table,
                ts = s.ts,
                p1 = param(s.backend, 1)
            ),
            vec![s.bind(p.cutoff)],
        ),
        RetentionAction::Anonymize => (format!("SELECT COUNT(*) FROM {}", s.table), vec![]),
    };
    count(db, s.stmt(sql, values)).await
}

/// Rows over age whose keys are held: none are changed, so a count after a purge is the count
/// before it.
pub async fn held_over_age(db: &DatabaseConnection, p: &Plan<'_>) -> Result<u64, DbErr> {
    if p.held.keys.is_empty() {
        return Ok(0);
    }
    let s = Sql::new(db.get_database_backend(), p.rule).map_err(DbErr::Custom)?;
    let (held, values) = s.held(p.cutoff, p.held);
    let sql = format!("SELECT COUNT(*) FROM {} WHERE {held}", s.table);
    count(db, s.stmt(sql, values)).await
}

/// Rows over age outside holds, and the oldest timestamp left in the table.
pub async fn postcondition(
    db: &DatabaseConnection,
    p: &Plan<'_>,
) -> Result<(u64, Option<DateTime<Utc>>), DbErr> {
    let s = Sql::new(db.get_database_backend(), p.rule).map_err(DbErr::Custom)?;
    let remaining = if p.held.whole_rule {
        0
    } else {
        over_age(db, &s, p.cutoff, p.held).await?
    };
    let row = db
        .query_one_raw(s.stmt(
            format!("SELECT MIN({}) AS oldest FROM {}", s.ts, s.table),
            vec![],
        ))
        .await?;
    Ok((
        remaining,
        row.and_then(|r| instant::read(&r, "oldest", s.format)),
    ))
}

/// The post-condition as a purge checks it after a sweep: on PostgreSQL one read of the table
/// in physical order, elsewhere as after timestamp batches. `gallra bench purge` times it right
/// after the raw DELETE, for the least a purge that checks its result can take.
pub async fn postcondition_after_sweep(
    db: &DatabaseConnection,
    p: &Plan<'_>,
) -> Result<(u64, Option<DateTime<Utc>>), DbErr> {
    let s = Sql::new(db.get_database_backend(), p.rule).map_err(DbErr::Custom)?;
    match s.backend {
        DatabaseBackend::Postgres => sweep::postcondition(db, &s, p).await,
        _ => postcondition(db, p).await,
    }
}

/// Rows older than `cutoff` (still pending, for anonymize) whose keys `held` does not list.
pub(super) async fn over_age(
    db: &DatabaseConnection,
    s: &Sql,
    cutoff: DateTime<Utc>,
    held: &Held,
) -> Result<u64, DbErr> {
    let (which, values) = s.over_age(cutoff, held);
    let sql = format!("SELECT COUNT(*) FROM {} WHERE {which}", s.table);
    count(db, s.stmt(sql, values)).await
}

/// Delete or anonymize every row over age outside holds, batch by batch. On PostgreSQL, when a
/// large share of the table goes, batches are block ranges in physical order; otherwise, and
/// after such a sweep for any row it missed, each batch takes the oldest `batch` rows from a
/// lower timestamp bound that moves up, so no batch rescans the index entries its predecessors
/// left dead.
///
/// A purge that fails part way still reports what its committed batches changed: a run's
/// evidence must name the rows it did delete, not the rows it meant to.
/// `counted` holds the run's counts where a decision needed them first; without them, a
/// PostgreSQL purge chooses its way by the server's estimates.
pub async fn purge(
    db: &DatabaseConnection,
    p: &Plan<'_>,
    counted: Option<&Counts>,
    progress: impl FnMut(u64),
) -> Result<Done, Failed> {
    let mut tally = Tally::default();
    match batches(db, p, counted, &mut tally, progress).await {
        Ok(postcondition) => Ok(tally.done(postcondition)),
        Err(error) => Err(Failed {
            done: tally.done(None),
            error,
        }),
    }
}

/// A purge that stopped on `error` after changing what `done` counts.
pub struct Failed {
    pub done: Done,
    pub error: DbErr,
}

/// The batches of `purge`, counted into `tally`; the post-condition if a sweep checked it.
async fn batches(
    db: &DatabaseConnection,
    p: &Plan<'_>,
    counted: Option<&Counts>,
    tally: &mut Tally,
    mut progress: impl FnMut(u64),
) -> Result<Option<(u64, Option<DateTime<Utc>>)>, DbErr> {
    let mut s = Sql::new(db.get_database_backend(), p.rule).map_err(DbErr::Custom)?;
    let hashing = p
        .rule
        .anonymize
        .as_ref()
        .is_some_and(|a| a.get_ref().method == AnonymizeMethod::Hash);
    if p.held.whole_rule {
        return Ok(None);
    }
    if s.backend == DatabaseBackend::Postgres {
        s.int_key = s.has_int_key(db, p.rule.key.get_ref()).await?;
    }
    if !hashing && s.backend == DatabaseBackend::Sqlite {
        s.hook = hooked::key_column(db, p.rule.table.get_ref(), p.rule.key.get_ref()).await?;
    }
    let sweep = match (hashing, s.backend) {
        (false, DatabaseBackend::Postgres) => sweep::blocks(db, &s, p, counted).await?,
        _ => None,
    };
    if let Some((blocks, expected)) = sweep {
        let mut stopped =
            sweep::run(db, &s, p, &blocks, (0, expected), tally, &mut progress).await?;
        // A row the sweep missed (moved or written behind it) is looked for outside any write
        // transaction, by reading the table in order: an index would lead to every entry the
        // sweep left dead, each a visit to the heap.
        let mut checked = sweep::postcondition(db, &s, p).await?;
        // Stopped before the end with rows over age still found: the sweep went by an estimate
        // and met a gap, or rows were written past where it stopped. The rest of the blocks go.
        if checked.0 > 0 && stopped <= blocks.pages {
            let rest = (stopped, sweep::Expect::All);
            stopped = sweep::run(db, &s, p, &blocks, rest, tally, &mut progress).await?;
            checked = sweep::postcondition(db, &s, p).await?;
        }
        tracing::debug!(rule = p.rule.id.get_ref(), stopped, "swept");
        // Rows still over age were written behind the sweep: timestamp ranges find them.
        if checked.0 == 0 {
            return Ok(Some(checked));
        }
    }
    let mut lower: Option<DateTime<Utc>> = None;
    let mut size = pace::first(p.batch);
    loop {
        let started = Instant::now();
        let q = Plan { batch: size, ..*p };
        let b = if hashing {
            hash_batch(db, &s, &q).await?
        } else {
            batch(db, &s, &q, lower).await?
        };
        size = pace::next(size, started.elapsed(), p.batch);
        let stuck = b.keys.is_empty();
        let next = tally.add(started, b, &mut progress);
        // A batch that changed nothing and leaves the lower bound where it was would be made
        // again forever (text timestamps that sort apart from their instants): the purge ends,
        // and its post-condition reports the rows left.
        if next.is_none() || (stuck && next == lower) {
            return Ok(None);
        }
        lower = next;
    }
}
