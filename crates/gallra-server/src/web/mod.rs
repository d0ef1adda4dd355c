//! The DPO's web interface: server-rendered pages (askama) in Swedish, Danish and English
//! (Fluent), one stylesheet of our own, no request to any other origin. A second edge beside
//! the JSON API: it works through the same domain and state, never through `http`.

mod error;
pub mod i18n;
mod lang;
mod nav;
mod next;
mod pages;
mod user;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::context::AppState;
use pages::{evidence, exports, import, login, overview, retention, reviews, service, services};

pub use error::WebError;

const CSS: &str = include_str!("static/gallra.css");

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login::show_login).post(login::log_in))
        .route("/login/link/{secret}", get(login::use_link))
        .route("/logout", post(login::log_out))
        .route("/lang/{code}", get(login::set_lang))
        .route("/static/gallra.css", get(stylesheet))
        .route("/", get(overview::show_overview))
        .route("/services", get(services::list_services))
        .route("/services/{id}", get(service::show_service))
        .route("/instructions", get(services::list_instruction_rows))
        .route("/retention", get(retention::show_retention))
        .route("/retention/runs", get(retention::list_runs))
        .route("/retention/runs/{id}", get(retention::show_run))
        .route("/retention/runs/{id}/approve", post(retention::approve_run))
        .route("/retention/rules/{id}", get(retention::show_rule))
        .route("/retention/rules/{id}/holds", post(retention::place_hold))
        .route("/retention/rules/{id}/dry-run", post(retention::dry_run))
        .route("/retention/holds/{id}/lift", post(retention::lift_hold))
        .route("/exports", get(exports::show_exports))
        .route("/exports/register", get(exports::download_register))
        .route("/exports/bundle", get(exports::download_bundle))
        .route(
            "/import",
            get(import::show_import)
                .post(import::upload_document)
                .layer(DefaultBodyLimit::max(import::MAX_UPLOAD)),
        )
        .route("/import/download", post(import::download_draft))
        .route("/evidence", get(evidence::show_evidence))
        .route("/evidence/{index}", get(evidence::show_entry))
        .route("/reviews", get(reviews::list_reviews))
        .route("/reviews/{id}", get(reviews::show_campaign))
        .route("/reviews/{id}/decisions", post(reviews::decide_items))
        .route("/reviews/{id}/close", post(reviews::close_campaign))
        .layer(axum::middleware::from_fn(error::in_page_lang))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
}

/// Nothing from any other origin, no framing, forms only to this site.
const CSP: &str = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
}
