//! Handlers for API tokens (admin only).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{self, Path};
use super::{ApiError, AppState};

use super::extract::Bearer;
use crate::auth::token::{self, TokenView};
use crate::auth::{Permission, Role};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_tokens, create_token))
        .routes(routes!(revoke_token))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    /// 1–100 characters, not blank, one line with no control characters.
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\x00-\x1f\x7f]*\S[^\x00-\x1f\x7f]*$"
    )]
    pub name: String,
    pub role: Role,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedToken {
    #[serde(flatten)]
    pub token: TokenView,
    /// Shown once; only its hash is kept.
    pub secret: String,
}

#[utoipa::path(get, path = "/tokens", tag = "tokens", responses((status = 200, body = Vec<TokenView>)), security(("bearer" = [])))]
pub async fn list_tokens(
    State(s): State<AppState>,
    Bearer(auth): Bearer,
) -> Result<Json<Vec<TokenView>>, ApiError> {
    auth.require(Permission::ManageTokens)?;
    Ok(Json(token::list(&s.db).await?))
}

#[utoipa::path(post, path = "/tokens", tag = "tokens", request_body = NewToken,
    responses((status = 201, body = CreatedToken), (status = 400, body = super::error::ErrorBody)), security(("bearer" = [])))]
pub async fn create_token(
    State(s): State<AppState>,
    Bearer(auth): Bearer,
    extract::Json(req): extract::Json<NewToken>,
) -> Result<(StatusCode, Json<CreatedToken>), ApiError> {
    auth.require(Permission::ManageTokens)?;
    let txn = crate::db::begin_write(&s.db).await?;
    let (token, secret) = token::create(&txn, &req.name, req.role, s.clock.now()).await?;
    s.sequencer
        .commit(txn, &s.db, &s.keys, s.clock.now())
        .await?;
    tracing::info!(token = token.id, role = %token.role, "token created");
    Ok((StatusCode::CREATED, Json(CreatedToken { token, secret })))
}

#[utoipa::path(delete, path = "/tokens/{id}", params(("id" = i32, Path)), tag = "tokens",
    responses((status = 200, body = TokenView), (status = 404, body = super::error::ErrorBody)), security(("bearer" = [])))]
pub async fn revoke_token(
    State(s): State<AppState>,
    Bearer(auth): Bearer,
    Path(id): Path<i32>,
) -> Result<Json<TokenView>, ApiError> {
    auth.require(Permission::ManageTokens)?;
    let txn = crate::db::begin_write(&s.db).await?;
    let revoked = token::revoke(&txn, id, s.clock.now()).await?;
    s.sequencer
        .commit(txn, &s.db, &s.keys, s.clock.now())
        .await?;
    revoked
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("no token {id}")))
}
