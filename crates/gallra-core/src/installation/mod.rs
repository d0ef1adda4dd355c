//! The installation: its two keys (the evidence signing key and the installation key for keyed
//! hashes) and the store's record of them. Every command that opens the store comes through
//! [`open`], which makes a missing key when nothing could depend on it yet, checks both against
//! the store, and records them at first use — so no command leaves a store that another refuses.

mod record;
pub mod rekey;

use std::path::{Path, PathBuf};

use sea_orm::DatabaseConnection;

use crate::evidence::Keys;
use crate::secrets::InstallationKey;

pub use record::Recorded;

/// The store, migrated, with the keys it was first used with.
#[derive(Clone)]
pub struct Store {
    pub db: DatabaseConnection,
    pub keys: Keys,
    pub installation_key: InstallationKey,
}

/// Why a store cannot be opened with the keys found here: each says what to do.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("no {what} at {path} (set {var}, else it is read from the data folder), and this store {why}: copy that installation's key file there, or, if it is lost for good, run `gallra keys rekey --{flag} --reason \"…\"` (docs/operations.md, Keys)")]
    Missing {
        what: &'static str,
        var: &'static str,
        flag: &'static str,
        path: String,
        why: &'static str,
    },
    #[error("the {what} at {path} is not the one this store was first used with ({consequence}): copy that installation's key file there (set {var} to its path)")]
    Different {
        what: &'static str,
        var: &'static str,
        path: String,
        consequence: &'static str,
    },
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<sea_orm::DbErr> for KeyError {
    fn from(e: sea_orm::DbErr) -> Self {
        KeyError::Other(e.into())
    }
}

/// A key read from its file, or made now and not yet saved (with the path it is to be saved at).
pub struct Found<K> {
    pub key: K,
    pub path: PathBuf,
    pub made: bool,
}

/// Connect to and migrate the store at `url`, then [`open_keys`] in `data_dir`.
pub async fn open(url: &str, data_dir: &Path) -> anyhow::Result<Store> {
    let db = crate::db::connect(url).await?;
    let (keys, installation_key) = open_keys(&db, data_dir).await?;
    Ok(Store {
        db,
        keys,
        installation_key,
    })
}

/// Read both keys (or make those missing), check them against the store's record, record them
/// at first use, and only then save the keys made: a key the store refused is never left behind.
pub async fn open_keys(
    db: &DatabaseConnection,
    data_dir: &Path,
) -> Result<(Keys, InstallationKey), KeyError> {
    let signing = Keys::find(data_dir)?;
    let hashing = InstallationKey::find(data_dir)?;
    record::check_or_record(db, &signing, &hashing).await?;
    if signing.made {
        signing.key.save(&signing.path)?;
        tracing::info!(path = %signing.path.display(), "created the evidence signing key");
    }
    if hashing.made {
        hashing.key.save(&hashing.path)?;
        tracing::info!(path = %hashing.path.display(), "created the installation key");
    }
    Ok((signing.key, hashing.key))
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
