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

/// Ready when the store answers.
async fn get_ready(State(s): State<AppState>) -> Result<&'static str, ApiError> {
    s.db.execute_unprepared("SELECT 1")
        .await
        .map_err(|_| ApiError::Unavailable)?;
    Ok("ready")
}
