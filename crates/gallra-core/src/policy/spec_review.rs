//! The review policies of a service file (docs/policy-format.md, Reviews): what to review,
//! when, by whom, from which accounts, and what a revocation does — parsed strictly.

use serde::{Deserialize, Serialize};

type Sp<T> = toml::Spanned<T>;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewPolicy {
    pub id: Sp<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub kind: ReviewKind,
    pub schedule: Sp<String>,
    pub timezone: Sp<String>,
    pub due: Sp<String>,
    pub reviewers: Vec<Sp<String>>,
    pub source: Sp<AccountSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roster: Option<Sp<Roster>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoke: Option<Sp<Revoke>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_rows: Option<Sp<i64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_percent: Option<Sp<i64>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewKind {
    Snapshot,
    Differential,
    Exit,
}

/// Where a review's accounts come from: a datasource table, or a CSV uploaded through the API.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AccountSource {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csv: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datasource: Option<Sp<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<Sp<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<Sp<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<Sp<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Sp<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_activity: Option<Sp<String>>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Roster {
    pub datasource: Sp<String>,
    pub table: Sp<String>,
    pub key: Sp<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Revoke {
    pub action: RevokeAction,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<Sp<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RevokeAction {
    Delete,
    Set,
}
