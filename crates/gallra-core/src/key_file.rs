//! Where a key's file is (its variable, else the data folder) and a key as found there or made
//! now: shared by the evidence signing key, the installation key and the installation's
//! opening of both.

use std::path::{Path, PathBuf};

/// A key read from its file, or made now and not yet saved (with the path it is to be saved at).
pub struct Found<K> {
    pub key: K,
    pub path: PathBuf,
    pub made: bool,
}

/// The file a key is read from: the variable's path if set (and not empty), else `default` in
/// the data folder.
pub fn key_path(var: &str, data_dir: &Path, default: &str) -> PathBuf {
    std::env::var(var)
        .ok()
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| data_dir.join(default))
}
