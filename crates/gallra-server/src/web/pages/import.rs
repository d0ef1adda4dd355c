//! `/import`: upload a service description or Danish Appendices A–C, see the draft policy file
//! beside its report, download the TOML. Nothing is applied: the draft goes into `policies/`
//! as a reviewed change.

use askama::Template;
use axum::extract::Multipart;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use crate::auth::Permission;
use crate::import::{self, report::Entry, Format, Imported, Options};
use crate::web::error::WebError;
use crate::web::nav::Nav;
use crate::web::user::WebUser;

/// The largest upload the page takes (documents, not archives).
pub const MAX_UPLOAD: usize = 10 * 1024 * 1024;

/// One report row: its group's message id and the entry.
pub struct Row {
    pub group: &'static str,
    pub entry: Entry,
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    nav: Nav,
    file: String,
    error: Option<String>,
    draft: Option<Imported>,
    rows: Vec<Row>,
    support: String,
}

impl ImportPage {
    fn new(user: &WebUser) -> Self {
        ImportPage {
            nav: Nav::new(user, "/import"),
            file: String::new(),
            error: None,
            draft: None,
            rows: Vec::new(),
            support: String::new(),
        }
    }

    fn html(&self) -> Result<String, WebError> {
        Ok(self.render().map_err(anyhow::Error::from)?)
    }
}

pub async fn show_import(user: WebUser) -> Result<Html<String>, WebError> {
    user.require(Permission::ImportDocuments)?;
    Ok(Html(ImportPage::new(&user).html()?))
}

/// The upload's fields; the CSRF token is checked before the document is read.
#[derive(Default)]
struct Upload {
    csrf: String,
    format: String,
    processor: String,
    file_name: String,
    bytes: Vec<u8>,
}

async fn read_upload(mut form: Multipart) -> Result<Upload, WebError> {
    let mut u = Upload::default();
    let bad = |e: axum::extract::multipart::MultipartError| WebError::BadRequest(e.body_text());
    while let Some(field) = form.next_field().await.map_err(bad)? {
        match field.name().unwrap_or("") {
            "csrf" => u.csrf = field.text().await.map_err(bad)?,
            "format" => u.format = field.text().await.map_err(bad)?,
            "processor" => u.processor = field.text().await.map_err(bad)?.trim().to_string(),
            "file" => {
                u.file_name = field.file_name().unwrap_or("upload").to_string();
                u.bytes = field.bytes().await.map_err(bad)?.to_vec();
            }
            _ => {}
        }
    }
    Ok(u)
}

pub async fn upload_document(user: WebUser, form: Multipart) -> Result<Response, WebError> {
    user.require(Permission::ImportDocuments)?;
    let u = read_upload(form).await?;
    user.check_csrf(&u.csrf)?;
    let opts = Options {
        format: u.format.parse::<Format>().unwrap_or_default(),
        processor: (!u.processor.is_empty()).then(|| u.processor.clone()),
    };
    // Only the file's own name is shown and recorded, never a client's path.
    let name = u
        .file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("upload")
        .to_string();
    let mut page = ImportPage::new(&user);
    page.file = name.clone();
    let status = match import::import(&u.bytes, &name, &opts) {
        Ok(d) => {
            page.rows = rows(&d);
            page.support = d.organisation.toml.clone()
                + &d.datasource
                    .as_ref()
                    .map(|s| s.toml.clone())
                    .unwrap_or_default();
            page.draft = Some(d);
            StatusCode::OK
        }
        Err(e) => {
            page.error = Some(format!("{name}: {e}"));
            StatusCode::UNPROCESSABLE_ENTITY
        }
    };
    Ok((status, Html(page.html()?)).into_response())
}

fn rows(d: &Imported) -> Vec<Row> {
    let r = &d.report;
    let groups: [(&'static str, &Vec<Entry>); 4] = [
        ("import-found", &r.found),
        ("import-matched", &r.matched),
        ("import-unmatched", &r.unmatched),
        ("import-left", &r.left_for_a_person),
    ];
    groups
        .into_iter()
        .flat_map(|(group, entries)| {
            entries.iter().map(move |e| Row {
                group,
                entry: e.clone(),
            })
        })
        .collect()
}

#[derive(Deserialize)]
pub struct DownloadForm {
    csrf: String,
    name: String,
    toml: String,
}

/// The draft shown on the page, as a file to save (the page carries it; nothing is stored).
pub async fn download_draft(
    user: WebUser,
    axum::Form(f): axum::Form<DownloadForm>,
) -> Result<Response, WebError> {
    user.require(Permission::ImportDocuments)?;
    user.check_csrf(&f.csrf)?;
    let name = crate::import::draft::slug(f.name.trim_end_matches(".toml"), 64);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/toml; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.toml\""),
            ),
        ],
        f.toml,
    )
        .into_response())
}
