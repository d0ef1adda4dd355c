//! What a run reports, stored on its row and (without any key) in the evidence log.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::policy::spec::{RetentionAction, RetentionRule};

/// The one outcome type: the store's column is typed by it.
pub use entity::retention_runs::Outcome;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Counts {
    /// Rows in the table when the run started: counted where a guard on the table's share
    /// needs them, and for a dry run.
    pub table_rows: Option<u64>,
    /// Rows older than the cutoff (for anonymize: not yet anonymized). For an `interrupted`
    /// run, settled from its journal after its process stopped, only the rows its committed
    /// batches changed: what was over age was not counted.
    pub matched: u64,
    /// Of those, rows under a legal hold.
    pub held: u64,
    /// Rows deleted or anonymized (for a dry run: that would be).
    pub affected: u64,
}

impl Counts {
    /// The table's rows from the rows a purge leaves (`exec::rows_kept`): those, plus the rows
    /// over age where it deletes them.
    pub(super) fn add_kept(&mut self, rule: &RetentionRule, kept: u64) {
        self.table_rows = Some(match rule.action {
            RetentionAction::Delete => kept + self.matched,
            RetentionAction::Anonymize => kept,
        });
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunReport {
    pub run_id: i32,
    pub rule: String,
    pub rule_hash: String,
    pub dry_run: bool,
    pub outcome: Outcome,
    pub cutoff: DateTime<Utc>,
    #[serde(flatten)]
    pub counts: Counts,
    /// SHA-256 over the affected keys in key order, one per line: an auditor with a backup can
    /// recompute it; the log holds no key.
    pub keys_sha256: Option<String>,
    /// Rows over age outside holds after the run; the post-condition holds when 0. Absent
    /// when it was not checked: a dry run, a run that failed or was interrupted.
    pub remaining_over_age: Option<u64>,
    pub oldest_remaining: Option<DateTime<Utc>>,
    pub batches: u64,
    pub longest_batch_ms: u64,
    pub duration_ms: u64,
    pub error: Option<String>,
    pub evidence_index: Option<u64>,
}
