//! `gallra verify-bundle`: a bundle checked offline, bytes in and a summary out, with only the
//! verifier key published out of band — no store, none of the server's code paths.

use std::collections::BTreeMap;

use signed_note::{Note, StandardVerifier, VerifierList};
use tlog_tiles::checkpoint::Checkpoint;
use tlog_tiles::tlog::Hash;

use super::error::{bad, BundleError};
use super::files::Files;
use super::manifest::{span_text, statement, FileSum, Manifest, Span, FORMAT, SIGNATURE};
use super::verify_rows::verify_tables;
use super::verify_tiles::verify_evidence;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub origin: String,
    pub tree_size: u64,
    /// The period's entries; none for a period that holds none.
    pub span: Option<Span>,
    /// Entries proven: the period's, and those of the entry bundles around them.
    pub entries: usize,
    pub files: usize,
    pub rows: usize,
}

impl std::fmt::Display for Verified {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ok: {} files match the signed manifest; entries {} of the period ({} entries in all) proven in the signed checkpoint of {} (tree size {}); {} rows match their entries",
            self.files, span_text(self.span), self.entries, self.origin, self.tree_size, self.rows
        )
    }
}

/// Check everything: sums, signature, every entry through the tiles, every row.
pub fn verify(files: &Files, verifier_key: &str) -> Result<Verified, BundleError> {
    let verifiers = verifiers(verifier_key)?;
    let manifest = manifest(files)?;
    signed(files, &verifiers, &manifest)?;
    sums(files, &manifest.files)?;
    let (size, root) = checkpoint(files, &verifiers, &manifest)?;
    let span = match (manifest.first_index, manifest.last_index) {
        (None, None) => None,
        (Some(first), Some(last)) if first <= last && last < size => Some(Span { first, last }),
        (first, last) => {
            return bad(format!(
                "manifest.json: the period's entries {first:?}..={last:?} are not within the checkpoint's {size} (both null for an empty period)"
            ))
        }
    };
    let entries = verify_evidence(files, size, root, span)?;
    let rows = verify_tables(files, &entries, span)?;
    Ok(Verified {
        origin: manifest.origin,
        tree_size: size,
        span,
        entries: entries.len(),
        files: files.len(),
        rows,
    })
}

fn verifiers(verifier_key: &str) -> Result<VerifierList, BundleError> {
    let verifier = StandardVerifier::new(verifier_key.trim())
        .map_err(|e| BundleError::Key(format!("not a note verifier key ({e:?})")))?;
    Ok(VerifierList::new(vec![Box::new(verifier)]))
}

/// `manifest.sig` signs `manifest.json` under the key: what the reader asks before it lets
/// the manifest's sizes bound anything.
pub(super) fn check_signature(files: &Files, verifier_key: &str) -> Result<(), BundleError> {
    signed(files, &verifiers(verifier_key)?, &manifest(files)?)
}

fn manifest(files: &Files) -> Result<Manifest, BundleError> {
    let bytes = files
        .get("manifest.json")
        .ok_or_else(|| BundleError::Bad("manifest.json is missing".into()))?;
    let m: Manifest = serde_json::from_slice(bytes)
        .map_err(|e| BundleError::Bad(format!("manifest.json: malformed: {e}")))?;
    if m.format != FORMAT {
        return bad(format!(
            "manifest.json: format {:?} is not {FORMAT}",
            m.format
        ));
    }
    Ok(m)
}

/// `manifest.sig` signs exactly this `manifest.json` with the key given: no file, listed or
/// not, can be changed with its sum, not even one no entry commits to.
fn signed(files: &Files, verifiers: &VerifierList, m: &Manifest) -> Result<(), BundleError> {
    let sig = files
        .get(SIGNATURE)
        .ok_or_else(|| BundleError::Bad(format!("{SIGNATURE} is missing")))?;
    let note = Note::from_bytes(sig)
        .map_err(|e| BundleError::Bad(format!("{SIGNATURE}: not a signed note ({e:?})")))?;
    note.verify(verifiers).map_err(|e| {
        BundleError::Bad(format!("{SIGNATURE}: not signed by the key given ({e:?})"))
    })?;
    if note.text() != statement(&m.origin, &files["manifest.json"]).as_bytes() {
        return bad(format!(
            "{SIGNATURE}: signs another manifest: manifest.json was changed after it was signed"
        ));
    }
    Ok(())
}

/// Every listed file is there with its sum and size, and nothing else is.
fn sums(files: &Files, listed: &[FileSum]) -> Result<(), BundleError> {
    let by_path: BTreeMap<&str, &FileSum> = listed.iter().map(|f| (f.path.as_str(), f)).collect();
    if by_path.len() != listed.len() {
        return bad("manifest.json: a file is listed twice".into());
    }
    if let Some(extra) = files
        .keys()
        .find(|p| *p != "manifest.json" && *p != SIGNATURE && !by_path.contains_key(p.as_str()))
    {
        return bad(format!("{extra}: not listed in the manifest"));
    }
    for f in listed {
        let Some(bytes) = files.get(&f.path) else {
            return bad(format!("{} is missing (listed in the manifest)", f.path));
        };
        if FileSum::of(&f.path, bytes) != *f {
            return bad(format!(
                "{}: its SHA-256 or size does not match the manifest",
                f.path
            ));
        }
    }
    Ok(())
}

/// The checkpoint signed with the key given, of the manifest's origin and size.
fn checkpoint(
    files: &Files,
    verifiers: &VerifierList,
    m: &Manifest,
) -> Result<(u64, Hash), BundleError> {
    let note = files
        .get("checkpoint")
        .ok_or_else(|| BundleError::Bad("checkpoint is missing".into()))?;
    let note = Note::from_bytes(note)
        .map_err(|e| BundleError::Bad(format!("checkpoint: not a signed note ({e:?})")))?;
    note.verify(verifiers).map_err(|e| {
        BundleError::Bad(format!("checkpoint: not signed by the key given ({e:?})"))
    })?;
    let cp = Checkpoint::from_bytes(note.text())
        .map_err(|_| BundleError::Bad("checkpoint: malformed checkpoint body".into()))?;
    if cp.origin() != m.origin || cp.size() != m.tree_size {
        return bad(format!(
            "checkpoint: origin {:?} and size {} differ from the manifest's",
            cp.origin(),
            cp.size()
        ));
    }
    Ok((cp.size(), *cp.hash()))
}
