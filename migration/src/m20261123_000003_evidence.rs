//! The evidence ledger: entries, the tree's stored hashes (Go tlog layout, raw 32 bytes), a
//! head row whose lock serialises appends, and signed checkpoints.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(EvidenceEntries::Table)
                .if_not_exists()
                .col(big_integer(EvidenceEntries::Idx).primary_key())
                .col(timestamp_with_time_zone(EvidenceEntries::CreatedAt))
                .col(string(EvidenceEntries::Kind))
                .col(text(EvidenceEntries::Body))
                .col(binary(EvidenceEntries::LeafHash))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(EvidenceHashes::Table)
                .if_not_exists()
                .col(big_integer(EvidenceHashes::Idx).primary_key())
                .col(binary(EvidenceHashes::Hash))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(EvidenceHead::Table)
                .if_not_exists()
                .col(integer(EvidenceHead::Id).primary_key())
                .col(big_integer(EvidenceHead::Size))
                // The tree's right edge (its perfect subtrees' roots, largest first), so an
                // append needs no read of earlier hashes.
                .col(binary_null(EvidenceHead::Frontier))
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::insert()
                .into_table(EvidenceHead::Table)
                .columns([EvidenceHead::Id, EvidenceHead::Size])
                .values_panic([1.into(), 0i64.into()])
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(EvidenceCheckpoints::Table)
                .if_not_exists()
                .col(pk_auto(EvidenceCheckpoints::Id))
                .col(timestamp_with_time_zone(EvidenceCheckpoints::CreatedAt))
                .col(big_integer(EvidenceCheckpoints::TreeSize))
                .col(string(EvidenceCheckpoints::RootHash))
                .col(text(EvidenceCheckpoints::Note))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            EvidenceCheckpoints::Table.into_iden(),
            EvidenceHead::Table.into_iden(),
            EvidenceHashes::Table.into_iden(),
            EvidenceEntries::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum EvidenceEntries {
    Table,
    Idx,
    CreatedAt,
    Kind,
    Body,
    LeafHash,
}

#[derive(DeriveIden)]
enum EvidenceHashes {
    Table,
    Idx,
    Hash,
}

#[derive(DeriveIden)]
enum EvidenceHead {
    Table,
    Id,
    Size,
    Frontier,
}

#[derive(DeriveIden)]
enum EvidenceCheckpoints {
    Table,
    Id,
    CreatedAt,
    TreeSize,
    RootHash,
    Note,
}
