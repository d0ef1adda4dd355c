//! Datasources: the databases that hold the personal data rules act on. Their URLs come from
//! the environment (`GALLRA_DATASOURCE_<ID>`), never from policy files; connections are pooled.

pub mod env;
pub mod preupdate;
pub mod sql;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use sea_orm::{ConnectOptions, Database, DatabaseConnection};
use tokio::sync::Mutex;

use env::datasource_env;

#[derive(Debug, thiserror::Error)]
pub enum DatasourceError {
    #[error("datasource `{id}` has no URL: set {var}")]
    Unset { id: String, var: String },
    #[error("datasource `{id}` is unreachable: {reason}")]
    Unreachable { id: String, reason: String },
    #[error("datasource `{id}`: {reason}")]
    Schema { id: String, reason: String },
}

/// How long a statement on a datasource may wait (for a lock, or at all) when
/// `GALLRA_DATASOURCE_TIMEOUT` does not say.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// `GALLRA_DATASOURCE_TIMEOUT`: whole seconds, at least 1.
pub fn timeout_from_env() -> Result<Duration, String> {
    match std::env::var("GALLRA_DATASOURCE_TIMEOUT") {
        Ok(v) if !v.trim().is_empty() => parse_timeout(&v),
        _ => Ok(DEFAULT_TIMEOUT),
    }
}

/// A run's failure reason, said in the operator's terms when the datasource's own words show it
/// waited past `timeout` (a lock held on the table, a statement running too long); else as it
/// came.
pub fn explain_wait(reason: String, datasource: &str, timeout: Duration) -> String {
    const WAITED: [&str; 6] = [
        "lock timeout",
        "statement timeout",
        "database is locked",
        "lock wait timeout",
        "max_statement_time",
        "canceling statement",
    ];
    let lower = reason.to_lowercase();
    if WAITED.iter().any(|w| lower.contains(w)) {
        format!(
            "datasource `{datasource}` did not answer within {} s (a lock held on its table, or a statement running too long); nothing past its committed batches changed: {reason}",
            timeout.as_secs()
        )
    } else {
        reason
    }
}

fn parse_timeout(text: &str) -> Result<Duration, String> {
    match text.trim().parse::<u64>() {
        Ok(s) if (1..=86_400).contains(&s) => Ok(Duration::from_secs(s)),
        _ => Err(format!(
            "GALLRA_DATASOURCE_TIMEOUT: expected whole seconds between 1 and 86400, got `{text}`"
        )),
    }
}

/// Connections a datasource's pool holds at most.
pub const POOL_SIZE: u32 = 4;

/// Open datasource pools, by id.
#[derive(Clone)]
pub struct Datasources {
    pools: Arc<Mutex<HashMap<String, DatabaseConnection>>>,
    /// URLs given directly (tests, demo); otherwise the environment is read.
    urls: Arc<HashMap<String, String>>,
    /// The longest a statement waits for a lock, or runs: a datasource that hangs (a lock
    /// held on the table) fails the run instead of holding it for ever.
    timeout: Duration,
}

impl Default for Datasources {
    fn default() -> Self {
        Datasources::with_urls(HashMap::new())
    }
}

impl Datasources {
    /// With `GALLRA_DATASOURCE_TIMEOUT` (checked at start by `Settings::load`), or the default.
    pub fn with_urls(urls: HashMap<String, String>) -> Self {
        Datasources {
            pools: Default::default(),
            urls: Arc::new(urls),
            timeout: timeout_from_env().unwrap_or(DEFAULT_TIMEOUT),
        }
    }

    /// The same datasources, each statement bounded by `timeout` (pools opened anew).
    pub fn with_timeout(self, timeout: Duration) -> Self {
        Datasources {
            pools: Default::default(),
            urls: self.urls,
            timeout,
        }
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The URLs given directly.
    pub fn urls(&self) -> HashMap<String, String> {
        (*self.urls).clone()
    }

    pub fn url(&self, id: &str) -> Result<String, DatasourceError> {
        let var = datasource_env(id);
        self.urls
            .get(id)
            .cloned()
            .or_else(|| std::env::var(&var).ok().filter(|u| !u.is_empty()))
            .ok_or(DatasourceError::Unset {
                id: id.to_owned(),
                var,
            })
    }

    /// A pooled connection to datasource `id`, from a pool of at most [`POOL_SIZE`].
    pub async fn get(&self, id: &str) -> Result<DatabaseConnection, DatasourceError> {
        let mut pools = self.pools.lock().await;
        if let Some(db) = pools.get(id) {
            return Ok(db.clone());
        }
        let url = self.url(id)?;
        let mut opts = ConnectOptions::new(url);
        // Statements carry keys of personal data; they are never logged.
        opts.sqlx_logging(false)
            .test_before_acquire_if_idle_for(crate::db::PING_AFTER_IDLE)
            .max_connections(POOL_SIZE)
            .acquire_timeout(Duration::from_secs(10))
            .connect_timeout(Duration::from_secs(10));
        // Every session waits at most `timeout` for a lock, or for a statement to end.
        let ms = self.timeout.as_millis().to_string();
        let pg_ms = ms.clone();
        opts.map_sqlx_postgres_opts(move |o| {
            o.options([
                ("statement_timeout", pg_ms.as_str()),
                ("lock_timeout", pg_ms.as_str()),
            ])
        });
        let timeout = self.timeout;
        opts.map_sqlx_sqlite_opts(move |o| o.busy_timeout(timeout));
        let secs = self.timeout.as_secs().max(1);
        opts.map_sqlx_mysql_pool_opts(move |p| {
            let ms = ms.clone();
            p.after_connect(move |conn, _| {
                // MariaDB's `max_statement_time` (seconds) and MySQL's `max_execution_time`
                // (ms, SELECTs only): each is tried, the other server refuses it.
                let set = format!(
                    "SET SESSION innodb_lock_wait_timeout = {secs}, lock_wait_timeout = {secs}"
                );
                let mariadb = format!("SET SESSION max_statement_time = {secs}");
                let mysql = format!("SET SESSION max_execution_time = {ms}");
                Box::pin(async move {
                    use sqlx::{raw_sql, AssertSqlSafe};
                    // Numbers formatted above, nothing from outside.
                    raw_sql(AssertSqlSafe(set)).execute(&mut *conn).await?;
                    if raw_sql(AssertSqlSafe(mariadb))
                        .execute(&mut *conn)
                        .await
                        .is_err()
                    {
                        let _ = raw_sql(AssertSqlSafe(mysql)).execute(&mut *conn).await;
                    }
                    Ok(())
                })
            })
        });
        let db = Database::connect(opts)
            .await
            .map_err(|e| DatasourceError::Unreachable {
                id: id.to_owned(),
                reason: crate::db::redact(&e.to_string()),
            })?;
        pools.insert(id.to_owned(), db.clone());
        Ok(db)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wait_past_the_timeout_is_said_in_the_operators_terms() {
        let said = super::explain_wait(
            "purging: error returned from database: canceling statement due to lock timeout".into(),
            "meetings",
            Duration::from_secs(60),
        );
        assert!(
            said.starts_with("datasource `meetings` did not answer within 60 s"),
            "{said}"
        );
        assert!(said.ends_with("due to lock timeout"), "{said}");
        assert_eq!(
            super::explain_wait("no such table".into(), "m", Duration::from_secs(1)),
            "no such table"
        );
    }

    #[test]
    fn the_datasource_timeout_is_whole_seconds() {
        assert_eq!(parse_timeout("5").unwrap(), Duration::from_secs(5));
        assert_eq!(parse_timeout(" 60 ").unwrap(), DEFAULT_TIMEOUT);
        for bad in ["0", "-1", "1.5", "1m", "", "86401"] {
            let e = parse_timeout(bad).unwrap_err();
            assert!(e.contains("GALLRA_DATASOURCE_TIMEOUT"), "{e}");
        }
    }
}
