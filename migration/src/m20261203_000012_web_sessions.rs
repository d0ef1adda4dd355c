//! The web interface's sessions and one-time login links, by the SHA-256 of their secrets (the
//! secrets live only in the browser's cookie, or the printed link): a session survives a
//! restart and works on every replica of one store.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(WebSessions::Table)
                .if_not_exists()
                .col(string(WebSessions::IdHash).primary_key())
                .col(integer(WebSessions::TokenId))
                .col(string(WebSessions::Csrf))
                .col(timestamp_with_time_zone(WebSessions::CreatedAt))
                .col(timestamp_with_time_zone(WebSessions::LastSeenAt))
                .col(timestamp_with_time_zone(WebSessions::ExpiresAt))
                .col(timestamp_with_time_zone_null(WebSessions::EndedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(LoginLinks::Table)
                .if_not_exists()
                .col(string(LoginLinks::SecretHash).primary_key())
                .col(integer(LoginLinks::TokenId))
                .col(timestamp_with_time_zone(LoginLinks::CreatedAt))
                .col(timestamp_with_time_zone(LoginLinks::ExpiresAt))
                .col(timestamp_with_time_zone_null(LoginLinks::UsedAt))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(LoginLinks::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(WebSessions::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum WebSessions {
    Table,
    IdHash,
    TokenId,
    Csrf,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
    EndedAt,
}

#[derive(DeriveIden)]
enum LoginLinks {
    Table,
    SecretHash,
    TokenId,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}
