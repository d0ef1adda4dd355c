//! `GET /api/v1/exports/bundle`: the audit bundle of a period, as a zip download.

use axum::extract::State;
use axum::response::IntoResponse;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::Bearer;
use super::extract::Query;
use super::{ApiError, AppState};
use crate::auth::Permission;
use crate::export::bundle;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_bundle))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BundleQuery {
    /// First day (YYYY-MM-DD, UTC) or instant (RFC 3339); default: the log's start.
    #[param(schema_with = bound_schema)]
    pub from: Option<String>,
    /// Last day (YYYY-MM-DD, UTC, included) or instant (RFC 3339, excluded); default: now.
    #[param(schema_with = bound_schema)]
    pub to: Option<String>,
}

/// The audit bundle of a period (zip): register, versions, runs, reviews, and their evidence
/// as C2SP tlog-tiles with a signed checkpoint. Auditors, DPOs and admins.
#[utoipa::path(get, path = "/exports/bundle", params(BundleQuery), tag = "exports",
    responses((status = 200, content_type = "application/zip", body = Vec<u8>), (status = 400), (status = 401), (status = 403)),
    security(("bearer" = [])))]
pub async fn get_bundle(
    State(s): State<AppState>,
    Bearer(auth): Bearer,
    Query(q): Query<BundleQuery>,
) -> Result<impl IntoResponse, ApiError> {
    auth.require(Permission::ExportAudit)?;
    let download = bundle::to_bytes(
        &s.db,
        &s.keys,
        q.from.as_deref(),
        q.to.as_deref(),
        s.clock.now(),
    )
    .await?;
    Ok(crate::download::attachment(download))
}

/// A bound of the period: a date or an RFC 3339 instant; empty means its default.
fn bound_schema() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
    let mut schema = crate::register::history::as_of_schema();
    if let Schema::OneOf(one_of) = &mut schema {
        one_of.items.push(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some([""]))
                .into(),
        );
    }
    schema
}
