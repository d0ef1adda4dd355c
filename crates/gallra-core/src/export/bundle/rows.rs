//! The bundle's tables (register versions, retention runs, review campaigns), each row citing
//! its evidence entry, and what each row must agree on with that entry. Pure: the writer renders
//! rows with these types, the verifier checks any file against `Spec`s.

use serde::{Deserialize, Serialize};

use crate::export::formula::defuse;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VersionRow {
    pub evidence_index: u64,
    pub entry: String,
    pub key: String,
    pub version: i32,
    pub content_hash: String,
    pub retired: bool,
    pub author: String,
    pub reason: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunRow {
    pub evidence_index: u64,
    pub run_id: i32,
    pub attempt: i32,
    pub rule: String,
    pub rule_hash: String,
    pub trigger: String,
    pub cutoff: String,
    pub matched: u64,
    pub affected: u64,
    pub held: u64,
    /// SHA-256 over the affected keys.
    pub keys_sha256: Option<String>,
    /// The post-condition: rows over age outside holds after the run (0 when it holds).
    pub remaining_over_age: Option<u64>,
    /// The outcome its evidence recorded.
    pub outcome: String,
    /// The run's state now (an approved run: `approved`).
    pub status: String,
    pub finished_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReviewRow {
    pub evidence_index: u64,
    pub campaign_id: i32,
    pub policy: String,
    pub policy_hash: String,
    pub kind: String,
    pub items: u64,
    pub kept: u64,
    pub revoked: u64,
    pub unsure: u64,
    pub revocations_applied: u64,
    pub revocations_failed: u64,
    /// The keyed hash over the decisions that the evidence commits to.
    pub decisions_hmac: String,
    pub closed_at: Option<String>,
}

/// What rows of one table must agree on with the entries they cite.
pub struct Spec {
    /// The entry's `kind`.
    pub kind: &'static str,
    /// (row column, entry field) pairs that must be equal.
    pub fields: &'static [(&'static str, &'static str)],
    /// Entry fields with a fixed value for this table.
    pub fixed: &'static [(&'static str, &'static str)],
    /// Columns holding instants: compared as instants, whatever the offset's spelling.
    pub instants: &'static [&'static str],
    /// Entry fields naming what a row is about: every such entry of the period has a row.
    pub identity: &'static [&'static str],
}

pub const VERSIONS: Spec = Spec {
    kind: "register_version",
    fields: &[
        ("entry", "entry"),
        ("key", "key"),
        ("version", "version"),
        ("content_hash", "content_hash"),
        ("retired", "retired"),
    ],
    fixed: &[],
    instants: &[],
    identity: &["entry", "key", "version"],
};

pub const RUNS: Spec = Spec {
    kind: "retention_run",
    fields: &[
        ("run_id", "run_id"),
        ("attempt", "attempt"),
        ("rule", "rule"),
        ("rule_hash", "rule_hash"),
        ("trigger", "trigger"),
        ("cutoff", "cutoff"),
        ("matched", "matched"),
        ("affected", "affected"),
        ("held", "held"),
        ("keys_sha256", "keys_sha256"),
        ("remaining_over_age", "remaining_over_age"),
        ("outcome", "outcome"),
    ],
    fixed: &[],
    instants: &["cutoff"],
    identity: &["run_id"],
};

pub const REVIEWS: Spec = Spec {
    kind: "review_closed",
    fields: &[
        ("campaign_id", "campaign_id"),
        ("policy", "policy"),
        ("policy_hash", "policy_hash"),
        ("items", "items"),
        ("kept", "kept"),
        ("revoked", "revoked"),
        ("unsure", "unsure"),
        ("revocations_applied", "revocations_applied"),
        ("revocations_failed", "revocations_failed"),
        ("decisions_hmac", "decisions_hmac"),
    ],
    fixed: &[],
    instants: &[],
    identity: &["campaign_id"],
};

/// The register as of the period's end: each current service's version and its entry.
pub const REGISTER: Spec = Spec {
    kind: "register_version",
    fields: &[
        ("service_id", "key"),
        ("version", "version"),
        ("content_hash", "content_hash"),
    ],
    fixed: &[("entry", "service")],
    instants: &[],
    identity: &[],
};

/// The tables: file stem, spec.
pub const TABLES: [(&str, &Spec); 3] = [
    ("versions", &VERSIONS),
    ("runs", &RUNS),
    ("reviews", &REVIEWS),
];

/// A JSON value as the text a CSV cell holds: strings bare, `null` empty.
pub fn cell(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Rows as CSV, the columns `header` names in that order, every cell through the one escaping
/// of formula starts ([`defuse`]): an author or a reason beginning `=` is text in a spreadsheet.
/// The verifier expects the same escaping of what it compares.
pub fn to_csv<T: Serialize>(rows: &[T], header: &[&str]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header)?;
    for r in rows {
        let v = serde_json::to_value(r).map_err(|e| {
            csv::Error::from(std::io::Error::new(std::io::ErrorKind::InvalidData, e))
        })?;
        w.write_record(header.iter().map(|c| defuse(&cell(&v[*c])).into_owned()))?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

pub const VERSION_COLUMNS: &[&str] = &[
    "evidence_index",
    "entry",
    "key",
    "version",
    "content_hash",
    "retired",
    "author",
    "reason",
    "created_at",
];
pub const RUN_COLUMNS: &[&str] = &[
    "evidence_index",
    "run_id",
    "attempt",
    "rule",
    "rule_hash",
    "trigger",
    "cutoff",
    "matched",
    "affected",
    "held",
    "keys_sha256",
    "remaining_over_age",
    "outcome",
    "status",
    "finished_at",
];
pub const REVIEW_COLUMNS: &[&str] = &[
    "evidence_index",
    "campaign_id",
    "policy",
    "policy_hash",
    "kind",
    "items",
    "kept",
    "revoked",
    "unsure",
    "revocations_applied",
    "revocations_failed",
    "decisions_hmac",
    "closed_at",
];
