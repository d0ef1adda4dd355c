//! `legal_holds`: rows a retention rule must not touch, on the whole rule or on listed keys.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "legal_holds")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub rule_id: String,
    /// JSON array of keys; `None` holds every row of the rule.
    #[sea_orm(column_type = "Text", nullable)]
    pub keys: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    pub placed_by: String,
    pub placed_at: DateTimeUtc,
    pub lifted_by: Option<String>,
    pub lifted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
