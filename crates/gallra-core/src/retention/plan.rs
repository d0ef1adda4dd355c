//! What a purge works from: the rule, the hashing key, the holds, the cutoff and the batch
//! size, shared by the statements that count, delete and anonymize (exec, batch, sweep,
//! anonymize); and the largest batch.

use chrono::{DateTime, Utc};

use super::holds::Held;
use super::journal::Journal;
use crate::policy::spec::RetentionRule;
use crate::secrets::InstallationKey;

/// Rows per batch at most: fewer when a batch takes longer than `pace::TARGET`.
pub const BATCH: u64 = 150_000;

pub struct Plan<'a> {
    pub rule: &'a RetentionRule,
    /// Keys the hashes of `anonymize = { method = "hash" }`.
    pub key: &'a InstallationKey,
    pub held: &'a Held,
    pub cutoff: DateTime<Utc>,
    pub batch: u64,
    /// Where a real run journals its batches around the datasource's commits.
    pub journal: Option<&'a Journal<'a>>,
}
