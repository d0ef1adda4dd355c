//! Work in progress and who holds it: a run's heartbeat, written while it works, so a run
//! longer than the stale limit is not taken for one a crash cut off; the reason a DPO gave for
//! approving a guarded run; a campaign's close, by a token of that close and since when, so a
//! close that was cut off can be taken over and one still working cannot.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        for (table, column) in columns() {
            m.alter_table(
                Table::alter()
                    .table(table)
                    .add_column(column.to_owned())
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (table, column) in columns() {
            let name = column.get_column_name();
            m.alter_table(
                Table::alter()
                    .table(table)
                    .drop_column(Alias::new(name))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}

/// The columns this step adds, each with its table.
fn columns() -> Vec<(Alias, ColumnDef)> {
    vec![
        (
            Alias::new("retention_runs"),
            timestamp_with_time_zone_null(Alias::new("heartbeat_at")),
        ),
        (
            Alias::new("retention_runs"),
            text_null(Alias::new("approval_reason")),
        ),
        (
            Alias::new("review_campaigns"),
            string_null(Alias::new("closing_by")),
        ),
        (
            Alias::new("review_campaigns"),
            timestamp_with_time_zone_null(Alias::new("closing_at")),
        ),
    ]
}
