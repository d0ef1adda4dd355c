//! What a bundle will hold (its period, checkpoint and span): made by the writer's plan and
//! read by the files it writes (readme).

use chrono::{DateTime, Utc};

use super::manifest::Span;

/// Entries from `from` (inclusive) to `to` (exclusive); open ends reach the log's ends.
#[derive(Debug, Clone, Copy, Default)]
pub struct Period {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// What a bundle will hold: the checkpoint, and the period's first and last entry under it
/// (none: the period holds no entry, and the bundle is the register with empty tables).
#[derive(Debug, Clone)]
pub struct Plan {
    pub period: Period,
    /// The register files show the register at this instant: the period's end, or now.
    pub as_of: DateTime<Utc>,
    pub span: Option<Span>,
    pub tree_size: u64,
    pub checkpoint: String,
    pub origin: String,
    pub verifier_key: String,
}
