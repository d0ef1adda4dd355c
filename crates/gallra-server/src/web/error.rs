//! The web interface's one error type: a page in the user's language with the right status,
//! or a redirect to sign in. 5xx are logged once; internals are never shown.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};

use super::i18n::{Lang, Tr};
use crate::error::{Classify, ErrorKind};

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// No live session: sign in, then come back to the path.
    #[error("sign in")]
    SignIn(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Conflict(String),
    /// Too many wrong credentials from this client: the message, and seconds to wait.
    #[error("{0}")]
    TooManyRequests(String, u64),
    /// The store does not answer now.
    #[error("the store is unavailable")]
    Unavailable,
    /// A datasource gallra works on for the reader failed.
    #[error("{0}")]
    Upstream(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl WebError {
    /// The page for a domain error, by its kind: the one place the web maps kinds, as the API
    /// does (`crates/gallra-server/src/http/error.rs`), so a failure is the same answer at both edges.
    pub fn classified<E: Classify>(e: E) -> Self {
        let message = e.public_message();
        match e.kind() {
            ErrorKind::NotFound => WebError::NotFound(message),
            ErrorKind::Conflict => WebError::Conflict(message),
            ErrorKind::Invalid => WebError::BadRequest(message),
            ErrorKind::Forbidden => WebError::Forbidden(message),
            ErrorKind::Unavailable => {
                tracing::warn!(error = %e, "page failed: the store did not answer");
                WebError::Unavailable
            }
            ErrorKind::Upstream => WebError::Upstream(message),
            ErrorKind::Internal => WebError::Internal(anyhow::Error::new(e)),
        }
    }
}

/// Every domain error reaches a page through [`WebError::classified`].
macro_rules! from_domain {
    ($($error:ty),* $(,)?) => {
        $(impl From<$error> for WebError {
            fn from(e: $error) -> Self {
                WebError::classified(e)
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

tokio::task_local! {
    /// The language of the request being answered, for an error page rendered where no
    /// extractor gave one (an error converts itself into a response without its request).
    static PAGE_LANG: Lang;
}

/// Answer the request with its language known to any error page rendered meanwhile.
pub async fn in_page_lang(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let lang = super::lang::lang_of(req.headers());
    PAGE_LANG.scope(lang, next.run(req)).await
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    t: Tr,
    status: u16,
    message: String,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = match &self {
            WebError::SignIn(next) => {
                let to = format!("/login?next={}", urlencode(next));
                return Redirect::to(&to).into_response();
            }
            WebError::Forbidden(_) => StatusCode::FORBIDDEN,
            WebError::NotFound(_) => StatusCode::NOT_FOUND,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::Conflict(_) => StatusCode::CONFLICT,
            WebError::TooManyRequests(..) => StatusCode::TOO_MANY_REQUESTS,
            WebError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            WebError::Upstream(_) => StatusCode::BAD_GATEWAY,
            WebError::Internal(e) if e.downcast_ref::<crate::text::TextError>().is_some() => {
                StatusCode::BAD_REQUEST
            }
            WebError::Internal(e) if crate::db::unavailable_in(e) => {
                tracing::warn!(error = %format!("{e:#}"), "page failed: the store did not answer");
                StatusCode::SERVICE_UNAVAILABLE
            }
            WebError::Internal(e) => {
                tracing::error!(error = ?e, "page failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let t = Tr::new(PAGE_LANG.try_with(|l| *l).unwrap_or(Lang::En));
        let message = match &self {
            WebError::Internal(e) if status == StatusCode::BAD_REQUEST => e.to_string(),
            WebError::Unavailable => t.t("error-unavailable"),
            WebError::Internal(_) if status == StatusCode::SERVICE_UNAVAILABLE => {
                t.t("error-unavailable")
            }
            WebError::Internal(_) => t.t("error-internal"),
            other => other.to_string(),
        };
        let page = ErrorPage {
            t,
            status: status.as_u16(),
            message,
        };
        let mut response = match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => status.into_response(),
        };
        let retry_after = match &self {
            WebError::TooManyRequests(_, secs) => Some(*secs),
            _ if status == StatusCode::SERVICE_UNAVAILABLE => Some(5),
            _ => None,
        };
        if let Some(secs) = retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, secs.into());
        }
        response
    }
}

/// Percent-encode a path for a query parameter.
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
