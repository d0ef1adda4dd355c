//! The end of a run: its outcome on the run's row and, for a real run, its evidence, in one
//! transaction; used by a run (run.rs) and by the settling of a stopped one (settle.rs).

use entity::retention_runs;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::journal;
use super::options::RunOptions;
use super::report::{Outcome, RunReport};
use crate::context::AppState;
use crate::evidence::{self, Event, Subject};

/// Why [`finish`] recorded nothing.
pub(super) enum Finish {
    /// The run's attempt was settled meanwhile (or taken for a retry) by a process that took the
    /// run lock this one lost: that process records it, not this one.
    Settled(String),
    Store(anyhow::Error),
}

impl<E: Into<anyhow::Error>> From<E> for Finish {
    fn from(e: E) -> Self {
        Finish::Store(e.into())
    }
}

/// Record the outcome on the run's row and, for a real run, its evidence, in one transaction
/// that also drops the run's journal.
pub(super) async fn finish(
    state: &AppState,
    opts: &RunOptions,
    mut report: RunReport,
) -> Result<RunReport, Finish> {
    crate::pause::at("before-evidence", None).await;
    let now = state.clock.now();
    let txn = crate::db::begin_write(&state.db).await?;
    if !opts.dry_run {
        let event = Event::RetentionRun {
            run_id: report.run_id,
            attempt: opts.attempt,
            after_interrupted: opts.after_interrupted,
            rule: report.rule.clone(),
            rule_hash: report.rule_hash.clone(),
            trigger: opts.trigger.as_str().to_owned(),
            scheduled_for: opts.scheduled_for.map(|t| t.to_rfc3339()),
            cutoff: report.cutoff.to_rfc3339(),
            matched: report.counts.matched,
            affected: report.counts.affected,
            held: report.counts.held,
            keys_sha256: report.keys_sha256.clone(),
            remaining_over_age: report.remaining_over_age,
            oldest_remaining: report.oldest_remaining.map(|t| t.to_rfc3339()),
            duration_ms: report.duration_ms,
            outcome: report.outcome.as_str().to_owned(),
        };
        evidence::append_for(&txn, &event, Subject::RetentionRun(report.run_id), now).await?;
    }
    // Written only if the run is still `running` at this attempt: a run that lost its lock may
    // be settled by another process at the same time, and one of the two records it, once; or
    // its run was settled and taken again for a retry, whose attempt is not this one's to
    // record. (On PostgreSQL the second UPDATE waits for the first to commit and then finds
    // the row changed.)
    let report_json = serde_json::to_string(&report)?;
    let done = retention_runs::Entity::update_many()
        .col_expr(retention_runs::Column::FinishedAt, Expr::value(Some(now)))
        .col_expr(retention_runs::Column::Outcome, Expr::value(report.outcome))
        .col_expr(
            retention_runs::Column::Error,
            Expr::value(report.error.clone()),
        )
        .col_expr(
            retention_runs::Column::Report,
            Expr::value(Some(report_json)),
        )
        .filter(retention_runs::Column::Id.eq(report.run_id))
        .filter(retention_runs::Column::Outcome.eq(Outcome::Running))
        .filter(retention_runs::Column::Attempt.eq(opts.attempt))
        .exec(&txn)
        .await?;
    if done.rows_affected != 1 {
        let now_is = retention_runs::Entity::find_by_id(report.run_id)
            .one(&txn)
            .await?
            .map_or("gone".to_owned(), |r| {
                format!("{}, attempt {}", r.outcome, r.attempt)
            });
        return Err(Finish::Settled(format!(
            "run {} (attempt {}) was settled meanwhile by a process that took the run lock this              one lost; it is now {now_is}",
            report.run_id, opts.attempt
        )));
    }
    journal::drop_run(&txn, report.run_id).await?;
    state
        .sequencer
        .commit_and_sign(txn, &state.db, &state.keys, now)
        .await?;
    // The run row got the event's index when the event went into the tree.
    if !opts.dry_run {
        report.evidence_index = retention_runs::Entity::find_by_id(report.run_id)
            .one(&state.db)
            .await?
            .and_then(|r| r.evidence_index)
            .map(|i| i as u64);
    }
    tracing::info!(
        rule = %report.rule,
        run = report.run_id,
        outcome = report.outcome.as_str(),
        affected = report.counts.affected,
        held = report.counts.held,
        "retention run finished"
    );
    Ok(report)
}
