//! Placing and lifting a legal hold as a whole change: checked, written with its evidence in
//! one transaction, committed through the sequencer. Every edge calls these.

use super::holds::{self, HoldView, NewHold};
use super::rule;
use crate::context::AppState;

#[derive(Debug, thiserror::Error)]
pub enum HoldError {
    #[error("no retention rule `{0}`")]
    UnknownRule(String),
    #[error("no legal hold {0}")]
    UnknownHold(i32),
    /// The hold itself is refused (no keys, too many keys, already held): says why.
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Store(#[from] anyhow::Error),
}

impl From<sea_orm::DbErr> for HoldError {
    fn from(e: sea_orm::DbErr) -> Self {
        HoldError::Store(e.into())
    }
}

/// Place a hold on rule `id` by `by`.
pub async fn place(
    state: &AppState,
    id: &str,
    req: &NewHold,
    by: &str,
) -> Result<HoldView, HoldError> {
    if rule::load(&state.db, id).await?.is_none() {
        return Err(HoldError::UnknownRule(id.to_owned()));
    }
    let now = state.clock.now();
    let txn = crate::db::begin_write(&state.db).await?;
    // In the hold's transaction, as `place` checks it again.
    if let Some(why) = holds::refusal(req, &holds::active(&txn, id).await?) {
        return Err(HoldError::Refused(why));
    }
    let hold = holds::place(&txn, id, req, by, now).await?;
    state
        .sequencer
        .commit(txn, &state.db, &state.keys, now)
        .await?;
    Ok(hold)
}

/// Lift hold `id` by `by`.
pub async fn lift(state: &AppState, id: i32, by: &str) -> Result<HoldView, HoldError> {
    let now = state.clock.now();
    let txn = crate::db::begin_write(&state.db).await?;
    let lifted = holds::lift(&txn, id, by, now).await?;
    state
        .sequencer
        .commit(txn, &state.db, &state.keys, now)
        .await?;
    lifted.ok_or(HoldError::UnknownHold(id))
}
