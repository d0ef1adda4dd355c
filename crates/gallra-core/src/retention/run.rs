//! One run of a retention rule: a plain async function that the scheduler, the CLI, the API
//! and tests call alike. Every run is a durable row; every non-dry run is evidence.

use std::time::Instant;

use chrono::{DateTime, Utc};
use entity::retention_runs;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::exec;
use super::finish::{finish, Finish};
use super::guard::guard;
use super::journal::{self, Journal};
use super::lock::{self, RunLock};
use super::plan::Plan;
use super::report::{Counts, Outcome, RunReport};
use super::rule::{self, Rule};
use super::settle;
use crate::context::AppState;

pub use super::options::{RunError, RunOptions, Trigger};
pub use super::run_row::{beating, claim, HEARTBEAT};

/// Run `rule_id` now. Datasource problems do not fail the call: they are a failed run, recorded.
pub async fn run_rule(
    state: &AppState,
    rule_id: &str,
    opts: RunOptions,
    progress: impl FnMut(u64),
) -> Result<RunReport, RunError> {
    let rule = rule::load(&state.db, rule_id)
        .await?
        .ok_or_else(|| RunError::UnknownRule(rule_id.to_owned()))?;
    let lock = locked(state, rule.id()).await?;
    let done = async {
        let run_id = claim(state, &rule, &opts, state.clock.now()).await?;
        run_claimed(state, &rule, &opts, run_id, &lock, progress).await
    }
    .await;
    lock.release().await;
    done
}

/// Take `rule`'s run lock, refusing when another run holds it, and settle the runs of the rule
/// left `running`: their lock is free, so their process is gone.
pub async fn locked(state: &AppState, rule: &str) -> Result<RunLock, RunError> {
    locked_within(state, rule, std::time::Duration::ZERO).await
}

/// [`locked`], waiting up to `wait` for a run that holds the lock to end.
pub async fn locked_within(
    state: &AppState,
    rule: &str,
    wait: std::time::Duration,
) -> Result<RunLock, RunError> {
    let taken = match wait.is_zero() {
        true => lock::try_lock(&state.db, rule).await?,
        false => lock::lock_within(&state.db, rule, wait).await?,
    };
    let Some(lock) = taken else {
        let run = retention_runs::Entity::find()
            .filter(retention_runs::Column::RuleId.eq(rule))
            .filter(retention_runs::Column::Outcome.eq(Outcome::Running))
            .order_by_desc(retention_runs::Column::Id)
            .one(&state.db)
            .await
            .map_err(anyhow::Error::from)?;
        return Err(RunError::AlreadyRunning {
            rule: rule.to_owned(),
            run: run.map(|r| r.id),
        });
    };
    if let Err(e) = settle::dead_runs(state, rule).await {
        lock.release().await;
        return Err(RunError::Store(e));
    }
    Ok(lock)
}

/// Run a rule whose run row `run_id` this process has claimed (new, retried or resumed),
/// holding the rule's run `lock`.
pub async fn run_claimed(
    state: &AppState,
    rule: &Rule,
    opts: &RunOptions,
    run_id: i32,
    lock: &RunLock,
    progress: impl FnMut(u64),
) -> Result<RunReport, RunError> {
    let (rule, opts) = (rule.clone(), opts.clone());
    let now = state.clock.now();
    let started = Instant::now();
    let journal = Journal::new(state, lock, run_id, opts.attempt);
    let work = execute(state, &rule, &opts, now, &journal, progress);
    let mut report = beating(state, run_id, HEARTBEAT, work).await;
    report.run_id = run_id;
    report.duration_ms = started.elapsed().as_millis() as u64;
    if report.outcome == Outcome::Running {
        // What its batches committed is not known yet: the run stays `running`, to be settled
        // from its journal by the next run of the rule or the next start. (Settled already by
        // another that took the lock this one lost, the row this one last wrote is dropped.)
        drop_orphans(state).await;
        return Err(RunError::Stopped(format!(
            "run {run_id} of `{}` stopped and is left to be settled from its journal: {}",
            rule.id(),
            report.error.unwrap_or_default()
        )));
    }
    match finish(state, &opts, report).await {
        Ok(report) => {
            // Pages show the rule's breach state from this, not from a count while they render.
            if let Err(e) = super::breach::record_run(&state.db, &rule, &report, now).await {
                tracing::warn!(rule = %rule.id(), error = %e, "could not record the run's breach state");
            }
            Ok(report)
        }
        Err(Finish::Settled(why)) => {
            drop_orphans(state).await;
            Err(RunError::Stopped(why))
        }
        Err(Finish::Store(e)) => Err(RunError::Store(e)),
    }
}

/// Drop the journal rows of attempts no longer working, logging a failure: the next pass of
/// the scheduler tries again.
async fn drop_orphans(state: &AppState) {
    if let Err(e) = journal::drop_orphans(&state.db).await {
        tracing::warn!(error = %e, "could not drop the journal rows of a stopped run");
    }
}

fn blank(rule: &Rule, opts: &RunOptions, cutoff: DateTime<Utc>) -> RunReport {
    RunReport {
        run_id: 0,
        rule: rule.id().to_owned(),
        rule_hash: rule.hash.clone(),
        dry_run: opts.dry_run,
        outcome: Outcome::Failed,
        cutoff,
        counts: Counts::default(),
        keys_sha256: None,
        remaining_over_age: None,
        oldest_remaining: None,
        batches: 0,
        longest_batch_ms: 0,
        duration_ms: 0,
        error: None,
        evidence_index: None,
    }
}

async fn execute(
    state: &AppState,
    rule: &Rule,
    opts: &RunOptions,
    now: DateTime<Utc>,
    journal: &Journal<'_>,
    progress: impl FnMut(u64),
) -> RunReport {
    let cutoff = rule.cutoff(now);
    let mut report = blank(rule, opts, cutoff);
    if let Err(e) = execute_into(state, rule, opts, &mut report, journal, progress).await {
        if report.outcome != Outcome::Running {
            report.outcome = Outcome::Failed;
        }
        let ds = rule.spec.datasource.get_ref();
        report.error = Some(crate::datasource::explain_wait(
            e,
            ds,
            state.datasources.timeout(),
        ));
    }
    report
}

async fn execute_into(
    state: &AppState,
    rule: &Rule,
    opts: &RunOptions,
    report: &mut RunReport,
    journal: &Journal<'_>,
    progress: impl FnMut(u64),
) -> Result<(), String> {
    let (ds, held) = rule.prepare(state).await?;
    let plan = Plan {
        key: &state.installation_key,
        rule: &rule.spec,
        held: &held,
        cutoff: report.cutoff,
        batch: opts.batch,
        journal: (!opts.dry_run).then_some(journal),
    };
    // Counted first where something is decided by the counts (a guard), or they are the
    // answer (a dry run), or nothing is to be changed (a hold on the whole rule). Otherwise a
    // count before would be a read of every row over age that decides nothing: the rows over
    // age are then those the run changed, those held and those its post-condition finds left.
    let spec = &rule.spec;
    let count_first =
        opts.dry_run || held.whole_rule || spec.max_rows.is_some() || spec.max_percent.is_some();
    if count_first {
        report.counts = exec::counts(&ds, &plan)
            .await
            .map_err(|e| format!("counting rows: {e}"))?;
    }
    if opts.dry_run {
        report.outcome = Outcome::DryRun;
        return Ok(());
    }
    if opts.approved_by.is_none() {
        if let Some(reason) = guard(rule, &report.counts) {
            report.outcome = Outcome::AwaitingApproval;
            report.error = Some(reason);
            return Ok(());
        }
    }
    let counted = count_first.then_some(&report.counts);
    crate::pause::at("before-first-batch", None).await;
    let done = match exec::purge(&ds, &plan, counted, progress).await {
        Ok(done) => done,
        Err(exec::Failed { mut done, error }) => {
            // A batch may have failed in its commit, or after the datasource's: the journal,
            // asked of the datasource, says what was committed. Not known, the run stays
            // `running`, to be settled from its journal: its counts are not guessed.
            let asked = journal::changed_after_failure(&state.db, &ds, &rule.spec, journal);
            match asked.await {
                Ok((keys, batches)) => {
                    done.affected = keys.len() as u64;
                    done.keys_sha256 = keys.digest();
                    done.batches = batches;
                }
                Err(e) => {
                    report.outcome = Outcome::Running;
                    return Err(format!("purging: {error}; {e}"));
                }
            }
            record(report, &done);
            if !count_first {
                // The rows over age are those changed and those still over age, where the
                // datasource still answers; otherwise at least those changed.
                let left = exec::over_age_counts(&ds, &plan).await.ok();
                report.counts.held = left.as_ref().map_or(0, |c| c.held);
                report.counts.matched = done.affected + left.map_or(0, |c| c.matched);
            }
            return Err(format!(
                "purging: {error} (after {} rows changed in {} batches, which stay changed)",
                done.affected, done.batches
            ));
        }
    };
    crate::pause::at("after-last-batch", None).await;
    record(report, &done);
    let (remaining, oldest) = match done.postcondition {
        Some(checked) => checked,
        None => exec::postcondition(&ds, &plan)
            .await
            .map_err(|e| format!("checking the post-condition: {e}"))?,
    };
    if !count_first {
        report.counts.held = exec::held_over_age(&ds, &plan)
            .await
            .map_err(|e| format!("counting held rows: {e}"))?;
        report.counts.matched = report.counts.affected + report.counts.held + remaining;
    }
    report.remaining_over_age = Some(remaining);
    report.oldest_remaining = oldest;
    report.outcome = if remaining == 0 {
        Outcome::Succeeded
    } else {
        Outcome::PostconditionFailed
    };
    Ok(())
}

/// What a purge changed, into its run's report: on failure too, so the evidence names what
/// was deleted before it.
fn record(report: &mut RunReport, done: &super::tally::Done) {
    report.counts.affected = done.affected;
    report.keys_sha256 = Some(done.keys_sha256.clone());
    report.batches = done.batches;
    report.longest_batch_ms = done.longest_batch_ms;
}
