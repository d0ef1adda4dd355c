//! `review_campaigns`: one review of a policy's accounts, unique per (policy, scheduled occurrence).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "review_campaigns")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub policy_id: String,
    pub policy_hash: String,
    pub kind: String,
    pub trigger: String,
    pub scheduled_for: Option<DateTimeUtc>,
    pub opened_at: DateTimeUtc,
    pub due_at: DateTimeUtc,
    pub closed_at: Option<DateTimeUtc>,
    pub status: String,
    pub overdue_notified_at: Option<DateTimeUtc>,
    pub evidence_index: Option<i64>,
    /// While `closing`: the token of the close that holds it, and since when.
    pub closing_by: Option<String>,
    pub closing_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
