//! Approving a guarded run: the approval is evidence, then the rule runs past its guard.

use entity::retention_runs;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::run::{run_rule, RunError, RunOptions, Trigger};
use super::{Outcome, RunReport};
use crate::context::AppState;
use crate::digest::sha256_hex;
use crate::evidence::{self, Event};

/// Approve run `run_id` (awaiting approval) by token `token_id`, for `reason`, then run the rule
/// now. The reason is kept on the run; the evidence holds its SHA-256, as free text may name
/// people.
pub async fn approve(
    state: &AppState,
    run_id: i32,
    token_id: i32,
    by: &str,
    reason: &str,
) -> Result<RunReport, RunError> {
    let reason = crate::text::REASON
        .check(reason)
        .map_err(|e| RunError::Refused(format!("an approval needs a reason: {e}")))?;
    let reason = reason.as_str();
    let now = state.clock.now();
    let txn = crate::db::begin_write(&state.db)
        .await
        .map_err(anyhow::Error::from)?;
    let run = retention_runs::Entity::find_by_id(run_id)
        .one(&txn)
        .await
        .map_err(anyhow::Error::from)?;
    let run = run.ok_or_else(|| RunError::UnknownRule(format!("run {run_id}")))?;
    let taken = retention_runs::Entity::update_many()
        .col_expr(
            retention_runs::Column::Outcome,
            Expr::value(Outcome::Approved),
        )
        .col_expr(
            retention_runs::Column::ApprovedBy,
            Expr::value(Some(by.to_owned())),
        )
        .col_expr(
            retention_runs::Column::ApprovalReason,
            Expr::value(Some(reason.to_owned())),
        )
        .filter(retention_runs::Column::Id.eq(run_id))
        .filter(retention_runs::Column::Outcome.eq(Outcome::AwaitingApproval))
        .exec(&txn)
        .await
        .map_err(anyhow::Error::from)?;
    if taken.rows_affected != 1 {
        return Err(RunError::AlreadyClaimed(format!(
            "{} (run {run_id} is not awaiting approval)",
            run.rule_id
        )));
    }
    let event = Event::RunApproved {
        run_id,
        rule: run.rule_id.clone(),
        approved_by_token: token_id,
        reason_sha256: sha256_hex(reason.as_bytes()),
    };
    evidence::append(&txn, &event, now)
        .await
        .map_err(|e| RunError::Store(e.into()))?;
    state
        .sequencer
        .commit(txn, &state.db, &state.keys, now)
        .await
        .map_err(anyhow::Error::from)?;
    let opts = RunOptions {
        trigger: Trigger::Approval,
        approved_by: Some(by.to_owned()),
        ..RunOptions::manual(false)
    };
    run_rule(state, &run.rule_id, opts, |_| {}).await
}
