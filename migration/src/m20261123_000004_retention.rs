//! Retention: one durable row per run (unique per rule and scheduled occurrence) and legal holds.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(RetentionRuns::Table)
                .if_not_exists()
                .col(pk_auto(RetentionRuns::Id))
                .col(string(RetentionRuns::RuleId))
                .col(string(RetentionRuns::RuleHash))
                .col(string(RetentionRuns::Trigger))
                .col(timestamp_with_time_zone_null(RetentionRuns::ScheduledFor))
                .col(boolean(RetentionRuns::Late))
                .col(boolean(RetentionRuns::DryRun))
                .col(integer(RetentionRuns::Attempt))
                .col(timestamp_with_time_zone(RetentionRuns::CreatedAt))
                .col(timestamp_with_time_zone_null(RetentionRuns::StartedAt))
                .col(timestamp_with_time_zone_null(RetentionRuns::FinishedAt))
                .col(string(RetentionRuns::Outcome))
                .col(text_null(RetentionRuns::Report))
                .col(text_null(RetentionRuns::Error))
                .col(string_null(RetentionRuns::ApprovedBy))
                .col(big_integer_null(RetentionRuns::EvidenceIndex))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_retention_runs_rule_occurrence")
                .table(RetentionRuns::Table)
                .col(RetentionRuns::RuleId)
                .col(RetentionRuns::ScheduledFor)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(LegalHolds::Table)
                .if_not_exists()
                .col(pk_auto(LegalHolds::Id))
                .col(string(LegalHolds::RuleId))
                .col(text_null(LegalHolds::Keys))
                .col(text(LegalHolds::Reason))
                .col(string(LegalHolds::PlacedBy))
                .col(timestamp_with_time_zone(LegalHolds::PlacedAt))
                .col(string_null(LegalHolds::LiftedBy))
                .col(timestamp_with_time_zone_null(LegalHolds::LiftedAt))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(LegalHolds::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(RetentionRuns::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum RetentionRuns {
    Table,
    Id,
    RuleId,
    RuleHash,
    Trigger,
    ScheduledFor,
    Late,
    DryRun,
    Attempt,
    CreatedAt,
    StartedAt,
    FinishedAt,
    Outcome,
    Report,
    Error,
    ApprovedBy,
    EvidenceIndex,
}

#[derive(DeriveIden)]
enum LegalHolds {
    Table,
    Id,
    RuleId,
    Keys,
    Reason,
    PlacedBy,
    PlacedAt,
    LiftedBy,
    LiftedAt,
}
