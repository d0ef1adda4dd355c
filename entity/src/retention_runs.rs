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
    pub outcome: Outcome,
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

// How a run stands or ended, stored (and shown) as its snake_case name. (No doc comment: it
// would become the OpenAPI schema's description.)
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(
    Copy,
    Clone,
    Debug,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    serde::Serialize,
    serde::Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    #[sea_orm(string_value = "running")]
    Running,
    #[sea_orm(string_value = "succeeded")]
    Succeeded,
    /// The run deleted, but rows over age remain outside holds.
    #[sea_orm(string_value = "postcondition_failed")]
    PostconditionFailed,
    #[sea_orm(string_value = "failed")]
    Failed,
    #[sea_orm(string_value = "dry_run")]
    DryRun,
    /// A guard stopped the run before it changed anything; a DPO must approve it.
    #[sea_orm(string_value = "awaiting_approval")]
    AwaitingApproval,
    /// Its process stopped part way; settled from its journal by a later run or start.
    #[sea_orm(string_value = "interrupted")]
    Interrupted,
    /// A row awaiting approval once a DPO approved it (the approved run is a row of its own).
    /// Never a run's report: it is not read back, and not in the OpenAPI `Outcome`.
    #[sea_orm(string_value = "approved")]
    #[serde(skip_deserializing)]
    Approved,
}

impl Outcome {
    /// The stored name, as the API, the evidence and the pages show it.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Running => "running",
            Outcome::Succeeded => "succeeded",
            Outcome::PostconditionFailed => "postcondition_failed",
            Outcome::Failed => "failed",
            Outcome::DryRun => "dry_run",
            Outcome::AwaitingApproval => "awaiting_approval",
            Outcome::Interrupted => "interrupted",
            Outcome::Approved => "approved",
        }
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{ActiveEnum, Iterable};

    /// Stores written before the column was typed hold exactly these strings; the API and
    /// the evidence show the same.
    #[test]
    fn stored_and_shown_names_are_the_old_strings() {
        let names: Vec<String> = Outcome::iter().map(|v| v.to_value()).collect();
        assert_eq!(
            names,
            [
                "running",
                "succeeded",
                "postcondition_failed",
                "failed",
                "dry_run",
                "awaiting_approval",
                "interrupted",
                "approved"
            ]
        );
        for v in Outcome::iter() {
            assert_eq!(v.to_value(), v.as_str());
            assert_eq!(
                serde_json::to_string(&v).unwrap(),
                format!("\"{}\"", v.as_str())
            );
            assert_eq!(Outcome::try_from_value(&v.as_str().to_owned()).unwrap(), v);
        }
    }
}
