//! Approving a guarded run: the approval is evidence, then the rule runs past its guard.

use entity::retention_runs;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::run::{run_rule, RunError, RunOptions, Trigger};
use super::RunReport;
use crate::evidence::{self, Event};
use crate::http::AppState;

/// Approve run `run_id` (awaiting approval) by token `token_id`, then run the rule now.
pub async fn approve(
    state: &AppState,
    run_id: i32,
    token_id: i32,
    by: &str,
) -> Result<RunReport, RunError> {
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
        .col_expr(retention_runs::Column::Outcome, Expr::value("approved"))
        .col_expr(
            retention_runs::Column::ApprovedBy,
            Expr::value(Some(by.to_owned())),
        )
        .filter(retention_runs::Column::Id.eq(run_id))
        .filter(retention_runs::Column::Outcome.eq("awaiting_approval"))
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
