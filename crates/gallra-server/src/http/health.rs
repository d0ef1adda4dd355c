//! Liveness and readiness, open without a credential for load balancers.

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use sea_orm::ConnectionTrait;

use super::{ApiError, AppState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(get_ready))
}

/// Ready when the store answers, within 3 s. A SQLite store must also grant its write lock:
/// a file another process holds in a transaction answers reads but refuses every change.
async fn get_ready(State(s): State<AppState>) -> Result<&'static str, ApiError> {
    match tokio::time::timeout(std::time::Duration::from_secs(3), answers(&s.db)).await {
        Ok(Ok(())) => Ok("ready"),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "not ready: the store did not answer");
            Err(ApiError::Unavailable)
        }
        Err(_) => {
            tracing::warn!("not ready: the store did not answer within 3 s");
            Err(ApiError::Unavailable)
        }
    }
}

async fn answers(db: &sea_orm::DatabaseConnection) -> Result<(), sea_orm::DbErr> {
    if db.get_database_backend() == sea_orm::DatabaseBackend::Sqlite {
        return crate::db::begin_write(db).await?.rollback().await;
    }
    db.execute_unprepared("SELECT 1").await.map(drop)
}
