//! A campaign's close in progress: who holds it (a token of that close) and since when, so a
//! close that was cut off can be taken over, and one still working cannot.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one at a time.
        m.alter_table(
            Table::alter()
                .table(ReviewCampaigns::Table)
                .add_column(string_null(ReviewCampaigns::ClosingBy))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(ReviewCampaigns::Table)
                .add_column(timestamp_with_time_zone_null(ReviewCampaigns::ClosingAt))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in [ReviewCampaigns::ClosingBy, ReviewCampaigns::ClosingAt] {
            m.alter_table(
                Table::alter()
                    .table(ReviewCampaigns::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum ReviewCampaigns {
    Table,
    ClosingBy,
    ClosingAt,
}
