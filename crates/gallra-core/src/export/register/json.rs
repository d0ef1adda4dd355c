//! `gallra-register/1` JSON: `{"format","as_of","services":[…]}`, each service every field of
//! the API's service detail (id, version, content_hash and evidence_index among them).

use serde::Serialize;

use super::{instant, ExportError, JSON_FORMAT};
use crate::register::as_of::Register;
use crate::register::views::ServiceView;

#[derive(Serialize)]
struct Document<'a> {
    format: &'static str,
    as_of: String,
    services: &'a [ServiceView],
}

pub(super) fn render(register: &Register) -> Result<Vec<u8>, ExportError> {
    let doc = Document {
        format: JSON_FORMAT,
        as_of: instant(register.as_of),
        services: &register.services,
    };
    serde_json::to_vec_pretty(&doc).map_err(|e| ExportError::Write {
        format: "json",
        message: e.to_string(),
    })
}
