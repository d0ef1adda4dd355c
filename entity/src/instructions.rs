//! `instructions`: the controllers' instructions of each current service and their enforcement.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "instructions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub entry_id: i32,
    pub instruction_id: String,
    pub source: String,
    #[sea_orm(column_type = "Text")]
    pub text: String,
    pub enforced_by: Option<String>,
    pub manual_owner: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
