//! Reading a bundle's zip without trusting it: bounded sizes (a zip bomb stops at the cap, not
//! at the declared size), safe relative paths only, no duplicates, no encryption, and errors
//! rather than panics on a corrupt or truncated archive.

use std::collections::BTreeMap;
use std::io::{Read, Seek};

use super::BundleError;

/// Files of a bundle by path.
pub type Files = BTreeMap<String, Vec<u8>>;

/// At most this many files (a 1 M-entry period needs about 8,000).
pub const MAX_FILES: usize = 200_000;
/// At most this many bytes in one file once inflated.
pub const MAX_FILE: u64 = 512 << 20;
/// At most this many bytes in all files together once inflated.
pub const MAX_TOTAL: u64 = 4 << 30;

/// Every file of the archive, checked as it is read.
pub fn read_zip<R: Read + Seek>(reader: R) -> Result<Files, BundleError> {
    // The zip reader is not ours: whatever it does with a hostile archive ends as an error.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_all(reader))).unwrap_or_else(
        |_| {
            Err(BundleError::Unreadable(
                "the zip archive is malformed".into(),
            ))
        },
    )
}

fn read_all<R: Read + Seek>(reader: R) -> Result<Files, BundleError> {
    let mut zip = zip::ZipArchive::new(reader).map_err(|e| {
        BundleError::Unreadable(format!(
            "not a readable zip archive (corrupt or truncated?): {e}"
        ))
    })?;
    if zip.len() > MAX_FILES {
        return Err(BundleError::Unreadable(format!(
            "the archive holds {} files, more than {MAX_FILES}",
            zip.len()
        )));
    }
    let mut files = Files::new();
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).map_err(|e| {
            BundleError::Unreadable(format!("file {} of the archive cannot be read: {e}", i + 1))
        })?;
        let name = String::from_utf8(f.name_raw().to_vec())
            .map_err(|_| BundleError::Unreadable("a file name is not UTF-8".into()))?;
        check_path(&name)?;
        if f.is_dir() {
            continue;
        }
        if f.encrypted() {
            return Err(BundleError::Unreadable(format!("{name}: encrypted")));
        }
        let mut bytes = Vec::new();
        (&mut f)
            .take(MAX_FILE + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| {
                BundleError::Unreadable(format!(
                    "{name}: cannot be inflated (corrupt or truncated?): {e}"
                ))
            })?;
        if bytes.len() as u64 > MAX_FILE {
            return Err(BundleError::Unreadable(format!(
                "{name}: larger than {MAX_FILE} bytes"
            )));
        }
        total += bytes.len() as u64;
        if total > MAX_TOTAL {
            return Err(BundleError::Unreadable(format!(
                "the files hold more than {MAX_TOTAL} bytes"
            )));
        }
        if files.insert(name.clone(), bytes).is_some() {
            return Err(BundleError::Unreadable(format!(
                "{name}: appears twice in the archive"
            )));
        }
    }
    Ok(files)
}

/// A relative path of plain components: no `..`, no root, no backslash, no drive.
pub fn check_path(name: &str) -> Result<(), BundleError> {
    let trimmed = name.strip_suffix('/').unwrap_or(name);
    let bad = trimmed.is_empty()
        || name.len() > 255
        || name.starts_with('/')
        || name.contains('\\')
        || name.contains('\0')
        || name.contains(':')
        || trimmed
            .split('/')
            .any(|c| c.is_empty() || c == "." || c == "..");
    if bad {
        return Err(BundleError::Unreadable(format!(
            "{name:?}: not a safe relative path inside the bundle"
        )));
    }
    Ok(())
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
