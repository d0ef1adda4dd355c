//! What the batches of a purge add up to: one batch's change, the running tally, and the
//! purge's result.

use std::time::Instant;

use chrono::{DateTime, Utc};

use super::keys::KeyList;

/// What one batch changed.
pub(super) struct Changed {
    pub keys: KeyList,
    pub newest: Option<DateTime<Utc>>,
    /// No row over age is left beyond this batch.
    pub last: bool,
}

pub struct Done {
    pub affected: u64,
    pub keys_sha256: String,
    pub batches: u64,
    pub longest_batch_ms: u64,
    /// The post-condition, where the purge has already checked it.
    pub postcondition: Option<(u64, Option<DateTime<Utc>>)>,
}

/// What the batches of a purge add up to.
#[derive(Default)]
pub(super) struct Tally {
    keys: KeyList,
    batches: u64,
    longest_ms: u64,
}

impl Tally {
    /// Count a batch begun at `started`; returns the timestamp the next one starts from, if
    /// rows over age may remain beyond it.
    pub(super) fn add(
        &mut self,
        started: Instant,
        b: Changed,
        progress: &mut impl FnMut(u64),
    ) -> Option<DateTime<Utc>> {
        self.longest_ms = self.longest_ms.max(started.elapsed().as_millis() as u64);
        self.batches += 1;
        progress(b.keys.len() as u64);
        self.keys.append(b.keys);
        b.newest.filter(|_| !b.last)
    }

    /// Keys changed so far.
    pub(super) fn changed(&self) -> u64 {
        self.keys.len() as u64
    }

    pub(super) fn done(self, postcondition: Option<(u64, Option<DateTime<Utc>>)>) -> Done {
        Done {
            postcondition,
            affected: self.keys.len() as u64,
            keys_sha256: self.keys.digest(),
            batches: self.batches,
            longest_batch_ms: self.longest_ms,
        }
    }
}
