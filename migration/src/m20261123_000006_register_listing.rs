//! An index that answers the register list by itself: which entries are live services, in key
//! order. Without it every list and count read each row whole, and `retired_at` sits after the
//! records' large `body` and `search_text`: on SQLite a row's overflow pages are read to reach it.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const NAME: &str = "ix_register_entries_listing";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name(NAME)
                .table(RegisterEntries::Table)
                .col(RegisterEntries::Kind)
                .col(RegisterEntries::RetiredAt)
                .col(RegisterEntries::Key)
                .if_not_exists()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name(NAME)
                .table(RegisterEntries::Table)
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum RegisterEntries {
    Table,
    Kind,
    RetiredAt,
    Key,
}
