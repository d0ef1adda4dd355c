//! Datasources: the databases that hold the personal data rules act on. Their URLs come from
//! the environment (`GALLRA_DATASOURCE_<ID>`), never from policy files; connections are pooled.

pub mod preupdate;
pub mod sql;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use sea_orm::{ConnectOptions, Database, DatabaseBackend, DatabaseConnection};
use tokio::sync::Mutex;

use crate::settings::datasource_env;

#[derive(Debug, thiserror::Error)]
pub enum DatasourceError {
    #[error("datasource `{id}` has no URL: set {var}")]
    Unset { id: String, var: String },
    #[error("datasource `{id}` is unreachable: {reason}")]
    Unreachable { id: String, reason: String },
    #[error("datasource `{id}`: {reason}")]
    Schema { id: String, reason: String },
}

/// Open datasource pools, by id.
#[derive(Clone, Default)]
pub struct Datasources {
    pools: Arc<Mutex<HashMap<String, DatabaseConnection>>>,
    /// URLs given directly (tests, demo); otherwise the environment is read.
    urls: Arc<HashMap<String, String>>,
}

impl Datasources {
    pub fn with_urls(urls: HashMap<String, String>) -> Self {
        Datasources {
            pools: Default::default(),
            urls: Arc::new(urls),
        }
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

    /// A pooled connection to datasource `id`.
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
            .max_connections(4)
            .acquire_timeout(Duration::from_secs(10))
            .connect_timeout(Duration::from_secs(10));
        let db = Database::connect(opts)
            .await
            .map_err(|e| DatasourceError::Unreachable {
                id: id.to_owned(),
                reason: crate::db::redact(&e.to_string()),
            })?;
        if db.get_database_backend() == DatabaseBackend::Sqlite {
            let _ = sea_orm::ConnectionTrait::execute_unprepared(&db, "PRAGMA busy_timeout=5000;")
                .await;
        }
        pools.insert(id.to_owned(), db.clone());
        Ok(db)
    }
}
