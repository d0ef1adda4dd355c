//! Handlers for the register: services, their versions, and instructions.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::Bearer;
use super::extract::{self, Path, Query};
use super::{ApiError, AppState};
use crate::auth::Permission;
use crate::register::query::{self, InstructionRow, ServiceFilter, VersionView};
use crate::register::views::{ServicePage, ServiceView};
use crate::register::{as_of, history};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_services))
        .routes(routes!(get_service))
        .routes(routes!(list_versions))
        .routes(routes!(list_instructions))
}

const MAX_LIMIT: u64 = 500;

/// The register list, filtered and paged.
#[utoipa::path(get, path = "/services", params(ServiceFilter), tag = "register",
    responses((status = 200, body = ServicePage), (status = 400, body = super::error::ErrorBody), (status = 401), (status = 403)),
    security(("bearer" = [])))]
pub async fn list_services(
    State(s): State<AppState>,
    Bearer(auth): Bearer,
    Query(f): Query<ServiceFilter>,
) -> Result<Json<ServicePage>, ApiError> {
    auth.require(Permission::ReadRegister)?;
    let limit = f.limit.unwrap_or(50);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::BadRequest(format!(
            "limit must be between 1 and {MAX_LIMIT}"
        )));
    }
    let offset = extract::position(f.offset, "offset")?;
    let page = match instant(f.as_of.as_deref())? {
        Some(at) => as_of::page(&s.db, &f, at, limit, offset).await?,
        None => s.listing.page(&s.db, &f, limit, offset).await?,
    };
    Ok(Json(page))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AsOf {
    /// The record as it stood at this instant (RFC 3339, or a date: the end of that day, UTC).
    #[param(schema_with = crate::register::history::as_of_schema)]
    pub as_of: Option<String>,
}

/// `as_of` parsed, or a 400 naming it.
fn instant(text: Option<&str>) -> Result<Option<chrono::DateTime<chrono::Utc>>, ApiError> {
    text.map(|t| history::parse_as_of(t).map_err(ApiError::BadRequest))
        .transpose()
}

/// One processing record with every field, its instructions and their enforcement.
#[utoipa::path(get, path = "/services/{id}", params(("id" = String, Path, description = "service id"), AsOf), tag = "register",
    responses((status = 200, body = ServiceView), (status = 404, body = super::error::ErrorBody)), security(("bearer" = [])))]
pub async fn get_service(
    State(s): State<AppState>,
    Bearer(auth): Bearer,
    Path(id): Path<String>,
    Query(q): Query<AsOf>,
) -> Result<Json<ServiceView>, ApiError> {
    auth.require(Permission::ReadRegister)?;
    let view = match instant(q.as_of.as_deref())? {
        Some(at) => as_of::service(&s.db, &id, at).await?,
        None => query::get_service(&s.db, &id).await?,
    };
    view.map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("no service `{id}`")))
}

/// The version history of one service, oldest first.
#[utoipa::path(get, path = "/services/{id}/versions", params(("id" = String, Path, description = "service id")), tag = "register",
    responses((status = 200, body = Vec<VersionView>), (status = 404, body = super::error::ErrorBody)), security(("bearer" = [])))]
pub async fn list_versions(
    State(s): State<AppState>,
    Bearer(auth): Bearer,
    Path(id): Path<String>,
) -> Result<Json<Vec<VersionView>>, ApiError> {
    auth.require(Permission::ReadRegister)?;
    let versions = query::service_versions(&s.db, &id).await?;
    versions
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("no service `{id}`")))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InstructionFilter {
    /// `false`: only instructions no retention rule or review policy enforces.
    pub enforced: Option<bool>,
}

/// Instructions of current services, with how each is enforced.
#[utoipa::path(get, path = "/instructions", params(InstructionFilter), tag = "register",
    responses((status = 200, body = Vec<InstructionRow>)), security(("bearer" = [])))]
pub async fn list_instructions(
    State(s): State<AppState>,
    Bearer(auth): Bearer,
    Query(f): Query<InstructionFilter>,
) -> Result<Json<Vec<InstructionRow>>, ApiError> {
    auth.require(Permission::ReadRegister)?;
    Ok(Json(query::list_instructions(&s.db, f.enforced).await?))
}
