//! The HTTP edge: state, router, middleware (request ids, tracing), and the handlers' modules.

mod bundle;
mod error;
mod evidence;
mod exports;
mod extract;
mod health;
mod json_errors;
mod openapi;
mod openapi_text;
mod register;
mod retention;
mod reviews;
mod tokens;

use std::time::Duration;

use axum::extract::MatchedPath;
use axum::http::{header, HeaderName, HeaderValue, Request};
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

pub use error::ApiError;

pub use crate::context::AppState;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The JSON API alone, with its layers (tests, and a deployment without the web interface).
pub fn router(state: AppState) -> Router {
    with_layers(routes().with_state(state))
}

/// The API's routes: health, `/api/v1`, the OpenAPI document and Swagger UI. Each route under
/// `/api/v1` is declared once, by its handler's `#[utoipa::path]`: the router and the document
/// both come from it.
pub fn routes() -> Router<AppState> {
    let api = OpenApiRouter::new()
        .merge(register::routes())
        .merge(tokens::routes())
        .merge(evidence::routes())
        .merge(bundle::routes())
        .merge(retention::routes())
        .merge(reviews::routes())
        .merge(exports::routes())
        // Even a wrong path under /api/v1 needs a credential: unknown callers learn nothing.
        .fallback(|_: extract::Bearer| async { ApiError::NotFound("no such route".into()) })
        .layer(axum::middleware::map_response(json_errors::as_json));
    let (api, paths) = OpenApiRouter::new().nest("/api/v1", api).split_for_parts();
    let docs: Router<AppState> = SwaggerUi::new("/api/docs")
        .url("/api/openapi.json", openapi::document(paths))
        .into();
    Router::new()
        .merge(health::routes())
        .merge(api)
        .merge(docs.layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(DOCS_CSP),
        )))
}

/// Swagger UI's own scripts and styles (it sets styles inline), nothing from elsewhere, never framed.
const DOCS_CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

/// What every request goes through: panics caught, a 30 s timeout, request ids, and a log
/// line by route template.
pub fn with_layers(router: Router) -> Router {
    router
        // Every answer is for one caller (a session's page, a token's data): no cache keeps it,
        // so the Back button after signing out shows nothing. The stylesheet sets its own.
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
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
