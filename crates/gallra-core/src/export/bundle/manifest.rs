//! `manifest.json`: what the bundle is, the period it covers, and every other file's SHA-256
//! and size; and `manifest.sig`, the log's key signing the manifest, so that every file — the
//! register's renderings and the tables' free-text columns too, which no entry commits to — is
//! bound by a signature and not by unsigned sums alone.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub const FORMAT: &str = "gallra-audit-bundle/1";

/// The signed note over `manifest.json`: the one file the manifest does not list.
pub const SIGNATURE: &str = "manifest.sig";

/// The text `manifest.sig` signs: the format and origin, then the manifest's SHA-256 and size.
/// Its second line is never a number, so the note cannot be read as a checkpoint of the log
/// signed by the same key.
pub fn statement(origin: &str, manifest_json: &[u8]) -> String {
    format!(
        "{FORMAT} {origin}\nmanifest.json {} {}\n",
        hex::encode(Sha256::digest(manifest_json)),
        manifest_json.len()
    )
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    pub format: String,
    pub gallra_version: String,
    pub origin: String,
    pub period: PeriodView,
    /// The instant the register files show.
    pub as_of: String,
    /// The checkpoint's tree size.
    pub tree_size: u64,
    /// The first and last evidence index of the period; both `null` for a period that holds
    /// no entry (an empty bundle is a valid answer: nothing was recorded then).
    pub first_index: Option<u64>,
    pub last_index: Option<u64>,
    pub files: Vec<FileSum>,
}

/// Bounds as given (RFC 3339); `None`: from the log's start, or up to the export.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PeriodView {
    pub from: Option<String>,
    /// Exclusive.
    pub to: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileSum {
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
}

impl FileSum {
    pub fn of(path: &str, bytes: &[u8]) -> Self {
        FileSum {
            path: path.to_owned(),
            sha256: hex::encode(Sha256::digest(bytes)),
            bytes: bytes.len() as u64,
        }
    }
}

/// The evidence indexes of a period that holds entries, `first..=last`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub first: u64,
    pub last: u64,
}

impl Span {
    pub fn entries(self) -> u64 {
        self.last - self.first + 1
    }

    pub fn range(self) -> (u64, u64) {
        (self.first, self.last)
    }
}

impl std::fmt::Display for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}..={}", self.first, self.last)
    }
}

/// A period's entries as words: `5..=9`, or `none` for an empty period.
pub fn span_text(span: Option<Span>) -> String {
    span.map_or_else(|| "none".to_owned(), |s| s.to_string())
}
