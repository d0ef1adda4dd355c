//! The policy file formats (docs/policy-format.md), parsed strictly: unknown fields are errors.
//! Fields that later checks must point at are `Spanned`, so an error names line and column.

use serde::{Deserialize, Serialize};
use toml::Spanned;

pub type Sp<T> = Spanned<T>;

pub use super::spec_review::{
    AccountSource, ReviewKind, ReviewPolicy, Revoke, RevokeAction, Roster,
};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OrganisationsFile {
    #[serde(default)]
    pub organisations: Vec<Organisation>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub id: Sp<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    pub roles: Vec<OrgRole>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpo: Option<Person>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub representative: Option<Person>,
    #[serde(default)]
    pub contacts: Vec<Contact>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OrgRole {
    Processor,
    Controller,
    SubProcessor,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DatasourcesFile {
    #[serde(default)]
    pub datasources: Vec<Datasource>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Datasource {
    pub id: Sp<String>,
    pub kind: DatasourceKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DatasourceKind {
    Sqlite,
    Postgres,
    Mysql,
}

/// One service file: the processing record, its instructions and the rules enforcing them.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceFile {
    pub service: Service,
    pub processing: Processing,
    pub subjects: Vec<Subject>,
    #[serde(default)]
    pub controllers: Vec<Controller>,
    #[serde(default)]
    pub sub_processors: Vec<SubProcessor>,
    #[serde(default)]
    pub transfers: Vec<Transfer>,
    #[serde(default)]
    pub security_measures: Vec<SecurityMeasure>,
    #[serde(default)]
    pub instructions: Vec<Instruction>,
    #[serde(default)]
    pub retention: Vec<RetentionRule>,
    #[serde(default)]
    pub reviews: Vec<ReviewPolicy>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub id: Sp<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub processor: Sp<String>,
    pub language: Language,
    pub source: SourceRef,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Sv,
    Da,
    En,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SourceRef {
    pub document: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Processing {
    pub subject_matter: String,
    pub duration: Duration,
    pub nature: Vec<Sp<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nature_text: Option<String>,
    pub purposes: Sp<Vec<String>>,
    #[serde(default)]
    pub not_stated: Vec<Sp<String>>,
    #[serde(default)]
    pub none: Vec<Sp<String>>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Duration {
    pub kind: DurationKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DurationKind {
    UntilFurtherNotice,
    ContractTerm,
    UntilDate,
    NotStated,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Subject {
    pub category: Sp<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub data: Sp<Vec<Sp<String>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Controller {
    pub organisation: Sp<String>,
    #[serde(default)]
    pub categories: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SubProcessor {
    pub name: String,
    pub kind: SubProcessorKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<Sp<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SubProcessorKind {
    System,
    SubProcessor,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Transfer {
    pub country: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    pub safeguard: Safeguard,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Safeguard {
    Adequacy,
    Scc,
    Bcr,
    Derogation,
    Other,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityMeasure {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Instruction {
    pub id: Sp<String>,
    pub source: String,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enforced_by: Option<Sp<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manual: Option<Manual>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Manual {
    pub owner: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionRule {
    pub id: Sp<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub datasource: Sp<String>,
    pub table: Sp<String>,
    pub key: Sp<String>,
    pub timestamp: Sp<String>,
    #[serde(default)]
    pub timestamp_format: TimestampFormat,
    pub keep_for: Sp<String>,
    pub action: RetentionAction,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anonymize: Option<Sp<Anonymize>>,
    pub schedule: Sp<String>,
    pub timezone: Sp<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_rows: Option<Sp<i64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_percent: Option<Sp<i64>>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimestampFormat {
    #[default]
    Sql,
    Iso8601,
    UnixSeconds,
    UnixMillis,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RetentionAction {
    Delete,
    Anonymize,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Anonymize {
    pub columns: Vec<Sp<String>>,
    pub method: AnonymizeMethod,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AnonymizeMethod {
    Null,
    Hash,
}
