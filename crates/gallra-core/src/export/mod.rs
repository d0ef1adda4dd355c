//! Exports: the register as of a date in the forms people and tools read (CSV in the columns
//! of Art. 30(2), a printable HTML page, JSON, fideslang), and the audit bundle of a period.

pub mod bundle;
pub mod formula;
pub mod register;

/// A file to hand over: its bytes, media type and name. Each edge serves it its own way.
pub struct Download {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub file_name: String,
}

/// The register as of `as_of` in `format`, named for the instant.
pub async fn register_download(
    db: &impl sea_orm::ConnectionTrait,
    format: register::RegisterFormat,
    as_of: chrono::DateTime<chrono::Utc>,
    lang: register::Lang,
    excel: bool,
) -> Result<Download, register::ExportError> {
    Ok(Download {
        bytes: register::render(db, format, as_of, lang, excel).await?,
        content_type: format.content_type(),
        file_name: format!(
            "register-{}.{}",
            as_of.format("%Y-%m-%dT%H%M%SZ"),
            format.extension()
        ),
    })
}
