//! The one error type at the HTTP edge: JSON bodies, right statuses, 5xx logged once.

use axum::http::StatusCode;

use crate::error::{Classify, ErrorKind};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("a valid bearer token is required")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Conflict(String),
    #[error(
        "the request body is larger than {} bytes",
        super::json_errors::BODY_LIMIT
    )]
    PayloadTooLarge,
    #[error("the store is unavailable")]
    Unavailable,
    #[error("too many wrong credentials from this address; try again in {} s", .0 .0)]
    TooManyRequests(crate::auth::throttle::RetryAfter),
    /// A datasource gallra reads or changes on the caller's behalf failed: not the request's
    /// fault, nor gallra's own store.
    #[error("{0}")]
    Datasource(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    /// The answer to a domain error, by its kind: the one place the API maps kinds.
    pub fn classified<E: Classify>(e: E) -> Self {
        let message = e.public_message();
        match e.kind() {
            ErrorKind::NotFound => ApiError::NotFound(message),
            ErrorKind::Conflict => ApiError::Conflict(message),
            ErrorKind::Invalid => ApiError::BadRequest(message),
            ErrorKind::Forbidden => ApiError::Forbidden(message),
            ErrorKind::Unavailable => {
                tracing::warn!(error = %e, "the store did not answer");
                ApiError::Unavailable
            }
            ErrorKind::Upstream => ApiError::Datasource(message),
            ErrorKind::Internal => ApiError::Internal(anyhow::Error::new(e)),
        }
    }
}

/// Every domain error reaches the API through [`ApiError::classified`].
macro_rules! from_domain {
    ($($error:ty),* $(,)?) => {
        $(impl From<$error> for ApiError {
            fn from(e: $error) -> Self {
                ApiError::classified(e)
            }
        })*
    };
}

from_domain!(
    sea_orm::DbErr,
    crate::text::TextError,
    crate::auth::Denied,
    crate::review::ReviewError,
    crate::review::open::OpenError,
    crate::retention::run::RunError,
    crate::retention::hold_ops::HoldError,
    crate::evidence::tree::TreeError,
    crate::export::bundle::ExportError,
);

impl ApiError {
    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            ApiError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            ApiError::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            ApiError::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            ApiError::TooManyRequests(_) => (StatusCode::TOO_MANY_REQUESTS, "too_many_requests"),
            ApiError::Datasource(_) => (StatusCode::BAD_GATEWAY, "datasource"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // A store that does not answer is a 503 however deep its error came from.
        let this = match self {
            ApiError::Internal(e) if crate::db::unavailable_in(&e) => {
                tracing::warn!(error = %format!("{e:#}"), "the store did not answer");
                ApiError::Unavailable
            }
            // A text the caller gave, refused however deep the domain checked it.
            ApiError::Internal(e) if e.downcast_ref::<crate::text::TextError>().is_some() => {
                ApiError::BadRequest(e.to_string())
            }
            other => other,
        };
        let (status, code) = this.status_and_code();
        let retry_after = match &this {
            ApiError::TooManyRequests(wait) => Some(wait.0),
            _ if status == StatusCode::SERVICE_UNAVAILABLE => Some(5),
            _ => None,
        };
        if status.is_server_error() && status != StatusCode::SERVICE_UNAVAILABLE {
            tracing::error!(error = ?this, "request failed");
        }
        let message = if status == StatusCode::INTERNAL_SERVER_ERROR {
            "internal error".to_string()
        } else {
            this.to_string()
        };
        let mut response = (
            status,
            Json(json!({ "error": { "code": code, "message": message } })),
        )
            .into_response();
        if let Some(secs) = retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, secs.into());
        }
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}

/// The JSON error body, for OpenAPI.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
}
