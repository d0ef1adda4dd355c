//! `manifest.json`: what the bundle is, the period it covers, and every other file's SHA-256
//! and size.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub const FORMAT: &str = "gallra-audit-bundle/1";

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
    /// The first and last evidence index of the period.
    pub first_index: u64,
    pub last_index: u64,
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
