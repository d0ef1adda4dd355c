//! The installation: its two keys (the evidence signing key and the installation key for keyed
//! hashes) and the store's record of them. Every command that opens the store comes through
//! [`open`], which makes a missing key when nothing could depend on it yet, checks both against
//! the store, and records them at first use — so no command leaves a store that another refuses.

mod error;
mod record;
pub mod rekey;

use std::path::Path;

use sea_orm::DatabaseConnection;

use crate::evidence::Keys;
use crate::secrets::InstallationKey;

pub use crate::key_file::{key_path, Found};
pub use error::KeyError;
pub use record::Recorded;

/// The store, migrated, with the keys it was first used with.
#[derive(Clone)]
pub struct Store {
    pub db: DatabaseConnection,
    pub keys: Keys,
    pub installation_key: InstallationKey,
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
