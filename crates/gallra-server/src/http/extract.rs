//! Extractors whose rejections are JSON errors like every other failure.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::{ApiError, AppState};
use crate::auth::{token, Principal};

/// A position in a listing (`offset`, `from`), 0 when not given: at most `i64::MAX`, the most
/// rows a store counts; past that a 400, not a failure deeper down.
pub fn position(value: Option<u64>, name: &str) -> Result<u64, ApiError> {
    match value.unwrap_or(0) {
        v if v > i64::MAX as u64 => Err(ApiError::BadRequest(format!(
            "{name} must be at most {}",
            i64::MAX
        ))),
        v => Ok(v),
    }
}

/// `Query<T>` that answers a malformed query string with a 400 JSON error.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Query(q.0))
            .map_err(|e| ApiError::BadRequest(e.body_text()))
    }
}

/// `Json<T>` that answers a malformed body with a 400 JSON error. Every request body of the API
/// is an object: serde would also read a struct from an array (`[]` as every field's default),
/// which the document does not allow, so anything but an object is refused first.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Json(value) = axum::Json::<serde_json::Value>::from_request(req, state)
            .await
            .map_err(|e| match e.status() {
                axum::http::StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge,
                _ => ApiError::BadRequest(e.body_text()),
            })?;
        if !value.is_object() {
            return Err(ApiError::BadRequest(
                "the request body must be a JSON object".into(),
            ));
        }
        serde_json::from_value(value).map(Json).map_err(|e| {
            ApiError::BadRequest(format!(
                "Failed to deserialize the JSON body into the target type: {e}"
            ))
        })
    }
}

/// `Path<T>` that answers a malformed path segment with a 400 JSON error.
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| Path(p.0))
            .map_err(|e| ApiError::BadRequest(e.body_text()))
    }
}

/// The caller, from `Authorization: Bearer <token>`: 401 without a valid one. (A wrapper: the
/// principal is the domain's type, and an extractor is this edge's.)
pub struct Bearer(pub Principal);

impl FromRequestParts<AppState> for Bearer {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or(ApiError::Unauthorized)?;
        let secret = header
            .strip_prefix("Bearer ")
            .map(str::trim)
            .ok_or(ApiError::Unauthorized)?;
        let client = parts
            .extensions
            .get::<crate::auth::throttle::ClientAddr>()
            .and_then(|c| c.0);
        state
            .throttle
            .check(client)
            .map_err(ApiError::TooManyRequests)?;
        let Some(token) = token::authenticate(&state.db, secret).await? else {
            return Err(match state.throttle.failed(client) {
                Some(wait) => ApiError::TooManyRequests(wait),
                None => ApiError::Unauthorized,
            });
        };
        tracing::Span::current().record("token", token.id);
        Ok(Bearer(Principal { token }))
    }
}
