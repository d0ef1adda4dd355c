//! The installation's evidence verifier key beside its installation key's fingerprint: a CLI run
//! or replica with another signing key is refused instead of signing checkpoints no published
//! key verifies.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Installation::Table)
                // Null on a store first used before this step: the next start records it.
                .add_column(text_null(Installation::VerifierKey))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Installation::Table)
                .drop_column(Installation::VerifierKey)
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum Installation {
    Table,
    VerifierKey,
}
