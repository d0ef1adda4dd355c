//! A run's heartbeat: written while it works, so that a run longer than the stale limit is not
//! taken for one a crash cut off and run a second time by another replica.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(RetentionRuns::Table)
                .add_column(timestamp_with_time_zone_null(RetentionRuns::HeartbeatAt))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(RetentionRuns::Table)
                .drop_column(RetentionRuns::HeartbeatAt)
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum RetentionRuns {
    Table,
    HeartbeatAt,
}
