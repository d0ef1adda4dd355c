//! Every refusal under `/api/v1` in the documented JSON form: those axum and tower give before
//! a handler runs (a body over the limit, a method the route has not, a request timed out) are
//! plain text or empty, and are rewritten here; a handler's own errors are JSON already.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// The request body limit (axum's default), named in the 413's message.
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;

pub async fn as_json(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (code, message) = describe(status);
    let mut json = (
        status,
        Json(json!({ "error": { "code": code, "message": message } })),
    )
        .into_response();
    // Keep what the refusal said besides its body (Allow on a 405, Retry-After, WWW-Authenticate).
    for name in [header::ALLOW, header::RETRY_AFTER, header::WWW_AUTHENTICATE] {
        if let Some(v) = response.headers().get(&name) {
            json.headers_mut().insert(name, v.clone());
        }
    }
    if status == StatusCode::SERVICE_UNAVAILABLE
        && !json.headers().contains_key(header::RETRY_AFTER)
    {
        json.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    }
    json
}

fn describe(status: StatusCode) -> (&'static str, String) {
    match status {
        StatusCode::PAYLOAD_TOO_LARGE => (
            "payload_too_large",
            format!("the request body is larger than {BODY_LIMIT} bytes"),
        ),
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            "this route does not take that method".into(),
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "unsupported_media_type",
            "the request's Content-Type is not one this route takes".into(),
        ),
        StatusCode::REQUEST_TIMEOUT => (
            "timeout",
            "the request took too long and was stopped".into(),
        ),
        StatusCode::NOT_FOUND => ("not_found", "no such route".into()),
        s if s.is_server_error() => ("internal", "internal error".into()),
        s => (
            "bad_request",
            s.canonical_reason().unwrap_or("bad request").to_lowercase(),
        ),
    }
}
