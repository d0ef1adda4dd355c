//! Each rule's latest breach state, as the periodic check or its last run found it: pages read
//! it instead of counting on the datasource while they render.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(BreachChecks::Table)
                .if_not_exists()
                .col(string(BreachChecks::RuleId).primary_key())
                .col(timestamp_with_time_zone(BreachChecks::CheckedAt))
                .col(string(BreachChecks::Source))
                .col(boolean_null(BreachChecks::Compliant))
                .col(big_integer_null(BreachChecks::OverAge))
                .col(big_integer_null(BreachChecks::Held))
                .col(timestamp_with_time_zone_null(BreachChecks::Oldest))
                .col(text_null(BreachChecks::Error))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(BreachChecks::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum BreachChecks {
    Table,
    RuleId,
    CheckedAt,
    Source,
    Compliant,
    OverAge,
    Held,
    Oldest,
    Error,
}
