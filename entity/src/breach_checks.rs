//! `breach_checks`: each rule's latest breach state, from the periodic check or its last run.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "breach_checks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub rule_id: String,
    pub checked_at: DateTimeUtc,
    /// `check` (the periodic or an asked-for check) or `run` (a run's post-condition).
    pub source: String,
    pub compliant: Option<bool>,
    pub over_age: Option<i64>,
    pub held: Option<i64>,
    pub oldest: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub error: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
