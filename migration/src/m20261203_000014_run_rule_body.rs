//! The rule a run works by, as it was when the run took it: a run cut off part way is settled
//! from its journal by asking the rule's datasource about its last batch, and the rule may be
//! retired or changed (another table, another key) before that happens.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(RetentionRuns::Table)
                .add_column(text_null(RetentionRuns::RuleBody))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(RetentionRuns::Table)
                .drop_column(RetentionRuns::RuleBody)
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum RetentionRuns {
    Table,
    RuleBody,
}
