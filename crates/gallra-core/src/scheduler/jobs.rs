//! The scheduler's pass over the rules: run each due occurrence exactly once (the run row is
//! unique per rule and occurrence, so replicas sharing a store never both run it), catch up
//! what was missed while down (marked late), retry failures with backoff, and resume runs
//! a crash left unfinished.

use chrono::{DateTime, TimeDelta, Utc};
use entity::retention_runs;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder};

use crate::context::AppState;
use crate::occurrences::Schedule;
use crate::retention::lock::RunLock;
use crate::retention::rule::Rule;
use crate::retention::run::{claim, locked, locked_within, run_claimed, RunError};
use crate::retention::{rule, Outcome, RunOptions, RunReport, Trigger};

/// Failed scheduled runs are retried up to this many attempts in all.
pub const MAX_ATTEMPTS: i32 = 5;
/// How long a due occurrence waits for another run of its rule to finish, within a pass.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(30);
/// An occurrence started later than this after its time is marked late.
const LATE_AFTER: TimeDelta = TimeDelta::minutes(5);

/// Backoff before attempt `next` (2 to `MAX_ATTEMPTS`): 2, 4, 8, 16 minutes.
pub fn backoff(next: i32) -> TimeDelta {
    TimeDelta::minutes(1 << (next - 1).clamp(1, 4))
}

/// One pass. `since` bounds the first look-back of a rule that has never run on schedule.
pub async fn tick(state: &AppState, since: DateTime<Utc>) -> anyhow::Result<Vec<RunReport>> {
    let mut reports = Vec::new();
    // Runs cut off meanwhile are settled first: a scheduled one is then retried below.
    let settled = crate::retention::settle::left_running(state).await?;
    if settled > 0 {
        tracing::warn!(
            runs = settled,
            "settled runs a stopped process left running"
        );
    }
    reports.extend(resume(state).await?);
    for r in rule::list(&state.db).await? {
        // README.md, configuration: a rule whose datasource is unset is reported (breaches, start-up), not run.
        if state.datasources.url(r.spec.datasource.get_ref()).is_err() {
            continue;
        }
        let schedule = match Schedule::parse(r.spec.schedule.get_ref(), r.spec.timezone.get_ref()) {
            Ok(s) => s,
            Err(e) => {
                tracing::error!(rule = r.id(), error = %e, "unusable schedule");
                continue;
            }
        };
        let now = state.clock.now();
        let last = last_scheduled(state, r.id()).await?.unwrap_or(since);
        let due = schedule.between(last, now, 10_000);
        // Only the latest missed occurrence runs: one purge covers every earlier cutoff.
        let Some(&occurrence) = due.last() else {
            continue;
        };
        let late = due.len() > 1 || now - occurrence > LATE_AFTER;
        let opts = RunOptions {
            trigger: Trigger::Schedule,
            scheduled_for: Some(occurrence),
            late,
            ..RunOptions::manual(false)
        };
        let Some(lock) = take_turn(state, r.id()).await? else {
            continue;
        };
        let done = match claim(state, &r, &opts, now).await {
            Ok(run_id) => run_claimed(state, &r, &opts, run_id, &lock, |_| {})
                .await
                .map(Some),
            Err(RunError::AlreadyClaimed(_)) => Ok(None),
            Err(e) => Err(e),
        };
        lock.release().await;
        reports.extend(done?);
    }
    Ok(reports)
}

/// The rule's run lock, waiting up to [`LOCK_WAIT`] while another run of the rule (a manual
/// or API run, a dry run) holds it: runs are short, and an occurrence that only tried once a
/// minute could be put off for as long as people keep running the rule by hand. Still held
/// after that: the occurrence waits for the next pass.
async fn take_turn(state: &AppState, rule: &str) -> anyhow::Result<Option<RunLock>> {
    match locked_within(state, rule, LOCK_WAIT).await {
        Ok(lock) => Ok(Some(lock)),
        Err(RunError::AlreadyRunning { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

async fn last_scheduled(state: &AppState, rule: &str) -> anyhow::Result<Option<DateTime<Utc>>> {
    let row = retention_runs::Entity::find()
        .filter(retention_runs::Column::RuleId.eq(rule))
        .filter(retention_runs::Column::ScheduledFor.is_not_null())
        .order_by_desc(retention_runs::Column::ScheduledFor)
        .one(&state.db)
        .await?;
    Ok(row.and_then(|r| r.scheduled_for))
}

/// Retry failed scheduled runs whose backoff has passed, and rerun interrupted ones (settled
/// first from their journal). Each is taken under its rule's run lock and with a conditional
/// update, so only one replica wins it.
async fn resume(state: &AppState) -> anyhow::Result<Vec<RunReport>> {
    let now = state.clock.now();
    // Failed runs on their last attempt are final: left out. Running ones on theirs are read
    // too, to be settled below rather than stay `running` for good.
    let candidates = retention_runs::Entity::find()
        .filter(retention_runs::Column::ScheduledFor.is_not_null())
        .filter(
            Condition::any()
                .add(retention_runs::Column::Outcome.eq(Outcome::Running))
                .add(retention_runs::Column::Outcome.eq(Outcome::Interrupted))
                .add(
                    Condition::all()
                        .add(retention_runs::Column::Outcome.eq(Outcome::Failed))
                        .add(retention_runs::Column::Attempt.lt(MAX_ATTEMPTS)),
                ),
        )
        .all(&state.db)
        .await?;
    let mut reports = Vec::new();
    for run in candidates {
        let ready = match run.outcome {
            Outcome::Failed => run
                .finished_at
                .is_some_and(|f| now - f >= backoff(run.attempt + 1)),
            _ => true,
        };
        if !ready {
            continue;
        }
        // A working run holds its rule's lock; a `running` one whose lock is free was cut off,
        // and `locked` settles it (an `interrupted` run with its evidence) before we go on.
        // A run that cannot be retried now (its datasource down, a store error) is logged and
        // tried on the next pass: it holds up no other run.
        let (id, rule) = (run.id, run.rule_id.clone());
        let lock = match locked(state, &rule).await {
            Ok(lock) => lock,
            Err(RunError::AlreadyRunning { .. }) => continue,
            Err(e) => {
                tracing::error!(rule = %rule, run = id, error = %e, "could not take a run to retry");
                continue;
            }
        };
        let done = retry(state, run, &lock, now).await;
        lock.release().await;
        match done {
            Ok(report) => reports.extend(report),
            Err(e) => {
                tracing::error!(rule = %rule, run = id, error = %e, "retrying a run failed");
            }
        }
    }
    Ok(reports)
}

/// Retry `run` (failed, or cut off and just settled), holding its rule's lock.
async fn retry(
    state: &AppState,
    run: retention_runs::Model,
    lock: &RunLock,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<RunReport>> {
    let Some(run) = retention_runs::Entity::find_by_id(run.id)
        .one(&state.db)
        .await?
    else {
        return Ok(None);
    };
    let cut_off = run.outcome == Outcome::Interrupted;
    if !cut_off && run.outcome != Outcome::Failed {
        return Ok(None);
    }
    {
        // Cut off on its last attempt: not retried again.
        if run.attempt >= MAX_ATTEMPTS {
            let why = format!(
                "cut off (the process stopped) on attempt {} of {MAX_ATTEMPTS}; not retried",
                run.attempt
            );
            settle(state, &run, now, &why).await?;
            return Ok(None);
        }
        // A rule retired since: its run is settled, not taken.
        let Some(r) = rule::load(&state.db, &run.rule_id).await? else {
            settle(state, &run, now, "its rule was retired; not retried").await?;
            return Ok(None);
        };
        if !take(state, &run, &r, now).await? {
            return Ok(None);
        }
        tracing::warn!(rule = %run.rule_id, run = run.id, attempt = run.attempt + 1, was = %run.outcome, "retrying a scheduled run");
        let opts = RunOptions {
            trigger: Trigger::Schedule,
            scheduled_for: run.scheduled_for,
            late: true,
            attempt: run.attempt + 1,
            after_interrupted: cut_off,
            ..RunOptions::manual(false)
        };
        Ok(Some(
            run_claimed(state, &r, &opts, run.id, lock, |_| {}).await?,
        ))
    }
}

/// Mark a run failed for good with `why`, if no other replica changed it first: it leaves the
/// retries (its attempts set to the last).
async fn settle(
    state: &AppState,
    run: &retention_runs::Model,
    now: DateTime<Utc>,
    why: &str,
) -> anyhow::Result<()> {
    // A failed run keeps its own error and time, with why it is not retried after it.
    let (error, finished) = match (&run.error, run.finished_at) {
        (Some(e), Some(at)) if run.outcome == Outcome::Failed => (format!("{e}; {why}"), at),
        _ => (why.to_owned(), now),
    };
    let done = retention_runs::Entity::update_many()
        .col_expr(
            retention_runs::Column::Outcome,
            Expr::value(Outcome::Failed),
        )
        .col_expr(retention_runs::Column::Error, Expr::value(Some(error)))
        .col_expr(
            retention_runs::Column::FinishedAt,
            Expr::value(Some(finished)),
        )
        .col_expr(
            retention_runs::Column::Attempt,
            Expr::value(run.attempt.max(MAX_ATTEMPTS)),
        )
        .filter(retention_runs::Column::Id.eq(run.id))
        .filter(retention_runs::Column::Outcome.eq(run.outcome))
        .filter(retention_runs::Column::Attempt.eq(run.attempt))
        .exec(&state.db)
        .await?;
    if done.rows_affected == 1 {
        tracing::warn!(rule = %run.rule_id, run = run.id, why, "a scheduled run is settled as failed");
    }
    Ok(())
}

/// Move a failed or stale run back to `running` with one more attempt by `rule` as it is now,
/// if no one else did.
async fn take(
    state: &AppState,
    run: &retention_runs::Model,
    rule: &Rule,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let done = retention_runs::Entity::update_many()
        .col_expr(
            retention_runs::Column::Outcome,
            Expr::value(Outcome::Running),
        )
        .col_expr(
            retention_runs::Column::RuleHash,
            Expr::value(rule.hash.clone()),
        )
        .col_expr(
            retention_runs::Column::RuleBody,
            Expr::value(Some(rule.body.clone())),
        )
        .col_expr(
            retention_runs::Column::Attempt,
            Expr::value(run.attempt + 1),
        )
        .col_expr(retention_runs::Column::StartedAt, Expr::value(Some(now)))
        .col_expr(
            retention_runs::Column::HeartbeatAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(retention_runs::Column::Late, Expr::value(true))
        .filter(retention_runs::Column::Id.eq(run.id))
        .filter(retention_runs::Column::Outcome.eq(run.outcome))
        .filter(retention_runs::Column::Attempt.eq(run.attempt))
        .exec(&state.db)
        .await?;
    Ok(done.rows_affected == 1)
}
