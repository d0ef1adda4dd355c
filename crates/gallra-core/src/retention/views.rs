//! What the edges show of retention: rules with their next run, and pages of runs with their
//! reports.

use chrono::{DateTime, Utc};
use entity::retention_runs;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;

use super::{rule, RunReport};
use crate::occurrences::Schedule;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Serialize)]
pub struct RuleView {
    pub id: String,
    pub description: Option<String>,
    pub datasource: String,
    pub table: String,
    pub keep_for: String,
    pub action: String,
    pub schedule: String,
    pub timezone: String,
    pub next_run: Option<DateTime<Utc>>,
    pub max_rows: Option<i64>,
    pub max_percent: Option<i64>,
    pub version_hash: String,
}

/// Every rule with its next scheduled run after `now`.
pub async fn rule_views(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<RuleView>> {
    let rules = rule::list(db).await?;
    Ok(rules
        .into_iter()
        .map(|r| {
            let spec = &r.spec;
            let next_run = Schedule::parse(spec.schedule.get_ref(), spec.timezone.get_ref())
                .ok()
                .and_then(|x| x.next_after(now));
            RuleView {
                id: r.id().to_owned(),
                description: spec.description.clone(),
                datasource: spec.datasource.get_ref().clone(),
                table: spec.table.get_ref().clone(),
                keep_for: spec.keep_for.get_ref().clone(),
                action: format!("{:?}", spec.action).to_lowercase(),
                schedule: spec.schedule.get_ref().clone(),
                timezone: spec.timezone.get_ref().clone(),
                next_run,
                max_rows: spec.max_rows.as_ref().map(|x| *x.get_ref()),
                max_percent: spec.max_percent.as_ref().map(|x| *x.get_ref()),
                version_hash: r.hash.clone(),
            }
        })
        .collect())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Serialize)]
pub struct RunRow {
    pub id: i32,
    pub rule: String,
    pub rule_hash: String,
    pub trigger: String,
    pub scheduled_for: Option<DateTime<Utc>>,
    pub late: bool,
    pub dry_run: bool,
    pub attempt: i32,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub outcome: super::Outcome,
    pub error: Option<String>,
    pub approved_by: Option<String>,
    /// Why the DPO approved it past its guard.
    pub approval_reason: Option<String>,
    pub report: Option<RunReport>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Serialize)]
pub struct RunPage {
    pub items: Vec<RunRow>,
    pub total: u64,
    pub limit: u64,
    pub offset: u64,
}

/// Runs newest first, of `rule` and with `outcome` if given.
pub async fn runs_page(
    db: &impl ConnectionTrait,
    rule: Option<&str>,
    outcome: Option<&str>,
    limit: u64,
    offset: u64,
) -> Result<RunPage, sea_orm::DbErr> {
    let mut select = retention_runs::Entity::find();
    if let Some(r) = rule {
        select = select.filter(retention_runs::Column::RuleId.eq(r));
    }
    if let Some(o) = outcome {
        select = select.filter(retention_runs::Column::Outcome.eq(o));
    }
    let total = select.clone().count(db).await?;
    let rows = select
        .order_by_desc(retention_runs::Column::Id)
        .limit(limit)
        .offset(offset)
        .all(db)
        .await?;
    let items = rows.into_iter().map(row).collect();
    Ok(RunPage {
        items,
        total,
        limit,
        offset,
    })
}

/// One run with its report.
pub async fn run_row(db: &impl ConnectionTrait, id: i32) -> Result<Option<RunRow>, sea_orm::DbErr> {
    Ok(retention_runs::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(row))
}

/// A run's row as the edges show it. The evidence index is stored on the row when the run's
/// event enters the tree, after the report was written.
fn row(r: retention_runs::Model) -> RunRow {
    RunRow {
        // The index is stored on the row when the run's event enters the tree, after
        // the report was written.
        report: r
            .report
            .as_deref()
            .and_then(|x| serde_json::from_str::<RunReport>(x).ok())
            .map(|report| RunReport {
                evidence_index: r.evidence_index.map(|i| i as u64),
                ..report
            }),
        id: r.id,
        rule: r.rule_id,
        rule_hash: r.rule_hash,
        trigger: r.trigger,
        scheduled_for: r.scheduled_for,
        late: r.late,
        dry_run: r.dry_run,
        attempt: r.attempt,
        started_at: r.started_at,
        finished_at: r.finished_at,
        outcome: r.outcome,
        error: r.error,
        approved_by: r.approved_by,
        approval_reason: r.approval_reason,
    }
}

/// How many runs have `outcome` now (the overview's runs waiting for a DPO, failed runs).
pub async fn count_with_outcome(
    db: &impl ConnectionTrait,
    outcome: super::Outcome,
) -> Result<u64, sea_orm::DbErr> {
    use sea_orm::PaginatorTrait;
    retention_runs::Entity::find()
        .filter(retention_runs::Column::Outcome.eq(outcome))
        .count(db)
        .await
}
