//! The authenticated caller of a request, extracted from `Authorization: Bearer <token>`.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use super::token::{self, TokenView};
use super::Permission;
use crate::http::{ApiError, AppState};

#[derive(Debug, Clone)]
pub struct Principal {
    pub token: TokenView,
}

impl Principal {
    /// Ok when the caller's role grants `p`, else 403.
    pub fn require(&self, p: Permission) -> Result<&Self, ApiError> {
        if self.token.role.may(p) {
            Ok(self)
        } else {
            Err(ApiError::Forbidden(format!(
                "role `{}` may not do this",
                self.token.role
            )))
        }
    }
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or(ApiError::Unauthorized)?;
        let secret = header
            .strip_prefix("Bearer ")
            .map(str::trim)
            .ok_or(ApiError::Unauthorized)?;
        let token = token::authenticate(&state.db, secret)
            .await?
            .ok_or(ApiError::Unauthorized)?;
        tracing::Span::current().record("token", token.id);
        Ok(Principal { token })
    }
}
