//! `run_journal`: a retention run's batches, each `pending` before its datasource commit and
//! `committed` after; with their keys until the run is settled.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "run_journal")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub run_id: i32,
    pub attempt: i32,
    pub batch: i64,
    pub state: String,
    pub rows: i64,
    #[sea_orm(column_type = "Text")]
    pub keys: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
