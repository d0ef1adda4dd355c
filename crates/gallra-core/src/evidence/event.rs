//! What goes into the log: one canonical JSON object per event, ids and hashes only.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use serde_json::{json, Value};

/// Bumped when an event's fields change meaning.
pub const SCHEMA: u32 = 1;

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// A register entry got a new version (content by hash only).
    RegisterVersion {
        entry: String,
        key: String,
        version: i32,
        content_hash: String,
        retired: bool,
    },
    TokenCreated {
        token_id: i32,
        role: String,
    },
    TokenRevoked {
        token_id: i32,
    },
    /// A retention run: counts, a digest of the affected keys, never a key.
    RetentionRun {
        run_id: i32,
        /// 1 for a run's first attempt; retries of a failed or interrupted run count up.
        attempt: i32,
        /// The attempt before was cut off by a crash: what its committed batches changed is in
        /// that attempt's own `interrupted` entry. Absent when false.
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        after_interrupted: bool,
        rule: String,
        rule_hash: String,
        trigger: String,
        scheduled_for: Option<String>,
        cutoff: String,
        matched: u64,
        affected: u64,
        held: u64,
        keys_sha256: Option<String>,
        remaining_over_age: Option<u64>,
        oldest_remaining: Option<String>,
        duration_ms: u64,
        outcome: String,
    },
    /// A DPO approved a guarded run.
    RunApproved {
        run_id: i32,
        rule: String,
        approved_by_token: i32,
        reason_sha256: String,
    },
    HoldPlaced {
        hold_id: i32,
        rule: String,
        keys: i64,
        keys_sha256: Option<String>,
    },
    HoldLifted {
        hold_id: i32,
        rule: String,
    },
    /// A review campaign closed: counts and a keyed hash over the decisions, never a name.
    ReviewClosed {
        campaign_id: i32,
        policy: String,
        policy_hash: String,
        items: u64,
        kept: u64,
        revoked: u64,
        unsure: u64,
        revocations_applied: u64,
        revocations_failed: u64,
        decisions_hmac: String,
        /// The close finished one a stopped process left part way: the revocations that one
        /// applied are counted here, once. Absent when false.
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        resumed: bool,
    },
    /// A lost key replaced (`gallra keys rekey`): which, the old and new installation-key
    /// fingerprint or verifier key, the SHA-256 of the reason.
    KeyReplaced {
        key: String,
        old: String,
        new: String,
        reason_sha256: String,
    },
}

impl Event {
    pub fn kind(&self) -> &'static str {
        match self {
            Event::RegisterVersion { .. } => "register_version",
            Event::TokenCreated { .. } => "token_created",
            Event::TokenRevoked { .. } => "token_revoked",
            Event::RetentionRun { .. } => "retention_run",
            Event::RunApproved { .. } => "run_approved",
            Event::HoldPlaced { .. } => "hold_placed",
            Event::HoldLifted { .. } => "hold_lifted",
            Event::ReviewClosed { .. } => "review_closed",
            Event::KeyReplaced { .. } => "key_replaced",
        }
    }

    /// The entry's canonical bytes: sorted keys, no floats, with kind, time and schema.
    pub fn to_entry(&self, at: DateTime<Utc>) -> String {
        let mut v = serde_json::to_value(self).unwrap_or(Value::Null);
        if let Value::Object(map) = &mut v {
            map.insert("schema".into(), json!(SCHEMA));
            map.insert(
                "at".into(),
                json!(at.to_rfc3339_opts(SecondsFormat::Secs, true)),
            );
        }
        serde_json::to_string(&v).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn entries_are_canonical() {
        let at = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        let e = Event::TokenRevoked { token_id: 7 }.to_entry(at);
        assert_eq!(
            e,
            r#"{"at":"2026-11-23T09:00:00Z","kind":"token_revoked","schema":1,"token_id":7}"#
        );
    }
}
