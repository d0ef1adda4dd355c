//! A register entry as stored: canonical body, content hash, search text and search terms.

use serde_json::Value;

use super::canonical::{sha256_hex, to_canonical};
use super::vocabulary;
use crate::policy::spec::ServiceFile;
use crate::policy::{Located, PolicySet};

pub const SERVICE: &str = "service";
pub const ORGANISATION: &str = "organisation";
pub const DATASOURCE: &str = "datasource";

/// What one register entry should look like after an apply.
#[derive(Debug, Clone)]
pub struct Desired {
    pub kind: &'static str,
    pub key: String,
    pub name: String,
    pub body: String,
    pub content_hash: String,
    pub source_file: String,
    pub source_hash: String,
    pub search_text: String,
    pub service: Option<ServiceFile>,
}

pub fn desired_entries(set: &PolicySet) -> serde_json::Result<Vec<Desired>> {
    let mut out = Vec::new();
    let mut push = |kind, key: &str, name: &str, body: String, file: usize, service| {
        let f = set.file(file);
        out.push(Desired {
            kind,
            key: key.to_owned(),
            name: name.to_owned(),
            content_hash: sha256_hex(body.as_bytes()),
            search_text: search_text(kind, key, name, &body),
            body,
            source_file: f.name.clone(),
            source_hash: f.sha256.clone(),
            service,
        });
    };
    for Located { file, item } in &set.organisations {
        push(
            ORGANISATION,
            item.id.get_ref(),
            &item.name,
            to_canonical(item)?,
            *file,
            None,
        );
    }
    for Located { file, item } in &set.datasources {
        let name = item
            .description
            .clone()
            .unwrap_or_else(|| item.id.get_ref().clone());
        push(
            DATASOURCE,
            item.id.get_ref(),
            &name,
            to_canonical(item)?,
            *file,
            None,
        );
    }
    for Located { file, item } in &set.services {
        let key = item.service.id.get_ref();
        push(
            SERVICE,
            key,
            &item.service.name,
            to_canonical(item)?,
            *file,
            Some(item.clone()),
        );
    }
    Ok(out)
}

/// Lower-cased id, name and every string of the body, for `q=` search.
pub(super) fn search_text(kind: &str, key: &str, name: &str, body: &str) -> String {
    let mut text = format!("{kind} {key} {name}");
    if let Ok(v) = serde_json::from_str::<Value>(body) {
        collect_strings(&v, &mut text);
    }
    // The vocabulary's words too: a DPO searching "personnummer" finds the services that hold
    // `national-id-number`, whatever words their own text uses.
    let mut words = String::new();
    for id in text.split_whitespace() {
        if let Some(d) = vocabulary::data_type(id) {
            words.push_str(&format!(" {} {}", d.label_en, d.label_sv));
        }
        if let Some(c) = vocabulary::subject_category(id) {
            words.push_str(&format!(" {} {}", c.label_en, c.label_sv));
        }
    }
    text.push_str(&words);
    text.to_lowercase()
}

fn collect_strings(v: &Value, out: &mut String) {
    match v {
        Value::String(s) => {
            out.push(' ');
            out.push_str(s);
        }
        Value::Array(a) => a.iter().for_each(|x| collect_strings(x, out)),
        Value::Object(o) => o.values().for_each(|x| collect_strings(x, out)),
        _ => {}
    }
}

/// Search terms of a service: (term, value) pairs the list filters match exactly.
pub fn service_terms(s: &ServiceFile) -> Vec<(&'static str, String)> {
    let mut terms = Vec::new();
    for subject in &s.subjects {
        terms.push(("subject", subject.category.get_ref().clone()));
        for d in subject.data.get_ref() {
            terms.push(("data_type", d.get_ref().clone()));
            if vocabulary::data_type(d.get_ref()).is_some_and(|t| t.is_special()) {
                terms.push(("special", d.get_ref().clone()));
            }
        }
    }
    for c in &s.controllers {
        terms.push(("controller", c.organisation.get_ref().clone()));
    }
    for p in &s.sub_processors {
        terms.push(("sub_processor", p.name.to_lowercase()));
        if let Some(org) = &p.organisation {
            terms.push(("sub_processor", org.get_ref().clone()));
        }
    }
    for t in &s.transfers {
        terms.push(("transfer_country", t.country.to_uppercase()));
    }
    terms.sort();
    terms.dedup();
    terms
}

/// Read a stored service body back into its typed form. `toml::Spanned` only deserializes
/// from TOML, so the canonical JSON goes through a TOML document (spans are then empty).
pub fn service_from_body(body: &str) -> anyhow::Result<ServiceFile> {
    from_body(body)
}

/// Any stored policy body (service, organisation, rule) back into its typed, spanned form.
pub fn from_body<T: serde::de::DeserializeOwned>(body: &str) -> anyhow::Result<T> {
    let value: Value = serde_json::from_str(body)?;
    let text = toml::to_string(&value)?;
    Ok(toml::from_str(&text)?)
}
