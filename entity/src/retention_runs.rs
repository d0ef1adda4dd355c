//! `retention_runs`: every run of a retention rule, unique per (rule, scheduled occurrence).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "retention_runs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub rule_id: String,
    pub rule_hash: String,
    pub trigger: String,
    pub scheduled_for: Option<DateTimeUtc>,
    pub late: bool,
    pub dry_run: bool,
    pub attempt: i32,
    pub created_at: DateTimeUtc,
    pub started_at: Option<DateTimeUtc>,
    pub finished_at: Option<DateTimeUtc>,
    pub outcome: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub report: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub error: Option<String>,
    pub approved_by: Option<String>,
    pub evidence_index: Option<i64>,
    /// Written while the run works: a run whose heartbeat is recent is not stale.
    pub heartbeat_at: Option<DateTimeUtc>,
    /// Why a DPO approved this run past its guard (the evidence holds its SHA-256).
    #[sea_orm(column_type = "Text", nullable)]
    pub approval_reason: Option<String>,
    /// The canonical body of the rule version the run works by: what its journal is settled
    /// against, though the rule be retired or changed meanwhile.
    #[sea_orm(column_type = "Text", nullable)]
    pub rule_body: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
