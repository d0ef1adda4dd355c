//! Reviews: campaigns (unique per policy and scheduled occurrence) and their items.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ReviewCampaigns::Table)
                .if_not_exists()
                .col(pk_auto(ReviewCampaigns::Id))
                .col(string(ReviewCampaigns::PolicyId))
                .col(string(ReviewCampaigns::PolicyHash))
                .col(string(ReviewCampaigns::Kind))
                .col(string(ReviewCampaigns::Trigger))
                .col(timestamp_with_time_zone_null(ReviewCampaigns::ScheduledFor))
                .col(timestamp_with_time_zone(ReviewCampaigns::OpenedAt))
                .col(timestamp_with_time_zone(ReviewCampaigns::DueAt))
                .col(timestamp_with_time_zone_null(ReviewCampaigns::ClosedAt))
                .col(string(ReviewCampaigns::Status))
                .col(timestamp_with_time_zone_null(
                    ReviewCampaigns::OverdueNotifiedAt,
                ))
                .col(big_integer_null(ReviewCampaigns::EvidenceIndex))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_review_campaigns_policy_occurrence")
                .table(ReviewCampaigns::Table)
                .col(ReviewCampaigns::PolicyId)
                .col(ReviewCampaigns::ScheduledFor)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ReviewItems::Table)
                .if_not_exists()
                .col(pk_auto(ReviewItems::Id))
                .col(integer(ReviewItems::CampaignId))
                .col(string(ReviewItems::AccountKey))
                .col(string(ReviewItems::Display))
                .col(string_null(ReviewItems::Role))
                .col(string_null(ReviewItems::LastActivity))
                .col(string(ReviewItems::Change))
                .col(string_null(ReviewItems::Decision))
                .col(text_null(ReviewItems::Justification))
                .col(string_null(ReviewItems::DecidedBy))
                .col(timestamp_with_time_zone_null(ReviewItems::DecidedAt))
                .col(string_null(ReviewItems::Action))
                .foreign_key(
                    ForeignKey::create()
                        .from(ReviewItems::Table, ReviewItems::CampaignId)
                        .to(ReviewCampaigns::Table, ReviewCampaigns::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_review_items_campaign")
                .table(ReviewItems::Table)
                .col(ReviewItems::CampaignId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ReviewItems::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(ReviewCampaigns::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ReviewCampaigns {
    Table,
    Id,
    PolicyId,
    PolicyHash,
    Kind,
    Trigger,
    ScheduledFor,
    OpenedAt,
    DueAt,
    ClosedAt,
    Status,
    OverdueNotifiedAt,
    EvidenceIndex,
}

#[derive(DeriveIden)]
enum ReviewItems {
    Table,
    Id,
    CampaignId,
    AccountKey,
    Display,
    Role,
    LastActivity,
    Change,
    Decision,
    Justification,
    DecidedBy,
    DecidedAt,
    Action,
}
