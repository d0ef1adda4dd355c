//! Breach detection: per rule, the age of the oldest record against keep_for. A rule is
//! compliant only when nothing is over age outside holds, whoever does the deleting. A check
//! counts on the datasource; what it found is recorded (`breach_checks`), as is what each
//! run's post-condition found, and pages show the latest of those — never a count made while
//! they render.

use chrono::{DateTime, Utc};
use entity::breach_checks;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
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
    /// When this was found: now for a check, the check's or run's time for a recorded state.
    pub checked_at: Option<DateTime<Utc>>,
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
        checked_at: Some(now),
    };
    if let Err(e) = fill(state, rule, &mut view).await {
        view.error = Some(e);
    }
    if let Err(e) = record(&state.db, &view, "check").await {
        tracing::warn!(rule = %view.rule, error = %e, "could not record a breach check");
    }
    view
}

/// Check every rule and record what was found (the periodic check).
pub async fn check_all(state: &AppState) -> anyhow::Result<usize> {
    let rules = super::rule::list(&state.db).await?;
    for r in &rules {
        check(state, r).await;
    }
    Ok(rules.len())
}

/// Record what a check or a run found, over what was recorded before for the rule.
pub async fn record(
    db: &impl ConnectionTrait,
    view: &BreachView,
    source: &str,
) -> Result<(), sea_orm::DbErr> {
    let row = breach_checks::ActiveModel {
        rule_id: Set(view.rule.clone()),
        checked_at: Set(view.checked_at.unwrap_or(view.cutoff)),
        source: Set(source.to_owned()),
        compliant: Set(view.compliant),
        over_age: Set(view.over_age.map(|n| n as i64)),
        held: Set(view.held.map(|n| n as i64)),
        oldest: Set(view.oldest),
        error: Set(view.error.clone()),
    };
    breach_checks::Entity::insert(row)
        .on_conflict(
            OnConflict::column(breach_checks::Column::RuleId)
                .update_columns([
                    breach_checks::Column::CheckedAt,
                    breach_checks::Column::Source,
                    breach_checks::Column::Compliant,
                    breach_checks::Column::OverAge,
                    breach_checks::Column::Held,
                    breach_checks::Column::Oldest,
                    breach_checks::Column::Error,
                ])
                .to_owned(),
        )
        .exec(db)
        .await
        .map(|_| ())
}

/// What a finished run's post-condition found, recorded as the rule's breach state (a dry run,
/// or a run whose post-condition was not checked, records nothing).
pub async fn record_run(
    db: &impl ConnectionTrait,
    rule: &Rule,
    report: &super::RunReport,
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    let Some(remaining) = report.remaining_over_age.filter(|_| !report.dry_run) else {
        return Ok(());
    };
    let view = BreachView {
        rule: rule.id().to_owned(),
        keep_for: rule.spec.keep_for.get_ref().clone(),
        cutoff: report.cutoff,
        compliant: Some(remaining == 0),
        over_age: Some(remaining),
        held: Some(report.counts.held),
        oldest: report.oldest_remaining,
        oldest_age_seconds: report.oldest_remaining.map(|o| (now - o).num_seconds()),
        error: None,
        checked_at: Some(now),
    };
    record(db, &view, "run").await
}

/// Each rule's latest recorded state; a rule never checked is "not checked" (compliant `None`).
pub async fn recorded(
    db: &impl ConnectionTrait,
    rules: &[Rule],
    now: DateTime<Utc>,
) -> Result<Vec<BreachView>, sea_orm::DbErr> {
    let mut found: std::collections::HashMap<String, breach_checks::Model> =
        breach_checks::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|m| (m.rule_id.clone(), m))
            .collect();
    Ok(rules
        .iter()
        .map(|r| {
            let m = found.remove(r.id());
            BreachView {
                rule: r.id().to_owned(),
                keep_for: r.spec.keep_for.get_ref().clone(),
                cutoff: r.cutoff(m.as_ref().map_or(now, |m| m.checked_at)),
                compliant: m.as_ref().and_then(|m| m.compliant),
                over_age: m.as_ref().and_then(|m| m.over_age).map(|n| n as u64),
                held: m.as_ref().and_then(|m| m.held).map(|n| n as u64),
                oldest: m.as_ref().and_then(|m| m.oldest),
                oldest_age_seconds: m
                    .as_ref()
                    .and_then(|m| m.oldest)
                    .map(|o| (now - o).num_seconds()),
                error: m.as_ref().and_then(|m| m.error.clone()),
                checked_at: m.as_ref().map(|m| m.checked_at),
            }
        })
        .collect())
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
