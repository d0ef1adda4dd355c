//! The HTTP edge: state, router, middleware (request ids, tracing), and the handlers' modules.

mod bundle;
mod error;
mod evidence;
mod extract;
mod health;
mod openapi;
mod register;
mod retention;
mod reviews;
mod tokens;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::MatchedPath;
use axum::http::{HeaderName, Request};
use axum::Router;
use sea_orm::DatabaseConnection;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

pub use error::ApiError;

use crate::clock::Clock;
use crate::evidence::Keys;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub clock: Arc<dyn Clock>,
    pub keys: Keys,
    /// Groups this process's integrations of queued evidence.
    pub sequencer: crate::evidence::Sequencer,
    pub datasources: crate::datasource::Datasources,
    pub installation_key: crate::secrets::InstallationKey,
    pub webhook: Option<crate::settings::Webhook>,
    /// The register list's snapshot of this store.
    pub listing: crate::register::listing::Listing,
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .merge(register::routes())
        .merge(tokens::routes())
        .merge(evidence::routes())
        .merge(bundle::routes())
        .merge(retention::routes())
        .merge(reviews::routes())
        // Even a wrong path under /api/v1 needs a credential: unknown callers learn nothing.
        .fallback(|_: crate::auth::Principal| async { ApiError::NotFound("no such route".into()) });
    Router::new()
        .merge(health::routes())
        .nest("/api/v1", api)
        .merge(SwaggerUi::new("/api/docs").url("/api/openapi.json", openapi::ApiDoc::openapi()))
        .with_state(state)
        .layer(CatchPanicLayer::custom(|_| ApiError::Internal(anyhow::anyhow!("handler panicked")).into_response_boxed()))
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http()
                .on_response(tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO)).make_span_with(|req: &Request<_>| {
            // The route template, never the raw path or query: those may hold personal data.
            let route = req.extensions().get::<MatchedPath>().map_or("unmatched", |p| p.as_str());
            let id = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %req.method(), route, request_id = id, token = tracing::field::Empty)
        }))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

impl ApiError {
    fn into_response_boxed(self) -> axum::response::Response {
        axum::response::IntoResponse::into_response(self)
    }
}

/// Run `work` on a task of its own, which ends as it would even if the request is dropped (at
/// its 30 s timeout, or when the client hangs up): dropped part way, a purge or a close would
/// leave rows deleted with no evidence of them (and a run `running` for good).
pub(crate) async fn to_completion<T: Send + 'static>(
    work: impl std::future::Future<Output = T> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::spawn(work)
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("the task ended: {e}")))
}
