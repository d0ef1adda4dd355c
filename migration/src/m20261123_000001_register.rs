//! The versioned register: entries (services, organisations, datasources), their versions,
//! the search terms and instructions of each current service, and the declared rules.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(RegisterEntries::Table)
                .if_not_exists()
                .col(pk_auto(RegisterEntries::Id))
                .col(timestamp_with_time_zone(RegisterEntries::UpdatedAt))
                .col(string(RegisterEntries::Kind))
                .col(string(RegisterEntries::Key))
                .col(string(RegisterEntries::Name))
                .col(integer(RegisterEntries::CurrentVersion))
                .col(string(RegisterEntries::ContentHash))
                .col(text(RegisterEntries::Body))
                .col(text(RegisterEntries::SearchText))
                .col(timestamp_with_time_zone_null(RegisterEntries::RetiredAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_register_entries_kind_key")
                .table(RegisterEntries::Table)
                .col(RegisterEntries::Kind)
                .col(RegisterEntries::Key)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(RegisterVersions::Table)
                .if_not_exists()
                .col(pk_auto(RegisterVersions::Id))
                .col(timestamp_with_time_zone(RegisterVersions::CreatedAt))
                .col(integer(RegisterVersions::EntryId))
                .col(integer(RegisterVersions::Version))
                .col(string(RegisterVersions::ContentHash))
                .col(string_null(RegisterVersions::SourceFile))
                .col(string_null(RegisterVersions::SourceHash))
                .col(string(RegisterVersions::Author))
                .col(string(RegisterVersions::Reason))
                .col(boolean(RegisterVersions::Retired))
                .col(text(RegisterVersions::Body))
                .foreign_key(
                    ForeignKey::create()
                        .from(RegisterVersions::Table, RegisterVersions::EntryId)
                        .to(RegisterEntries::Table, RegisterEntries::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_register_versions_entry_version")
                .table(RegisterVersions::Table)
                .col(RegisterVersions::EntryId)
                .col(RegisterVersions::Version)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ServiceTerms::Table)
                .if_not_exists()
                .col(pk_auto(ServiceTerms::Id))
                .col(integer(ServiceTerms::EntryId))
                .col(string(ServiceTerms::Term))
                .col(string(ServiceTerms::Value))
                .foreign_key(
                    ForeignKey::create()
                        .from(ServiceTerms::Table, ServiceTerms::EntryId)
                        .to(RegisterEntries::Table, RegisterEntries::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_service_terms_term_value")
                .table(ServiceTerms::Table)
                .col(ServiceTerms::Term)
                .col(ServiceTerms::Value)
                .col(ServiceTerms::EntryId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_service_terms_entry")
                .table(ServiceTerms::Table)
                .col(ServiceTerms::EntryId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Instructions::Table)
                .if_not_exists()
                .col(pk_auto(Instructions::Id))
                .col(integer(Instructions::EntryId))
                .col(string(Instructions::InstructionId))
                .col(string(Instructions::Source))
                .col(text(Instructions::Text))
                .col(string_null(Instructions::EnforcedBy))
                .col(string_null(Instructions::ManualOwner))
                .foreign_key(
                    ForeignKey::create()
                        .from(Instructions::Table, Instructions::EntryId)
                        .to(RegisterEntries::Table, RegisterEntries::Id),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Rules::Table)
                .if_not_exists()
                .col(string(Rules::Id).primary_key())
                .col(string(Rules::Kind))
                .col(integer(Rules::EntryId))
                .col(string(Rules::ContentHash))
                .col(text(Rules::Body))
                .col(timestamp_with_time_zone_null(Rules::RetiredAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Rules::Table, Rules::EntryId)
                        .to(RegisterEntries::Table, RegisterEntries::Id),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Rules::Table.into_iden(),
            Instructions::Table.into_iden(),
            ServiceTerms::Table.into_iden(),
            RegisterVersions::Table.into_iden(),
            RegisterEntries::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum RegisterEntries {
    Table,
    Id,
    UpdatedAt,
    Kind,
    Key,
    Name,
    CurrentVersion,
    ContentHash,
    Body,
    SearchText,
    RetiredAt,
}

#[derive(DeriveIden)]
enum RegisterVersions {
    Table,
    Id,
    CreatedAt,
    EntryId,
    Version,
    ContentHash,
    SourceFile,
    SourceHash,
    Author,
    Reason,
    Retired,
    Body,
}

#[derive(DeriveIden)]
enum ServiceTerms {
    Table,
    Id,
    EntryId,
    Term,
    Value,
}

#[derive(DeriveIden)]
enum Instructions {
    Table,
    Id,
    EntryId,
    InstructionId,
    Source,
    Text,
    EnforcedBy,
    ManualOwner,
}

#[derive(DeriveIden)]
enum Rules {
    Table,
    Id,
    Kind,
    EntryId,
    ContentHash,
    Body,
    RetiredAt,
}
