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

/// Ready when the store answers, within 3 s.
async fn get_ready(State(s): State<AppState>) -> Result<&'static str, ApiError> {
    match tokio::time::timeout(
        std::time::Duration::from_secs(3),
        s.db.execute_unprepared("SELECT 1"),
    )
    .await
    {
        Ok(Ok(_)) => Ok("ready"),
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
