//! Connecting to gallra's own store and bringing its schema up to date.

use std::time::Duration;

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection};

/// Connect (creating a SQLite file's folder if needed) and run pending migrations.
/// A pooled connection idle this long may have been dropped by the server or a firewall: it is
/// pinged before use. Fresher ones are not (a ping is a round trip per checkout).
pub const PING_AFTER_IDLE: Duration = Duration::from_secs(30);

pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        let file = path.split('?').next().unwrap_or(path);
        if let Some(dir) = std::path::Path::new(file)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
    }
    let mut opts = ConnectOptions::new(url.to_owned());
    // Statements can carry search terms; they are not logged.
    opts.sqlx_logging(false)
        .test_before_acquire_if_idle_for(PING_AFTER_IDLE)
        .acquire_timeout(Duration::from_secs(10))
        .max_connections(16);
    let db = Database::connect(opts)
        .await
        .with_context(|| format!("cannot connect to the store at {}", redact(url)))?;
    if db.get_database_backend() == sea_orm::DatabaseBackend::Sqlite {
        db.execute_unprepared(
            "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;",
        )
        .await?;
    }
    Migrator::up(&db, None)
        .await
        .context("migrating the store")?;
    Ok(db)
}

/// A URL without its password, fit for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{user}:***{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}

/// Begin a transaction that will write. On SQLite it takes the write lock at BEGIN
/// (IMMEDIATE), so it waits its turn instead of failing when a read must later upgrade.
pub async fn begin_write(
    db: &DatabaseConnection,
) -> Result<sea_orm::DatabaseTransaction, sea_orm::DbErr> {
    use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}
