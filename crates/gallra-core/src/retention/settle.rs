//! Settling a run whose process is gone (its lock is free, its row still `running`): what its
//! committed batches changed is read from its journal, exactly, and recorded as an
//! `interrupted` run with its evidence.

use entity::retention_runs;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::finish::{finish, Finish};
use super::journal;
use super::options::{RunOptions, Trigger};
use super::report::{Counts, Outcome, RunReport};
use super::rule::{self, Rule};
use crate::context::AppState;

/// Settle every run of `rule` left `running`. The caller holds the rule's run lock: no run of
/// the rule is working.
pub async fn dead_runs(state: &AppState, rule: &str) -> anyhow::Result<Vec<RunReport>> {
    let runs = retention_runs::Entity::find()
        .filter(retention_runs::Column::RuleId.eq(rule))
        .filter(retention_runs::Column::Outcome.eq(Outcome::Running))
        .order_by_asc(retention_runs::Column::Id)
        .all(&state.db)
        .await?;
    let mut reports = Vec::new();
    for run in runs {
        reports.extend(run_cut_off(state, &run).await?);
    }
    Ok(reports)
}

/// Settle the runs left `running` whose lock is free (their process is gone): at start, and on
/// each pass of the scheduler, so a run killed while `serve` goes on is settled within a minute
/// even if its rule was retired meanwhile and nothing runs it again. A rule whose run cannot be
/// settled now (its datasource is down) is logged and left for the next pass: it holds up no
/// other rule. Then the journal rows no working attempt owns are dropped.
pub async fn left_running(state: &AppState) -> anyhow::Result<usize> {
    let runs = retention_runs::Entity::find()
        .filter(retention_runs::Column::Outcome.eq(Outcome::Running))
        .all(&state.db)
        .await?;
    let mut rules: Vec<String> = runs.into_iter().map(|r| r.rule_id).collect();
    rules.sort();
    rules.dedup();
    let mut settled = 0;
    for rule in rules {
        let lock = match super::lock::try_lock(&state.db, &rule).await {
            Ok(Some(lock)) => lock,
            Ok(None) => continue,
            Err(e) => {
                tracing::error!(rule = %rule, error = %e, "could not take a rule's run lock to settle its runs");
                continue;
            }
        };
        let done = dead_runs(state, &rule).await;
        lock.release().await;
        match done {
            Ok(reports) => settled += reports.len(),
            Err(e) => {
                tracing::error!(rule = %rule, error = %e, "a run left running could not be settled; tried again on the next pass");
            }
        }
    }
    let dropped = journal::drop_orphans(&state.db).await?;
    if dropped > 0 {
        tracing::warn!(
            rows = dropped,
            "dropped journal rows of batches rolled back by runs that lost their lock"
        );
    }
    Ok(settled)
}

/// Settle one run a crash cut off, from its journal. Its pending batch is decided by asking the
/// datasource of the rule version the run worked by (recorded on its row), though the rule be
/// retired or changed since. `None` when its own process, which lost its lock but lived on,
/// recorded it first.
pub async fn run_cut_off(
    state: &AppState,
    run: &retention_runs::Model,
) -> anyhow::Result<Option<RunReport>> {
    let rule = worked_by(state, run).await;
    let ds = match &rule {
        Some(r) => state
            .datasources
            .get(r.spec.datasource.get_ref())
            .await
            .ok(),
        None => None,
    };
    let sql = match (&rule, &ds) {
        (Some(r), Some(ds)) => journal::sql_for(ds, &r.spec).await.ok(),
        _ => None,
    };
    let asked = ds.as_ref().zip(sql.as_ref());
    let (keys, batches) = journal::changed(&state.db, asked, run.id, run.attempt)
        .await
        .map_err(anyhow::Error::msg)?;
    let started = run.started_at.unwrap_or(run.created_at);
    let affected = keys.len() as u64;
    let report = RunReport {
        run_id: run.id,
        rule: run.rule_id.clone(),
        rule_hash: run.rule_hash.clone(),
        dry_run: run.dry_run,
        outcome: Outcome::Interrupted,
        cutoff: rule.as_ref().map_or(started, |r| r.cutoff(started)),
        // What was over age and held was not counted before the run was cut off, nor is the
        // post-condition checked: `matched` says only what its batches changed, and the error
        // says so.
        counts: Counts {
            table_rows: None,
            matched: affected,
            held: 0,
            affected,
        },
        keys_sha256: (!run.dry_run).then(|| keys.digest()),
        remaining_over_age: None,
        oldest_remaining: None,
        batches,
        longest_batch_ms: 0,
        duration_ms: 0,
        error: Some(format!(
            "interrupted: its process stopped (attempt {}); its {batches} committed batches \
             changed {affected} rows, read from its journal; the rows over age were not \
             counted and the post-condition not checked",
            run.attempt
        )),
        evidence_index: None,
    };
    let opts = RunOptions {
        dry_run: run.dry_run,
        trigger: Trigger::parse(&run.trigger),
        scheduled_for: run.scheduled_for,
        late: run.late,
        attempt: run.attempt,
        after_interrupted: false,
        approved_by: run.approved_by.clone(),
        ..RunOptions::manual(run.dry_run)
    };
    tracing::warn!(rule = %run.rule_id, run = run.id, affected, "settling a run its process left");
    match finish(state, &opts, report).await {
        Ok(report) => Ok(Some(report)),
        Err(Finish::Settled(_)) => Ok(None),
        Err(Finish::Store(e)) => Err(e),
    }
}

/// The rule version `run` worked by: recorded on its row, or (a row from before it was) the
/// stored rule, retired or not.
async fn worked_by(state: &AppState, run: &retention_runs::Model) -> Option<Rule> {
    let recorded = run
        .rule_body
        .clone()
        .map(|body| Rule::from_body(body, run.rule_hash.clone()));
    match recorded {
        Some(Ok(r)) => Some(r),
        Some(Err(e)) => {
            tracing::error!(run = run.id, error = %e, "the rule a run recorded does not parse");
            None
        }
        // Only the version the run recorded by its hash: one changed since may name another
        // table or key, and its pending batch would be decided against them.
        None => rule::stored(&state.db, &run.rule_id)
            .await
            .ok()
            .flatten()
            .filter(|r| r.hash == run.rule_hash),
    }
}
