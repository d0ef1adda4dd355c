//! What the API shows of the register. Built from the stored record; entities never leave here.

#[cfg(feature = "openapi")]
use crate::policy::spec::Duration as DurationSpec;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::vocabulary::{self, Special};
use crate::policy::spec::{
    Contact, Duration, Language, Manual, Organisation, Person, Safeguard, SecurityMeasure,
    ServiceFile, SourceRef, SubProcessorKind,
};

/// A row of the register list.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct ServiceSummary {
    pub id: String,
    pub name: String,
    pub version: i32,
    pub content_hash: String,
    /// The evidence entry that recorded this version; given with `as_of`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence_index: Option<i64>,
    pub updated_at: DateTime<Utc>,
    pub data_types: Vec<String>,
    pub subjects: Vec<String>,
    pub controllers: Vec<String>,
    pub special_categories: Vec<String>,
    /// Sub-processors and systems, by organisation id or lower-cased name.
    pub sub_processors: Vec<String>,
    /// Countries personal data is transferred to.
    pub transfer_countries: Vec<String>,
}

/// One page of the register list.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Serialize)]
pub struct ServicePage {
    pub items: Vec<ServiceSummary>,
    pub total: u64,
    pub limit: u64,
    pub offset: u64,
}

/// Whether a field the source may leave open is stated, stated as empty, or not stated.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Openness {
    Stated,
    None,
    NotStated,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Serialize)]
pub struct OpenList<T> {
    pub status: Openness,
    pub items: Vec<T>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Serialize)]
pub struct OpenValue<T> {
    pub status: Openness,
    #[cfg_attr(feature = "openapi", schema(nullable = true))]
    pub value: Option<T>,
}

/// One processing record with every field of the register (docs/policy-format.md).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Serialize)]
pub struct ServiceView {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub language: Language,
    pub source: SourceRef,
    pub version: i32,
    pub content_hash: String,
    /// The index of the evidence entry that recorded this version (`null` while it is still
    /// queued, not yet in the tree).
    pub evidence_index: Option<i64>,
    pub updated_at: DateTime<Utc>,
    pub retired: bool,
    pub processor: OrganisationView,
    pub processing: ProcessingView,
    pub subjects: Vec<SubjectView>,
    /// Art. 9/10 types the record holds or may hold.
    pub special_categories: Vec<DataTypeView>,
    /// Integritetskänsliga types that are not Art. 9/10 (economy, salary, …).
    pub sensitive: Vec<DataTypeView>,
    pub controllers: OpenList<ControllerView>,
    pub sub_processors: OpenList<SubProcessorView>,
    pub transfers: OpenList<TransferView>,
    pub security_measures: OpenList<SecurityMeasure>,
    pub representative: OpenValue<Person>,
    pub dpo: OpenValue<Person>,
    pub instructions: Vec<InstructionView>,
    pub retention_rules: Vec<String>,
    pub review_policies: Vec<String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Serialize)]
pub struct OrganisationView {
    pub id: String,
    pub name: String,
    pub country: Option<String>,
    pub dpo: Option<Person>,
    pub representative: Option<Person>,
    pub contacts: Vec<Contact>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Serialize)]
pub struct ProcessingView {
    pub subject_matter: String,
    // utoipa would read a type named `Duration` as std's, a string.
    #[cfg_attr(feature = "openapi", schema(value_type = DurationSpec))]
    pub duration: Duration,
    pub nature: Vec<String>,
    pub nature_text: Option<String>,
    pub purposes: Vec<String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Serialize)]
pub struct SubjectView {
    pub category: String,
    pub category_label: String,
    pub label: Option<String>,
    pub data: Vec<DataTypeView>,
    pub note: Option<String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct DataTypeView {
    pub id: String,
    pub label: String,
    pub special: Special,
    pub sensitive: bool,
    pub fideslang: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Serialize)]
pub struct ControllerView {
    pub organisation: String,
    pub name: Option<String>,
    pub categories: Vec<String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Serialize)]
pub struct SubProcessorView {
    pub name: String,
    pub kind: SubProcessorKind,
    pub organisation: Option<String>,
    pub purpose: Option<String>,
    pub location: Option<String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Serialize)]
pub struct TransferView {
    pub country: String,
    pub recipient: Option<String>,
    pub safeguard: Safeguard,
    pub note: Option<String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Serialize)]
pub struct InstructionView {
    pub id: String,
    pub source: String,
    pub text: String,
    pub enforcement: Enforcement,
}

/// How an instruction is carried out: by a rule gallra runs, or by a named owner.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Enforcement {
    Enforced { kind: String, rule: String },
    Manual { owner: String, note: Option<String> },
}

impl Enforcement {
    pub fn from_parts(enforced_by: Option<&str>, manual: Option<&Manual>) -> Self {
        match (enforced_by.and_then(|b| b.split_once(':')), manual) {
            (Some((kind, rule)), _) => Enforcement::Enforced {
                kind: kind.into(),
                rule: rule.into(),
            },
            (None, Some(m)) => Enforcement::Manual {
                owner: m.owner.clone(),
                note: m.note.clone(),
            },
            (None, None) => Enforcement::Manual {
                owner: String::new(),
                note: None,
            },
        }
    }
}

impl DataTypeView {
    pub fn from_id(id: &str) -> Self {
        match vocabulary::data_type(id) {
            Some(d) => DataTypeView {
                id: d.id.into(),
                label: d.label_en.into(),
                special: d.special,
                sensitive: d.sensitive,
                fideslang: d.fideslang.into(),
            },
            None => DataTypeView {
                id: id.into(),
                label: id.into(),
                special: Special::None,
                sensitive: false,
                fideslang: String::new(),
            },
        }
    }
}

impl From<&Organisation> for OrganisationView {
    fn from(o: &Organisation) -> Self {
        OrganisationView {
            id: o.id.get_ref().clone(),
            name: o.name.clone(),
            country: o.country.clone(),
            dpo: o.dpo.clone(),
            representative: o.representative.clone(),
            contacts: o.contacts.clone(),
        }
    }
}

/// The openness of an open field, from the record's own `not_stated` / `none` lists.
pub fn openness(s: &ServiceFile, field: &str, filled: bool) -> Openness {
    if filled {
        Openness::Stated
    } else if s.processing.none.iter().any(|x| x.get_ref() == field) {
        Openness::None
    } else {
        Openness::NotStated
    }
}
