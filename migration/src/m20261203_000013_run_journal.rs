//! The journal of a retention run's batches: one row per batch, written in the store before the
//! datasource commits the batch and marked committed after, with the batch's keys (compactly)
//! until the run is settled. A run cut off part way is settled from it, exactly.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(RunJournal::Table)
                .if_not_exists()
                .col(pk_auto(RunJournal::Id))
                .col(integer(RunJournal::RunId))
                .col(integer(RunJournal::Attempt))
                .col(big_integer(RunJournal::Batch))
                .col(string(RunJournal::State))
                .col(big_integer(RunJournal::Rows))
                .col(text(RunJournal::Keys))
                .col(timestamp_with_time_zone(RunJournal::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("run_journal_run")
                .table(RunJournal::Table)
                .col(RunJournal::RunId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(RunJournal::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum RunJournal {
    Table,
    Id,
    RunId,
    Attempt,
    Batch,
    State,
    Rows,
    Keys,
    CreatedAt,
}
