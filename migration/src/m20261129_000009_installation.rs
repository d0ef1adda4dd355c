//! The installation this store belongs to: a fingerprint of its installation key (a keyed hash
//! of a constant, which says nothing of the key), so a replica or a CLI run with another key is
//! refused instead of hashing equal values differently.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Installation::Table)
                .if_not_exists()
                // Always 1: one row.
                .col(integer(Installation::Id).primary_key())
                .col(string(Installation::KeyFingerprint))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Installation::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Installation {
    Table,
    Id,
    KeyFingerprint,
}
