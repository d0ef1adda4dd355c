//! `register_versions`: every version of every register entry, never updated or deleted.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "register_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub created_at: DateTimeUtc,
    pub entry_id: i32,
    pub version: i32,
    pub content_hash: String,
    pub source_file: Option<String>,
    pub source_hash: Option<String>,
    pub author: String,
    pub reason: String,
    pub retired: bool,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    /// The index of the evidence entry that recorded this version, once it is in the tree;
    /// `None` for versions written before the column (their entry is found by key and version).
    pub evidence_index: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
