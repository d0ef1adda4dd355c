//! The evidence queue: events committed with the change they record, waiting for the sequencer
//! to put them in the tree. Callers insert here without touching the head row, so concurrent
//! transactions commit together; the tree grows in batches under the head row's lock.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(EvidenceQueue::Table)
                .if_not_exists()
                .col(big_pk_auto(EvidenceQueue::Id))
                .col(timestamp_with_time_zone(EvidenceQueue::CreatedAt))
                .col(string(EvidenceQueue::Kind))
                .col(text(EvidenceQueue::Body))
                // The row that stores this entry's index once it has one (a run, a campaign).
                .col(string_null(EvidenceQueue::Subject))
                .col(big_integer_null(EvidenceQueue::SubjectId))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(EvidenceQueue::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum EvidenceQueue {
    Table,
    Id,
    CreatedAt,
    Kind,
    Body,
    Subject,
    SubjectId,
}
