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
pub use env::{timeout_from_env, DEFAULT_TIMEOUT};

#[derive(Debug, thiserror::Error)]
pub enum DatasourceError {
    #[error("datasource `{id}` has no URL: set {var}")]
    Unset { id: String, var: String },
    #[error("datasource `{id}` is unreachable: {reason}")]
    Unreachable { id: String, reason: String },
    #[error("datasource `{id}`: {reason}")]
    Schema { id: String, reason: String },
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

/// Connections a datasource's pool holds at most.
pub const POOL_SIZE: u32 = 4;

/// Open datasource pools, by id.
#[derive(Clone)]
pub struct Datasources {
    pools: Arc<Mutex<HashMap<String, DatabaseConnection>>>,
    /// URLs given directly (tests, demo), by id.
    urls: Arc<HashMap<String, String>>,
    /// `GALLRA_DATASOURCE_<ID>` as the environment set them at start, by variable.
    from_env: Arc<HashMap<String, String>>,
    /// The longest a statement waits for a lock, or runs: a datasource that hangs (a lock
    /// held on the table) fails the run instead of holding it for ever.
    timeout: Duration,
}

impl Datasources {
    /// The datasources given directly (`urls`, by id), then those the environment named at
    /// start (`settings`).
    pub fn new(urls: HashMap<String, String>, settings: &env::DatasourceSettings) -> Self {
        Datasources {
            pools: Default::default(),
            urls: Arc::new(urls),
            from_env: Arc::new(settings.from_env.clone()),
            timeout: settings.timeout,
        }
    }

    /// The same datasources, each statement bounded by `timeout` (pools opened anew).
    pub fn with_timeout(self, timeout: Duration) -> Self {
        Datasources {
            pools: Default::default(),
            urls: self.urls,
            from_env: self.from_env,
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
            .or_else(|| self.from_env.get(&var).cloned())
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
}
