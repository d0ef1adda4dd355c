//! Assembling a `ServiceView` from a stored service and the organisations it refers to.

use chrono::{DateTime, Utc};

use super::views::*;
use super::vocabulary;
use crate::policy::spec::{Organisation, ServiceFile};

pub struct StoredService<'a> {
    pub spec: &'a ServiceFile,
    pub version: i32,
    pub content_hash: &'a str,
    pub evidence_index: Option<i64>,
    pub updated_at: DateTime<Utc>,
    pub retired: bool,
}

pub fn build(s: StoredService<'_>, orgs: &[Organisation]) -> ServiceView {
    let spec = s.spec;
    let org = |id: &str| orgs.iter().find(|o| o.id.get_ref() == id);
    let processor = org(spec.service.processor.get_ref())
        .map(OrganisationView::from)
        .unwrap_or_else(|| OrganisationView {
            id: spec.service.processor.get_ref().clone(),
            name: spec.service.processor.get_ref().clone(),
            country: None,
            dpo: None,
            representative: None,
            contacts: Vec::new(),
        });
    let mut all_types: Vec<String> = spec
        .subjects
        .iter()
        .flat_map(|x| x.data.get_ref().iter().map(|d| d.get_ref().clone()))
        .collect();
    all_types.sort();
    all_types.dedup();
    let typed: Vec<DataTypeView> = all_types.iter().map(|t| DataTypeView::from_id(t)).collect();
    ServiceView {
        id: spec.service.id.get_ref().clone(),
        name: spec.service.name.clone(),
        description: spec.service.description.clone(),
        language: spec.service.language,
        source: spec.service.source.clone(),
        version: s.version,
        content_hash: s.content_hash.to_owned(),
        evidence_index: s.evidence_index,
        updated_at: s.updated_at,
        retired: s.retired,
        representative: open_value(spec, "representative", processor.representative.clone()),
        dpo: open_value(spec, "dpo", processor.dpo.clone()),
        processor,
        processing: ProcessingView {
            subject_matter: spec.processing.subject_matter.clone(),
            duration: spec.processing.duration.clone(),
            nature: spec
                .processing
                .nature
                .iter()
                .map(|n| n.get_ref().clone())
                .collect(),
            nature_text: spec.processing.nature_text.clone(),
            purposes: spec.processing.purposes.get_ref().clone(),
        },
        subjects: spec.subjects.iter().map(subject).collect(),
        special_categories: typed
            .iter()
            .filter(|t| t.special != vocabulary::Special::None)
            .cloned()
            .collect(),
        sensitive: typed
            .iter()
            .filter(|t| t.sensitive && t.special == vocabulary::Special::None)
            .cloned()
            .collect(),
        controllers: open_list(
            spec,
            "controllers",
            spec.controllers.iter().map(|c| ControllerView {
                organisation: c.organisation.get_ref().clone(),
                name: org(c.organisation.get_ref()).map(|o| o.name.clone()),
                categories: c.categories.clone(),
            }),
        ),
        sub_processors: open_list(
            spec,
            "sub_processors",
            spec.sub_processors.iter().map(|p| SubProcessorView {
                name: p.name.clone(),
                kind: p.kind,
                organisation: p.organisation.as_ref().map(|o| o.get_ref().clone()),
                purpose: p.purpose.clone(),
                location: p.location.clone(),
            }),
        ),
        transfers: open_list(
            spec,
            "transfers",
            spec.transfers.iter().map(|t| TransferView {
                country: t.country.clone(),
                recipient: t.recipient.clone(),
                safeguard: t.safeguard,
                note: t.note.clone(),
            }),
        ),
        security_measures: open_list(
            spec,
            "security_measures",
            spec.security_measures.iter().cloned(),
        ),
        instructions: spec
            .instructions
            .iter()
            .map(|i| InstructionView {
                id: i.id.get_ref().clone(),
                source: i.source.clone(),
                text: i.text.clone(),
                enforcement: Enforcement::from_parts(
                    i.enforced_by.as_ref().map(|b| b.get_ref().as_str()),
                    i.manual.as_ref(),
                ),
            })
            .collect(),
        retention_rules: spec
            .retention
            .iter()
            .map(|r| r.id.get_ref().clone())
            .collect(),
        review_policies: spec
            .reviews
            .iter()
            .map(|r| r.id.get_ref().clone())
            .collect(),
    }
}

fn subject(s: &crate::policy::spec::Subject) -> SubjectView {
    SubjectView {
        category: s.category.get_ref().clone(),
        category_label: vocabulary::subject_category(s.category.get_ref())
            .map_or_else(|| s.category.get_ref().clone(), |c| c.label_en.into()),
        label: s.label.clone(),
        data: s
            .data
            .get_ref()
            .iter()
            .map(|d| DataTypeView::from_id(d.get_ref()))
            .collect(),
        note: s.note.clone(),
    }
}

fn open_list<T>(spec: &ServiceFile, field: &str, items: impl Iterator<Item = T>) -> OpenList<T> {
    let items: Vec<T> = items.collect();
    OpenList {
        status: openness(spec, field, !items.is_empty()),
        items,
    }
}

fn open_value<T>(spec: &ServiceFile, field: &str, value: Option<T>) -> OpenValue<T> {
    OpenValue {
        status: openness(spec, field, value.is_some()),
        value,
    }
}
