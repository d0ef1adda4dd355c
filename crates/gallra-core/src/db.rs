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
        create_private(std::path::Path::new(file))?;
    }
    let mut opts = ConnectOptions::new(url.to_owned());
    // Statements can carry search terms; they are not logged.
    opts.sqlx_logging(false)
        .test_before_acquire_if_idle_for(PING_AFTER_IDLE)
        .acquire_timeout(Duration::from_secs(10))
        .max_connections(POOL_SIZE);
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

/// Create a new SQLite store file readable by its owner only: it holds the names of the people
/// in review campaigns and the keys of legal holds. SQLite gives its `-wal` and `-shm` files
/// the database file's permissions.
fn create_private(file: &std::path::Path) -> anyhow::Result<()> {
    if file.as_os_str().is_empty() || file == std::path::Path::new(":memory:") || file.exists() {
        return Ok(());
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(file) {
        // Another process made it first: it is that one's to have made private.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        other => other
            .map(drop)
            .with_context(|| format!("cannot create {}", file.display())),
    }
}

/// `url` with its password (in the user part or a `password=` parameter) replaced by `***`.
pub fn redact(url: &str) -> String {
    let url = match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{user}:***{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_owned(),
    };
    // A password can also be a query parameter (`?password=…`, as sqlx reads it).
    match url.split_once('?') {
        Some((base, query)) => {
            let query: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                    _ => pair.to_owned(),
                })
                .collect();
            format!("{base}?{}", query.join("&"))
        }
        None => url,
    }
}

/// The most connections a process holds to its store.
pub const POOL_SIZE: u32 = 16;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted_wherever_the_url_holds_them() {
        assert_eq!(
            redact("postgres://gallra:s3cret@db:5432/gallra"),
            "postgres://gallra:***@db:5432/gallra"
        );
        assert_eq!(
            redact("postgres://db/gallra?user=g&password=s3cret&sslmode=require"),
            "postgres://db/gallra?user=g&password=***&sslmode=require"
        );
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn a_new_sqlite_store_and_its_log_are_readable_by_their_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("gallra.db");
        let db = connect(&format!("sqlite://{}?mode=rwc", file.display()))
            .await
            .unwrap();
        db.execute_unprepared("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1)")
            .await
            .unwrap();
        for f in ["gallra.db", "gallra.db-wal"] {
            let mode = std::fs::metadata(dir.path().join(f))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{f}");
        }
    }
}

/// Whether `e` says the store did not answer (no connection from the pool in time, refused,
/// closed, the server shutting down or not accepting connections), rather than that a
/// statement was wrong: such a failure passes when the store is back.
pub fn unavailable(e: &sea_orm::DbErr) -> bool {
    use sea_orm::{DbErr, RuntimeErr};
    match e {
        DbErr::ConnectionAcquire(_) => true,
        DbErr::Conn(RuntimeErr::SqlxError(e))
        | DbErr::Exec(RuntimeErr::SqlxError(e))
        | DbErr::Query(RuntimeErr::SqlxError(e)) => sqlx_unavailable(e),
        DbErr::Conn(_) => true,
        _ => false,
    }
}

// SQLite's primary result codes (sqlite3.h), the low byte of an extended one.
const SQLITE_BUSY: i32 = 5;
const SQLITE_LOCKED: i32 = 6;
const SQLITE_READONLY: i32 = 8;
const SQLITE_IOERR: i32 = 10;
const SQLITE_FULL: i32 = 13;
const SQLITE_CANTOPEN: i32 = 14;

fn sqlx_unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(d) if d.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() => {
            // SQLite: the file is held by another process past the busy timeout (a backup, a
            // shell left in a transaction), or it cannot be read, opened or grown. The store is
            // there but cannot answer now: try again, as for a server that went away. A file
            // made read-only under a running server refuses writes; reads go on.
            let code: i32 = d.code().and_then(|c| c.parse().ok()).unwrap_or_default();
            matches!(
                code & 0xff,
                SQLITE_BUSY
                    | SQLITE_LOCKED
                    | SQLITE_READONLY
                    | SQLITE_IOERR
                    | SQLITE_FULL
                    | SQLITE_CANTOPEN
            )
        }
        sqlx::Error::Database(d) => {
            // PostgreSQL: connection exceptions (08…), operator intervention (57P01 admin
            // shutdown, 57P02 crash shutdown, 57P03 cannot connect now), too many connections,
            // a database not accepting connections.
            let code = d.code().unwrap_or_default();
            code.starts_with("08")
                || code.starts_with("57P")
                || code == "53300"
                || d.message().contains("not currently accepting connections")
        }
        _ => false,
    }
}

/// [`unavailable`] anywhere in an error's chain.
pub fn unavailable_in(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<sea_orm::DbErr>().is_some_and(unavailable)
            || c.downcast_ref::<sqlx::Error>()
                .is_some_and(sqlx_unavailable)
    })
}

#[cfg(test)]
mod unavailable_tests {
    use sea_orm::{ConnAcquireErr, DbErr};

    #[test]
    fn a_store_that_does_not_answer_is_told_from_a_wrong_statement() {
        assert!(super::unavailable(&DbErr::ConnectionAcquire(
            ConnAcquireErr::Timeout
        )));
        assert!(!super::unavailable(&DbErr::RecordNotFound("x".into())));
        let deep = anyhow::Error::new(DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed))
            .context("reading the register");
        assert!(super::unavailable_in(&deep));
        assert!(!super::unavailable_in(&anyhow::anyhow!("no such service")));
    }
}
