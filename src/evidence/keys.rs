//! The log's signing key: created on first start (mode 0600), never logged; its verifier key
//! is public in note form `<name>+<hex key id>+<base64(0x01‖key)>`.

use std::path::{Path, PathBuf};

use anyhow::Context;
use signed_note::{StandardSigner, StandardVerifier};

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

/// The key file: `GALLRA_EVIDENCE_KEY`, else `<data dir>/evidence-signing.key`.
pub fn key_path(data_dir: &Path) -> PathBuf {
    std::env::var("GALLRA_EVIDENCE_KEY")
        .ok()
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| data_dir.join("evidence-signing.key"))
}

impl Keys {
    /// Load the signing key, or create it if there is none yet.
    pub fn load_or_create(data_dir: &Path) -> anyhow::Result<Self> {
        let path = key_path(data_dir);
        let skey = match std::fs::read_to_string(&path) {
            Ok(s) => s.trim().to_owned(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => create(&path)?,
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("cannot read the signing key {}", path.display()))
            }
        };
        Self::from_signer_key(&skey)
            .with_context(|| format!("the signing key {} is malformed", path.display()))
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

fn create(path: &Path) -> anyhow::Result<String> {
    let (skey, _) = signed_note::generate_key(&mut rand_core::OsRng, &origin());
    crate::secrets::write_private(path, &format!("{skey}\n"))?;
    tracing::info!(path = %path.display(), "created the evidence signing key");
    Ok(skey)
}
