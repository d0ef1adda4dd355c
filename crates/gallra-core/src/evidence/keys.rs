//! The log's signing key: created on first start (mode 0600), never logged; its verifier key
//! is public in note form `<name>+<hex key id>+<base64(0x01‖key)>`.

use std::path::Path;

use anyhow::Context;
use signed_note::{StandardSigner, StandardVerifier};

use crate::key_file::{key_path, Found};

#[derive(Clone)]
pub struct Keys {
    pub origin: String,
    signer_key: String,
    pub verifier_key: String,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keys")
            .field("origin", &self.origin)
            .field("verifier_key", &self.verifier_key)
            .finish_non_exhaustive()
    }
}

impl Keys {
    /// The signing key at `GALLRA_EVIDENCE_KEY` (a path), else
    /// `<data dir>/evidence-signing.key`; or a new one, not yet saved, with the path it is to be
    /// saved at.
    pub fn find(data_dir: &Path) -> anyhow::Result<Found<Self>> {
        let path = key_path("GALLRA_EVIDENCE_KEY", data_dir, "evidence-signing.key");
        // A key readable by others still works, but is said at every start until mended.
        crate::crash::warn_if_readable_by_others(&path);
        match std::fs::read_to_string(&path) {
            Ok(s) => Ok(Found {
                key: Self::from_signer_key(s.trim())
                    .with_context(|| format!("the signing key {} is malformed", path.display()))?,
                path,
                made: false,
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Found {
                key: Self::generate(&origin())?,
                path,
                made: true,
            }),
            Err(e) => {
                Err(e).with_context(|| format!("cannot read the signing key {}", path.display()))
            }
        }
    }

    /// A new signing key for the log of `origin`.
    pub fn generate(origin: &str) -> anyhow::Result<Self> {
        let (skey, _) = signed_note::generate_key(&mut rand_core::OsRng, origin);
        Self::from_signer_key(&skey)
    }

    /// Save the signing key, readable by its owner only; never over an existing file.
    pub fn save(&self, path: &Path) -> anyhow::Result<()> {
        crate::secrets::write_private(path, &format!("{}\n", self.signer_key))
    }

    pub fn from_signer_key(skey: &str) -> anyhow::Result<Self> {
        let signer = StandardSigner::new(skey).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let origin = signed_note::Signer::name(&signer).to_owned();
        // Rebuild the verifier key from the private key's seed: "PRIVATE+KEY+name+id+base64(0x01‖seed)".
        // Names cannot hold '+', but base64 can: the key is everything after the fourth '+'.
        let seed = skey.splitn(5, '+').nth(4).unwrap_or_default();
        let bytes = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, seed)?;
        anyhow::ensure!(
            bytes.len() == 33 && bytes[0] == 1,
            "not an Ed25519 note key"
        );
        let sk = ed25519_dalek::SigningKey::from_bytes(bytes[1..].try_into()?);
        let verifier_key = signed_note::new_ed25519_verifier_key(&origin, &sk.verifying_key());
        StandardVerifier::new(&verifier_key).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        Ok(Keys {
            origin,
            signer_key: skey.to_owned(),
            verifier_key,
        })
    }

    pub fn signer(&self) -> anyhow::Result<StandardSigner> {
        StandardSigner::new(&self.signer_key).map_err(|e| anyhow::anyhow!("{e:?}"))
    }

    pub fn verifier(&self) -> anyhow::Result<StandardVerifier> {
        StandardVerifier::new(&self.verifier_key).map_err(|e| anyhow::anyhow!("{e:?}"))
    }
}

/// The log's origin line (and key name): `GALLRA_EVIDENCE_ORIGIN` or a default.
fn origin() -> String {
    std::env::var("GALLRA_EVIDENCE_ORIGIN").unwrap_or_else(|_| "gallra.local/evidence".into())
}
