//! The evidence index of each register version: the entry that recorded it, so the register as
//! of a date cites its proof. Versions written before this step have none; readers find their
//! entry by its kind, key and version.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(RegisterVersions::Table)
                .add_column(big_integer_null(RegisterVersions::EvidenceIndex))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(RegisterVersions::Table)
                .drop_column(RegisterVersions::EvidenceIndex)
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum RegisterVersions {
    Table,
    EvidenceIndex,
}
