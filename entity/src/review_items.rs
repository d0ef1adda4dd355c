//! `review_items`: one account in a campaign and the decision on it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "review_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub campaign_id: i32,
    pub account_key: String,
    pub display: String,
    pub role: Option<String>,
    pub last_activity: Option<String>,
    /// snapshot: `current`; differential: `added` / `changed` / `removed`; exit: `not_in_roster`.
    pub change: String,
    pub decision: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub justification: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
    pub action: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
