//! Reading a bundle's zip without trusting it: the layout and names checked first (one entry
//! per name, local headers agreeing with the central directory, safe relative paths), then
//! `manifest.json` under a small cap, then every other file under the size the manifest
//! declares for it — never the size the zip declares — so a zip bomb stops at its file's
//! declared size and names it; no encryption, and errors rather than panics on a corrupt or
//! truncated archive.

use std::collections::BTreeMap;
use std::io::{Read, Seek};

use super::error::BundleError;
pub use super::files::Files;
use super::manifest::{Manifest, SIGNATURE};
use super::zip_layout::{self, Entry};
pub use super::zip_layout::{check_path, MAX_FILES};

/// At most this many bytes the manifest may declare for one file (a 1 M-entry period's
/// largest is under 1 MiB).
pub const MAX_FILE: u64 = 512 << 20;
/// At most this many bytes the manifest may declare for all files together (a 1 M-entry
/// period's bundle inflates to about 230 MB).
pub const MAX_TOTAL: u64 = 4 << 30;
/// `manifest.json` is read first, before its sizes are known: about 100 bytes a file.
pub const MAX_MANIFEST: u64 = 32 << 20;
/// `manifest.sig`, and any file the manifest does not list (which the verifier refuses anyway).
pub const MAX_UNLISTED: u64 = 64 << 10;

/// Every file of the archive, checked as it is read.
pub fn read_zip<R: Read + Seek>(reader: R) -> Result<Files, BundleError> {
    guarded(|| read_all(reader, None))
}

/// As [`read_zip`], and `manifest.sig` checked under `verifier_key` before anything but the
/// manifest and its signature is inflated: the sizes that cap each file are then the ones the
/// log's key signed, so a bundle no one with the key wrote costs at most the manifest's cap.
pub fn read_zip_signed<R: Read + Seek>(
    reader: R,
    verifier_key: &str,
) -> Result<Files, BundleError> {
    guarded(|| read_all(reader, Some(verifier_key)))
}

fn guarded(read: impl FnOnce() -> Result<Files, BundleError>) -> Result<Files, BundleError> {
    // The zip reader is not ours: whatever it does with a hostile archive ends as an error.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or_else(|_| {
        Err(BundleError::Unreadable(
            "the zip archive is malformed".into(),
        ))
    })
}

fn open<R: Read + Seek>(reader: R) -> Result<zip::ZipArchive<R>, BundleError> {
    zip::ZipArchive::new(reader).map_err(|e| {
        BundleError::Unreadable(format!(
            "not a readable zip archive (corrupt or truncated?): {e}"
        ))
    })
}

fn read_all<R: Read + Seek>(reader: R, key: Option<&str>) -> Result<Files, BundleError> {
    let (entries, reader) = zip_layout::check(open(reader)?)?;
    let mut zip = open(reader)?;
    let find = |name: &str| entries.iter().find(|e| e.name == name);
    let mut files = Files::new();
    let caps = match find("manifest.json") {
        Some(e) => {
            let bytes = inflate(&mut zip, e, MAX_MANIFEST, "allowed for the manifest")?;
            let caps = declared(&bytes)?;
            files.insert(e.name.clone(), bytes);
            caps
        }
        // The verifier says it is missing; meanwhile no file has a declared size.
        None => BTreeMap::new(),
    };
    if let Some(e) = find(SIGNATURE) {
        let sig = inflate(
            &mut zip,
            e,
            MAX_UNLISTED,
            "allowed for a file the manifest does not list",
        )?;
        files.insert(e.name.clone(), sig);
    }
    if let Some(key) = key {
        super::verify::check_signature(&files, key)?;
    }
    for e in &entries {
        if e.is_dir || files.contains_key(&e.name) {
            continue;
        }
        let bytes = match caps.get(e.name.as_str()) {
            Some(cap) => inflate(&mut zip, e, *cap, "the manifest declares")?,
            None => inflate(
                &mut zip,
                e,
                MAX_UNLISTED,
                "allowed for a file the manifest does not list",
            )?,
        };
        files.insert(e.name.clone(), bytes);
    }
    Ok(files)
}

/// Each listed file's declared size, within the caps; a manifest that cannot be read is an
/// error here already (no file could be read without one).
fn declared(manifest: &[u8]) -> Result<BTreeMap<String, u64>, BundleError> {
    let m: Manifest = serde_json::from_slice(manifest)
        .map_err(|e| BundleError::Bad(format!("manifest.json: malformed: {e}")))?;
    let mut caps = BTreeMap::new();
    let mut total = 0u64;
    for f in &m.files {
        if f.bytes > MAX_FILE {
            return Err(BundleError::Unreadable(format!(
                "{}: the manifest declares {} bytes, more than {MAX_FILE}",
                f.path, f.bytes
            )));
        }
        total = total.saturating_add(f.bytes);
        if caps.insert(f.path.clone(), f.bytes).is_some() {
            return Err(BundleError::Bad(
                "manifest.json: a file is listed twice".into(),
            ));
        }
    }
    if total > MAX_TOTAL {
        return Err(BundleError::Unreadable(format!(
            "the manifest declares {total} bytes in all, more than {MAX_TOTAL}"
        )));
    }
    Ok(caps)
}

/// The entry's bytes, inflated as a stream and stopped one byte past `cap`.
fn inflate<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    e: &Entry,
    cap: u64,
    whose: &str,
) -> Result<Vec<u8>, BundleError> {
    let name = &e.name;
    let f = zip
        .by_index(e.index)
        .map_err(|err| BundleError::Unreadable(format!("{name}: cannot be read: {err}")))?;
    let mut bytes = Vec::new();
    f.take(cap + 1).read_to_end(&mut bytes).map_err(|err| {
        BundleError::Unreadable(format!(
            "{name}: cannot be inflated (corrupt or truncated?): {err}"
        ))
    })?;
    if bytes.len() as u64 > cap {
        return Err(BundleError::Unreadable(format!(
            "{name}: inflates past the {cap} bytes {whose} (a zip bomb?)"
        )));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_are_accepted() {
        for ok in [
            "manifest.json",
            "tile/0/000",
            "tile/entries/x001/000.p/3",
            "register/",
        ] {
            assert!(check_path(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../b",
            "a//b",
            "./a",
            "c:\\x",
            "a\\b",
            "C:x",
        ] {
            assert!(check_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn garbage_and_truncated_archives_are_errors() {
        assert!(read_zip(std::io::Cursor::new(b"not a zip".to_vec())).is_err());
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        w.start_file("a.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut w, &[7u8; 10_000]).unwrap();
        let bytes = w.finish().unwrap().into_inner();
        assert_eq!(
            read_zip(std::io::Cursor::new(bytes.clone())).unwrap()["a.txt"].len(),
            10_000
        );
        for cut in [bytes.len() / 2, bytes.len() - 10, 30] {
            assert!(
                read_zip(std::io::Cursor::new(bytes[..cut].to_vec())).is_err(),
                "cut at {cut}"
            );
        }
    }
}
