//! The processor's record of Art. 30(2) as CSV: one row per service and controller.

use super::labels::{self, labels, Lang};
use super::text::{self, SEP};
use super::ExportError;
use crate::export::formula::defuse;
use crate::policy::spec::Organisation;
use crate::register::as_of::Register;
use crate::register::views::{ControllerView, Openness, ServiceView};

/// The columns, machine names (a contract: audit bundles and scripts read them).
const HEADER: &[&str] = &[
    "service_id",
    "service_name",
    "version",
    "content_hash",
    "evidence_index",
    "source_document",
    // Art. 30(2)(a): the processor, each controller, representatives and DPO.
    "processor_name",
    "processor_contact",
    "processor_representative",
    "processor_dpo",
    "controller_id",
    "controller_name",
    "controller_contact",
    "controller_representative",
    "controller_dpo",
    // Art. 30(2)(b): the categories of processing carried out for each controller.
    "categories_of_processing",
    "subject_matter",
    "nature",
    "purposes",
    "duration",
    "data_subjects",
    "personal_data",
    "special_categories",
    "sub_processors",
    // Art. 30(2)(c) and (d).
    "third_country_transfers",
    "security_measures",
];

const BOM: &[u8] = b"\xEF\xBB\xBF";

pub(super) fn render(register: &Register, lang: Lang, excel: bool) -> Result<Vec<u8>, ExportError> {
    let delimiter = if excel { b';' } else { b',' };
    let mut out = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(if excel { BOM.to_vec() } else { Vec::new() });
    let failed = |e: csv::Error| ExportError::Write {
        format: "csv",
        message: e.to_string(),
    };
    out.write_record(HEADER).map_err(failed)?;
    for service in &register.services {
        let shared = Shared::of(lang, service);
        for controller in controllers(lang, service) {
            let row = row(lang, service, &shared, controller, &register.organisations);
            // Every cell, not only in `excel` mode: any CSV may be opened in a spreadsheet.
            out.write_record(row.iter().map(|c| defuse(c).into_owned()))
                .map_err(failed)?;
        }
    }
    out.into_inner().map_err(|e| ExportError::Write {
        format: "csv",
        message: e.to_string(),
    })
}

/// One row per controller; a service whose controllers are not stated (or none) gets one row
/// saying so.
enum Row<'a> {
    Controller(&'a ControllerView),
    Open(String),
}

fn controllers(lang: Lang, s: &ServiceView) -> Vec<Row<'_>> {
    match s.controllers.status {
        Openness::Stated => s.controllers.items.iter().map(Row::Controller).collect(),
        Openness::None => vec![Row::Open(labels(lang).none.to_owned())],
        Openness::NotStated => vec![Row::Open(labels(lang).not_stated.to_owned())],
    }
}

/// The cells every row of one service repeats.
struct Shared {
    subjects: String,
    personal_data: String,
    sub_processors: String,
    transfers: String,
    security: String,
}

impl Shared {
    fn of(lang: Lang, s: &ServiceView) -> Self {
        // In the order the record names them, each once.
        let mut types: Vec<&str> = Vec::new();
        for d in s.subjects.iter().flat_map(|x| &x.data) {
            if !types.contains(&d.id.as_str()) {
                types.push(&d.id);
            }
        }
        Shared {
            subjects: s
                .subjects
                .iter()
                .map(|x| labels::subject(lang, &x.category))
                .collect::<Vec<_>>()
                .join(SEP),
            personal_data: types
                .iter()
                .map(|t| labels::data_type(lang, t))
                .collect::<Vec<_>>()
                .join(SEP),
            sub_processors: text::open_list(lang, &s.sub_processors, |p| {
                text::sub_processor(lang, p)
            })
            .join(SEP),
            transfers: text::open_list(lang, &s.transfers, |t| text::transfer(lang, t)).join(SEP),
            security: text::open_list(lang, &s.security_measures, |m| m.text.clone()).join(SEP),
        }
    }
}

fn row(
    lang: Lang,
    s: &ServiceView,
    shared: &Shared,
    controller: Row<'_>,
    orgs: &[Organisation],
) -> Vec<String> {
    let org = |id: &str| orgs.iter().find(|o| o.id.get_ref() == id);
    let (id, name, contact, representative, dpo, categories) = match controller {
        Row::Controller(c) => {
            let o = org(&c.organisation);
            let categories = if c.categories.is_empty() {
                // No categories named for this controller: all of the service's processing.
                text::nature(lang, s)
            } else {
                c.categories.join(SEP)
            };
            (
                c.organisation.clone(),
                c.name.clone().unwrap_or_default(),
                text::organisation_contact(lang, o),
                text::optional_person(lang, o.and_then(|o| o.representative.as_ref())),
                text::optional_person(lang, o.and_then(|o| o.dpo.as_ref())),
                categories,
            )
        }
        Row::Open(why) => (
            String::new(),
            why.clone(),
            String::new(),
            String::new(),
            String::new(),
            text::nature(lang, s),
        ),
    };
    vec![
        s.id.clone(),
        s.name.clone(),
        s.version.to_string(),
        s.content_hash.clone(),
        s.evidence_index.map(|i| i.to_string()).unwrap_or_default(),
        text::source(&s.source),
        s.processor.name.clone(),
        text::contacts(lang, &s.processor.contacts),
        text::open_value(lang, &s.representative),
        text::open_value(lang, &s.dpo),
        id,
        name,
        contact,
        representative,
        dpo,
        categories,
        s.processing.subject_matter.clone(),
        text::nature(lang, s),
        s.processing.purposes.join(SEP),
        text::duration(lang, s),
        shared.subjects.clone(),
        shared.personal_data.clone(),
        text::special(lang, s),
        shared.sub_processors.clone(),
        shared.transfers.clone(),
        shared.security.clone(),
    ]
}
