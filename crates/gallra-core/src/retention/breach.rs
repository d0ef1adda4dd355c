//! Breach detection: per rule, the age of the oldest record against keep_for. A rule is
//! compliant only when nothing is over age outside holds, whoever does the deleting.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::exec;
use super::plan::{Plan, BATCH};
use super::rule::Rule;
use crate::context::AppState;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Serialize)]
pub struct BreachView {
    pub rule: String,
    pub keep_for: String,
    pub cutoff: DateTime<Utc>,
    pub compliant: Option<bool>,
    /// Rows older than the cutoff outside legal holds.
    pub over_age: Option<u64>,
    pub held: Option<u64>,
    pub oldest: Option<DateTime<Utc>>,
    /// Age of the oldest record, in seconds.
    pub oldest_age_seconds: Option<i64>,
    /// Why the rule could not be checked (unset or unreachable datasource, missing table).
    pub error: Option<String>,
}

pub async fn check(state: &AppState, rule: &Rule) -> BreachView {
    let now = state.clock.now();
    let cutoff = rule.cutoff(now);
    let mut view = BreachView {
        rule: rule.id().to_owned(),
        keep_for: rule.spec.keep_for.get_ref().clone(),
        cutoff,
        compliant: None,
        over_age: None,
        held: None,
        oldest: None,
        oldest_age_seconds: None,
        error: None,
    };
    if let Err(e) = fill(state, rule, &mut view).await {
        view.error = Some(e);
    }
    view
}

async fn fill(state: &AppState, rule: &Rule, view: &mut BreachView) -> Result<(), String> {
    let (ds, held) = rule.prepare(state).await?;
    let plan = Plan {
        key: &state.installation_key,
        rule: &rule.spec,
        held: &held,
        cutoff: view.cutoff,
        batch: BATCH,
        journal: None,
    };
    let counts = exec::over_age_counts(&ds, &plan)
        .await
        .map_err(|e| e.to_string())?;
    let (remaining, oldest) = exec::postcondition(&ds, &plan)
        .await
        .map_err(|e| e.to_string())?;
    view.over_age = Some(remaining);
    view.held = Some(counts.held);
    view.compliant = Some(remaining == 0);
    view.oldest = oldest;
    view.oldest_age_seconds = oldest.map(|o| (state.clock.now() - o).num_seconds());
    Ok(())
}
