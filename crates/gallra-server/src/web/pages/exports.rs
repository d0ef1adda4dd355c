//! `/exports`: the register as CSV, HTML, JSON or fideslang as of a date, and the audit bundle
//! of a period, as downloads.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, Response};
use serde::Deserialize;

use crate::auth::Permission;
use crate::context::AppState;
use crate::export::bundle;
use crate::export::register::{Lang, RegisterFormat};
use crate::register::history::parse_as_of;
use crate::web::error::WebError;
use crate::web::nav::Nav;
use crate::web::user::WebUser;

#[derive(Template)]
#[template(path = "exports.html")]
struct ExportsPage {
    nav: Nav,
    today: String,
    bundle: bool,
}

pub async fn show_exports(
    State(s): State<AppState>,
    user: WebUser,
) -> Result<Html<String>, WebError> {
    user.require(Permission::ReadRegister)?;
    let page = ExportsPage {
        nav: Nav::new(&user, "/exports"),
        today: s.clock.now().format("%Y-%m-%d").to_string(),
        bundle: user.may(Permission::ExportAudit),
    };
    Ok(Html(page.render().map_err(anyhow::Error::from)?))
}

#[derive(Deserialize)]
pub struct RegisterQuery {
    #[serde(default)]
    format: String,
    #[serde(default)]
    as_of: String,
    #[serde(default)]
    lang: String,
    #[serde(default)]
    excel: String,
}

/// The register export as a download, exactly what `GET /api/v1/exports/register` gives.
pub async fn download_register(
    State(s): State<AppState>,
    user: WebUser,
    Query(q): Query<RegisterQuery>,
) -> Result<Response, WebError> {
    user.require(Permission::ReadRegister)?;
    let format: RegisterFormat = q.format.parse().map_err(WebError::BadRequest)?;
    // Exports have Swedish and English labels: a Danish page gets the English ones.
    let lang: Lang = if q.lang.is_empty() {
        user.tr.code()
    } else {
        q.lang.as_str()
    }
    .parse()
    .unwrap_or(Lang::En);
    let as_of = match q.as_of.trim() {
        "" => s.clock.now(),
        text => parse_as_of(text).map_err(WebError::BadRequest)?,
    };
    let download = crate::export::register_download(&s.db, format, as_of, lang, q.excel == "true")
        .await
        .map_err(|e| WebError::Internal(e.into()))?;
    Ok(crate::download::attachment(download))
}

#[derive(Deserialize)]
pub struct BundleQuery {
    from: Option<String>,
    to: Option<String>,
}

/// The audit bundle of a period as a download, exactly what `GET /api/v1/exports/bundle` gives.
pub async fn download_bundle(
    State(s): State<AppState>,
    user: WebUser,
    Query(q): Query<BundleQuery>,
) -> Result<Response, WebError> {
    user.require(Permission::ExportAudit)?;
    let download = bundle::to_bytes(
        &s.db,
        &s.keys,
        q.from.as_deref(),
        q.to.as_deref(),
        s.clock.now(),
    )
    .await
    .map_err(|e| match e {
        bundle::ExportError::Input(m) => WebError::BadRequest(m),
        e => WebError::Internal(e.into()),
    })?;
    Ok(crate::download::attachment(download))
}
