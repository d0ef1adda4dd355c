//! The entry points every edge calls to run a rule or approve a guarded run: each detaches the
//! work (`crate::detached`), so a dropped request never leaves a run half done.

use super::approval;
use super::report::RunReport;
use super::run::{run_rule, RunError, RunOptions};
use crate::context::AppState;

/// Run `rule` now, to its end whatever becomes of the caller.
pub async fn start_run(
    state: &AppState,
    rule: &str,
    opts: RunOptions,
) -> Result<RunReport, RunError> {
    let (state, rule) = (state.clone(), rule.to_owned());
    crate::detached::to_completion(async move { run_rule(&state, &rule, opts, |_| {}).await })
        .await?
}

/// Approve run `run_id` a guard stopped, by `by` (token `token_id`) for `reason`; it runs now,
/// to its end whatever becomes of the caller.
pub async fn start_approval(
    state: &AppState,
    run_id: i32,
    token_id: i32,
    by: &str,
    reason: &str,
) -> Result<RunReport, RunError> {
    let (state, by, reason) = (state.clone(), by.to_owned(), reason.to_owned());
    crate::detached::to_completion(async move {
        approval::approve(&state, run_id, token_id, &by, &reason).await
    })
    .await?
}
