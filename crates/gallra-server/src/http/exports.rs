//! Handlers for exports: the register as of a date, as a download.

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::Bearer;
use super::extract::Query;
use super::{ApiError, AppState};
use crate::auth::Permission;
use crate::export::register::{ExportError, Lang, RegisterFormat};
use crate::register::history::parse_as_of;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(export_register))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegisterExportParams {
    /// `csv` (Art. 30(2)), `html` (printable), `json` (`gallra-register/1`) or `fideslang` (YAML).
    #[param(schema_with = format_schema)]
    pub format: Option<String>,
    /// The instant (RFC 3339) or date (the end of that day, UTC); default now.
    #[param(schema_with = crate::register::history::as_of_schema)]
    pub as_of: Option<String>,
    /// `sv` (default) or `en`: labels of HTML, words of CSV cells.
    #[param(schema_with = lang_schema)]
    pub lang: Option<String>,
    /// `true`: CSV for spreadsheets, `;`-separated with a UTF-8 BOM.
    pub excel: Option<bool>,
}

/// The register as it stood at `as_of`, as a file to download.
#[utoipa::path(get, path = "/exports/register", params(RegisterExportParams), tag = "exports",
    responses((status = 200, description = "the export: text/csv, text/html, application/json or application/yaml",
        content((String = "text/csv"), (String = "text/html"), (Object = "application/json"), (Object = "application/yaml"))),
        (status = 400, body = super::error::ErrorBody), (status = 401), (status = 403)),
    security(("bearer" = [])))]
pub async fn export_register(
    State(s): State<AppState>,
    Bearer(auth): Bearer,
    Query(p): Query<RegisterExportParams>,
) -> Result<Response, ApiError> {
    auth.require(Permission::ReadRegister)?;
    let format: RegisterFormat = p
        .format
        .as_deref()
        .ok_or_else(|| {
            ApiError::BadRequest("format is required: csv, html, json or fideslang".into())
        })?
        .parse()
        .map_err(ApiError::BadRequest)?;
    let lang: Lang = p
        .lang
        .as_deref()
        .unwrap_or("sv")
        .parse()
        .map_err(ApiError::BadRequest)?;
    let as_of = match p.as_of.as_deref() {
        Some(text) => parse_as_of(text).map_err(ApiError::BadRequest)?,
        None => s.clock.now(),
    };
    let download =
        crate::export::register_download(&s.db, format, as_of, lang, p.excel.unwrap_or(false))
            .await
            .map_err(|e| match e {
                ExportError::Read(e) => ApiError::Internal(e),
                e => ApiError::Internal(e.into()),
            })?;
    Ok(crate::download::attachment(download))
}

fn format_schema() -> utoipa::openapi::Object {
    string_enum(&["csv", "html", "json", "fideslang"])
}

fn lang_schema() -> utoipa::openapi::Object {
    string_enum(&["sv", "en"])
}

fn string_enum(values: &[&str]) -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(values.iter().copied()))
        .build()
}
