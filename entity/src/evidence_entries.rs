//! `evidence_entries`: the log's leaves, canonical JSON, never updated or deleted.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "evidence_entries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub idx: i64,
    pub created_at: DateTimeUtc,
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub leaf_hash: Vec<u8>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
