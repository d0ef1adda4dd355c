//! One run of a rule at a time, by a lock that dies with its holder: on a PostgreSQL store an
//! advisory lock held on a connection of the run's own; on a SQLite store an OS file lock on
//! `<store>.locks/<rule>.lock`. A process that is killed loses its lock at once, so a `running`
//! run whose lock is free was cut off: the next run settles it instead of waiting an hour.
//! A PostgreSQL lock also dies with its connection while its process lives on (the server
//! restarted, the connection cut): a run asks [`RunLock::check`] before each batch commits and
//! stops when it no longer holds it, since another run of the rule may then have started.

use std::collections::HashSet;
use std::sync::Mutex;

use sea_orm::{DatabaseBackend, DatabaseConnection};
use sha2::{Digest, Sha256};
use sqlx::Connection;

/// A rule's run lock, held until released or dropped.
pub enum RunLock {
    File(std::fs::File),
    Advisory(tokio::sync::Mutex<sqlx::PgConnection>),
    /// A store in memory: one process is all there is.
    Local(String),
}

/// How long [`RunLock::check`] waits for the lock's connection to answer.
pub const CHECK_WITHIN: std::time::Duration = std::time::Duration::from_secs(10);

static LOCAL: Mutex<Option<HashSet<String>>> = Mutex::new(None);

impl RunLock {
    pub async fn release(mut self) {
        if let RunLock::Advisory(conn) = &mut self {
            // Closing the session ends its advisory locks.
            let _ = sqlx::query("SELECT pg_advisory_unlock_all()")
                .execute(conn.get_mut())
                .await;
        }
    }

    /// Whether this process still holds the lock. A file lock or one in memory is held for as
    /// long as the process lives; an advisory lock is asked of its own connection, which
    /// fails if the server ended it. A connection that does not answer within [`CHECK_WITHIN`]
    /// (a network cut leaves it half open) counts as lost: the batch waiting on the answer
    /// holds its rows locked in the datasource meanwhile.
    pub async fn check(&self) -> Result<(), String> {
        let RunLock::Advisory(conn) = self else {
            return Ok(());
        };
        let mut conn = conn.lock().await;
        let held = tokio::time::timeout(
            CHECK_WITHIN,
            sqlx::query_scalar::<_, bool>(
                "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' \
                 AND pid = pg_backend_pid() AND granted)",
            )
            .fetch_one(&mut *conn),
        )
        .await;
        let why = match held {
            Ok(Ok(true)) => return Ok(()),
            Ok(Ok(false)) => "the store no longer holds it".to_owned(),
            Ok(Err(e)) => format!("its connection to the store ended: {e}"),
            Err(_) => format!(
                "its connection to the store did not answer within {} s",
                CHECK_WITHIN.as_secs()
            ),
        };
        Err(format!(
            "this run lost its rule's run lock ({why}); another run of the rule may have \
             started, so it commits no further batch"
        ))
    }
}

impl Drop for RunLock {
    fn drop(&mut self) {
        if let RunLock::Local(rule) = self {
            if let Ok(mut held) = LOCAL.lock() {
                held.get_or_insert_with(HashSet::new).remove(rule.as_str());
            }
        }
    }
}

/// The advisory lock's key for `rule`: the first 8 bytes of a SHA-256 of it.
fn advisory_key(rule: &str) -> i64 {
    let h = Sha256::digest(format!("gallra run lock\n{rule}").as_bytes());
    i64::from_be_bytes(h[..8].try_into().expect("8 bytes"))
}

/// Take `rule`'s run lock, or `None` when another run (in this process or another) holds it.
pub async fn try_lock(db: &DatabaseConnection, rule: &str) -> anyhow::Result<Option<RunLock>> {
    match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            let mut conn = pool.acquire().await?.detach();
            let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
                .bind(advisory_key(rule))
                .fetch_one(&mut conn)
                .await?;
            if !got {
                let _ = conn.close().await;
                return Ok(None);
            }
            Ok(Some(RunLock::Advisory(tokio::sync::Mutex::new(conn))))
        }
        _ => {
            let pool = db.get_sqlite_connection_pool();
            let file = pool.connect_options().get_filename().to_path_buf();
            let name = file.to_string_lossy();
            if name.is_empty() || name.contains(":memory:") {
                let mut held = LOCAL
                    .lock()
                    .map_err(|_| anyhow::anyhow!("run locks poisoned"))?;
                let held = held.get_or_insert_with(HashSet::new);
                return Ok(held
                    .insert(rule.to_owned())
                    .then(|| RunLock::Local(rule.to_owned())));
            }
            let dir = std::path::PathBuf::from(format!("{name}.locks"));
            std::fs::create_dir_all(&dir)?;
            let safe = rule
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            let leaf = match safe {
                true => rule.to_owned(),
                false => hex::encode(advisory_key(rule).to_be_bytes()),
            };
            let f = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(dir.join(format!("{leaf}.lock")))?;
            flock(f)
        }
    }
}

/// Take `rule`'s run lock, waiting up to `wait` for the run that holds it to end. On PostgreSQL
/// the wait is in the server's queue (`pg_advisory_lock` under a `lock_timeout`): the lock goes
/// to the waiter when its holder lets go, so runs that only try cannot keep taking it first.
/// Elsewhere it is tried again every 250 ms.
pub async fn lock_within(
    db: &DatabaseConnection,
    rule: &str,
    wait: std::time::Duration,
) -> anyhow::Result<Option<RunLock>> {
    if db.get_database_backend() != DatabaseBackend::Postgres {
        let until = std::time::Instant::now() + wait;
        loop {
            match try_lock(db, rule).await? {
                Some(lock) => return Ok(Some(lock)),
                None if std::time::Instant::now() >= until => return Ok(None),
                None => tokio::time::sleep(std::time::Duration::from_millis(250)).await,
            }
        }
    }
    let pool = db.get_postgres_connection_pool();
    let mut conn = pool.acquire().await?.detach();
    let timeout = |ms: u128| {
        sqlx::query("SELECT set_config('lock_timeout', $1, false)").bind(format!("{ms}ms"))
    };
    timeout(wait.as_millis().max(1)).execute(&mut conn).await?;
    let got = sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(advisory_key(rule))
        .execute(&mut conn)
        .await;
    match got {
        Ok(_) => {
            // The connection stays the lock's: later statements on it must not time out.
            timeout(0).execute(&mut conn).await?;
            Ok(Some(RunLock::Advisory(tokio::sync::Mutex::new(conn))))
        }
        // lock_not_available: the wait ran out.
        Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("55P03") => {
            let _ = conn.close().await;
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

/// An exclusive `flock(2)` on `f`, not waiting: released when `f` is closed, as when its process
/// dies.
#[cfg(unix)]
fn flock(f: std::fs::File) -> anyhow::Result<Option<RunLock>> {
    use std::os::fd::AsRawFd;
    // SAFETY: `f` is an open file for the whole call; flock only takes its descriptor.
    let rc = unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    if rc == 0 {
        return Ok(Some(RunLock::File(f)));
    }
    let e = std::io::Error::last_os_error();
    match e.raw_os_error() == Some(libc::EWOULDBLOCK) {
        true => Ok(None),
        false => Err(e.into()),
    }
}

#[cfg(not(unix))]
fn flock(_: std::fs::File) -> anyhow::Result<Option<RunLock>> {
    anyhow::bail!("a run lock beside a SQLite store needs flock(2): a Unix system")
}
