//! The installation's own secret: a random key (created on first start, mode 0600) for keyed
//! hashes — anonymized values, and review decisions in the evidence log.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use crate::key_file::{key_path, Found};

#[derive(Clone)]
pub struct InstallationKey([u8; 32]);

impl std::fmt::Debug for InstallationKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("InstallationKey(..)")
    }
}

impl InstallationKey {
    /// The key at `GALLRA_INSTALLATION_KEY` (a path), else `<data dir>/installation.key`; or a
    /// new one, not yet saved, with the path it is to be saved at.
    pub fn find(data_dir: &Path) -> anyhow::Result<Found<Self>> {
        let path = key_path("GALLRA_INSTALLATION_KEY", data_dir, "installation.key");
        // A key readable by others still works, but is said at every start until mended.
        crate::crash::warn_if_readable_by_others(&path);
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(Found {
                key: Self::from_hex(text.trim())
                    .with_context(|| format!("{} is not 64 hex digits", path.display()))?,
                path,
                made: false,
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Found {
                key: Self::generate(),
                path,
                made: true,
            }),
            Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
        }
    }

    /// A new random key.
    pub fn generate() -> Self {
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        InstallationKey(key)
    }

    fn from_hex(text: &str) -> anyhow::Result<Self> {
        let mut key = [0u8; 32];
        hex::decode_to_slice(text, &mut key)?;
        Ok(InstallationKey(key))
    }

    /// Save the key, readable by its owner only; never over an existing file.
    pub fn save(&self, path: &Path) -> anyhow::Result<()> {
        write_private(path, &format!("{}\n", hex::encode(self.0)))
    }

    /// A keyed hash of a constant: says which key this is, and nothing of it.
    pub fn fingerprint(&self) -> String {
        self.hmac_hex(&[b"gallra installation key fingerprint"])
    }

    /// HMAC-SHA256 of `parts`, each length-prefixed so no two inputs collide, in hex.
    pub fn hmac_hex(&self, parts: &[&[u8]]) -> String {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.0).expect("HMAC takes any key length");
        for p in parts {
            mac.update(&(p.len() as u64).to_be_bytes());
            mac.update(p);
        }
        hex::encode(mac.finalize().into_bytes())
    }
}

/// Create `path` (and its folder) holding `contents`, readable by its owner only (0600);
/// never overwrite an existing file.
pub fn write_private(path: &Path, contents: &str) -> anyhow::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut f = options
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    f.write_all(contents.as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_separates_its_inputs() {
        let k = InstallationKey([7; 32]);
        assert_ne!(k.hmac_hex(&[b"ab", b"c"]), k.hmac_hex(&[b"a", b"bc"]));
        assert_eq!(k.hmac_hex(&[b"x"]).len(), 64);
    }
}
