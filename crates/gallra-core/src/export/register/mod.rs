//! The register as of an instant, rendered as CSV (Art. 30(2)), HTML, JSON or fideslang YAML.
//! Every service carries its version, content hash and the evidence index of that version.

mod csv;
mod fideslang;
mod html;
mod json;
mod labels;
mod text;

use std::str::FromStr;

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

pub use labels::Lang;

/// The `format` value of `gallra-register/1` JSON exports.
pub const JSON_FORMAT: &str = "gallra-register/1";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegisterFormat {
    Csv,
    Html,
    Json,
    Fideslang,
}

impl RegisterFormat {
    pub fn content_type(self) -> &'static str {
        match self {
            RegisterFormat::Csv => "text/csv; charset=utf-8",
            RegisterFormat::Html => "text/html; charset=utf-8",
            RegisterFormat::Json => "application/json",
            RegisterFormat::Fideslang => "application/yaml; charset=utf-8",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            RegisterFormat::Csv => "csv",
            RegisterFormat::Html => "html",
            RegisterFormat::Json => "json",
            RegisterFormat::Fideslang => "yaml",
        }
    }
}

impl FromStr for RegisterFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "csv" => RegisterFormat::Csv,
            "html" => RegisterFormat::Html,
            "json" => RegisterFormat::Json,
            "fideslang" => RegisterFormat::Fideslang,
            _ => {
                return Err(format!(
                    "format must be one of csv, html, json, fideslang, not `{s}`"
                ))
            }
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("reading the register: {0:#}")]
    Read(anyhow::Error),
    #[error("writing the {format} export: {message}")]
    Write {
        format: &'static str,
        message: String,
    },
}

/// The register as it stood at `as_of`, in `format`. `lang` chooses the labels of HTML and the
/// words of CSV cells; `excel` makes CSV `;`-separated with a UTF-8 BOM (what spreadsheets set
/// to Swedish or Danish open as columns), and is ignored by the other formats.
pub async fn render(
    db: &impl ConnectionTrait,
    format: RegisterFormat,
    as_of: DateTime<Utc>,
    lang: Lang,
    excel: bool,
) -> Result<Vec<u8>, ExportError> {
    let register = crate::register::as_of::register(db, as_of)
        .await
        .map_err(ExportError::Read)?;
    match format {
        RegisterFormat::Csv => csv::render(&register, lang, excel),
        RegisterFormat::Html => Ok(html::render(&register, lang).into_bytes()),
        RegisterFormat::Json => json::render(&register),
        RegisterFormat::Fideslang => Ok(fideslang::render(&register, lang).into_bytes()),
    }
}

/// An instant as exports print it: RFC 3339 in UTC, to the microsecond when it has one.
fn instant(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}
