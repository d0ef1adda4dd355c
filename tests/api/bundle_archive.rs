//! The bundle's zip against archives built to deceive: a name twice (the verifier would read
//! one copy, `unzip` extract the other), a local header naming another file, names equal but
//! for case or Unicode normalisation, unsafe names, bytes no entry owns, and zip bombs — each
//! refused before verification, the error naming the entry.

use std::io::Write;

use gallra::export::bundle::{self, read::MAX_UNLISTED, BundleError, Files};
use serde_json::Value;

use crate::bundle::{download, unzip};
use crate::helpers::TestApp;

/// An entry as written: the name its local header gives, the one its central record gives.
pub struct Raw {
    local: String,
    central: String,
    data: Vec<u8>,
    /// In the central directory; `false`: a local entry only a streaming unzip would find.
    listed: bool,
}

pub fn raw(name: &str, data: &[u8]) -> Raw {
    Raw {
        local: name.into(),
        central: name.into(),
        data: data.to_vec(),
        listed: true,
    }
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for b in data {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}

/// A stored (uncompressed) zip of `entries`, written byte by byte as the format says, so that
/// it can say what the zip crate's writer never would.
pub fn zip_of(entries: &[Raw]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    let mut listed = 0u16;
    for e in entries {
        let at = out.len() as u32;
        let flags: u16 = if e.local.is_ascii() && e.central.is_ascii() {
            0
        } else {
            1 << 11
        };
        let (crc, len) = (crc32(&e.data), e.data.len() as u32);
        let common = |name: &str| {
            let mut h = Vec::new();
            h.extend(flags.to_le_bytes());
            h.extend(0u16.to_le_bytes()); // stored
            h.extend([0u8; 4]); // time, date
            h.extend(crc.to_le_bytes());
            h.extend(len.to_le_bytes());
            h.extend(len.to_le_bytes());
            h.extend((name.len() as u16).to_le_bytes());
            h.extend(0u16.to_le_bytes()); // extra
            h
        };
        out.extend(0x0403_4b50u32.to_le_bytes());
        out.extend(20u16.to_le_bytes());
        out.extend(common(&e.local));
        out.extend(e.local.as_bytes());
        out.extend(&e.data);
        if e.listed {
            listed += 1;
            central.extend(0x0201_4b50u32.to_le_bytes());
            central.extend(20u16.to_le_bytes());
            central.extend(20u16.to_le_bytes());
            central.extend(common(&e.central));
            central.extend([0u8; 6]); // comment length, disk, internal attributes
            central.extend([0u8; 4]); // external attributes
            central.extend(at.to_le_bytes());
            central.extend(e.central.as_bytes());
        }
    }
    let dir_at = out.len() as u32;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend(listed.to_le_bytes());
    out.extend(listed.to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(dir_at.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

pub fn entries_of(files: &Files) -> Vec<Raw> {
    files.iter().map(|(p, b)| raw(p, b)).collect()
}

fn read(zip: Vec<u8>) -> Result<Files, BundleError> {
    bundle::read_zip(std::io::Cursor::new(zip))
}

fn refused(zip: Vec<u8>) -> String {
    match read(zip) {
        Ok(files) => panic!("read {} files", files.len()),
        Err(e) => e.to_string(),
    }
}

#[tokio::test]
async fn a_name_twice_or_a_local_header_naming_another_file_is_refused() {
    let app = TestApp::spawn().await;
    let files = unzip(&download(&app, "").await);
    let key = &app.keys.verifier_key;
    // The byte-built zip of the bundle is itself a bundle that verifies.
    let as_is = read(zip_of(&entries_of(&files))).unwrap();
    assert_eq!(as_is, files);
    bundle::verify(&as_is, key).unwrap();

    let tampered = String::from_utf8(files["versions.csv"].clone())
        .unwrap()
        .replacen(",", ";", 1)
        .into_bytes();
    // The tampered copy first (what `unzip -n` extracts), the original after it (what a zip
    // reader keeping the last copy reads); and a copy at the end.
    let mut first = vec![raw("versions.csv", &tampered)];
    first.extend(entries_of(&files));
    let mut last = entries_of(&files);
    last.push(raw("versions.csv", &tampered));
    for entries in [first, last] {
        let e = refused(zip_of(&entries));
        assert!(e.starts_with("versions.csv: appears twice"), "{e}");
    }

    // A local header naming another file than its central record.
    let mut entries = entries_of(&files);
    let readme = entries.iter_mut().find(|e| e.central == "README.txt");
    readme.unwrap().local = "READMF.txt".into();
    let e = refused(zip_of(&entries));
    assert_eq!(
        e,
        "README.txt: its local header names another file, \"READMF.txt\""
    );

    // A local entry the central directory does not list, before a listed one.
    let mut entries = vec![Raw {
        listed: false,
        ..raw("versions.csv", &tampered)
    }];
    entries.extend(entries_of(&files));
    let e = refused(zip_of(&entries));
    let first = files.keys().next().unwrap();
    assert_eq!(
        e,
        format!("{first}: bytes before it belong to no entry of the central directory")
    );
}

#[test]
fn names_equal_but_for_case_or_normalisation_and_unsafe_names_are_refused() {
    for (a, b) in [
        ("manifest.json", "Manifest.json"),
        // NFC (one code point) and NFD (e and a combining acute accent).
        ("register/caf\u{e9}.txt", "register/cafe\u{301}.txt"),
        ("tile/0/000", "TILE/0/000"),
    ] {
        let e = refused(zip_of(&[raw(a, b"{}"), raw(b, b"{}")]));
        assert!(
            e.starts_with(&format!("{b}: differs from {a} only by case or Unicode")),
            "{e}"
        );
    }
    for name in [
        "/etc/passwd",
        "a/../../b",
        "..",
        "a\\b",
        "a\u{1}b",
        "a\nb",
        "a\u{7f}",
        "c:x",
    ] {
        let e = refused(zip_of(&[raw(name, b"x")]));
        assert!(e.starts_with(&format!("{name:?}")), "{name:?}: {e}");
    }
}

/// The bundle's files zipped with deflate as gallra writes them, `path` set to `bytes`
/// (the manifest untouched: it still declares the original size).
fn deflated_with(files: &Files, path: &str, bytes: &[u8]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    for (p, b) in files.iter().filter(|(p, _)| *p != path) {
        w.start_file(p, opts).unwrap();
        w.write_all(b).unwrap();
    }
    w.start_file(path, opts).unwrap();
    w.write_all(bytes).unwrap();
    w.finish().unwrap().into_inner()
}

#[tokio::test]
async fn a_zip_bomb_stops_at_the_size_the_manifest_declares_naming_the_file() {
    let app = TestApp::spawn().await;
    let files = unzip(&download(&app, "").await);
    let declared = files["README.txt"].len();

    // 4 MiB of zeros in a few kilobytes, where the manifest says a few kilobytes of text.
    let bomb = vec![0u8; 4 << 20];
    let zip = deflated_with(&files, "README.txt", &bomb);
    assert!(zip.len() < bomb.len() / 8, "{} bytes zipped", zip.len());
    assert_eq!(
        refused(zip),
        format!(
            "README.txt: inflates past the {declared} bytes the manifest declares (a zip bomb?)"
        )
    );
    // One byte past is enough.
    let mut longer = files["README.txt"].clone();
    longer.push(b'\n');
    let e = refused(deflated_with(&files, "README.txt", &longer));
    assert!(e.starts_with("README.txt: inflates past"), "{e}");

    // A file the manifest does not list has a small cap of its own.
    let e = refused(deflated_with(
        &files,
        "extra.bin",
        &vec![0; MAX_UNLISTED as usize + 1],
    ));
    assert_eq!(
        e,
        format!("extra.bin: inflates past the {MAX_UNLISTED} bytes allowed for a file the manifest does not list (a zip bomb?)")
    );

    // A manifest declaring more than a file may hold, or more than all may: refused before
    // anything else is inflated.
    let with_sizes = |sizes: &dyn Fn(&str) -> Option<u64>| {
        let mut m: Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
        for f in m["files"].as_array_mut().unwrap() {
            if let Some(n) = sizes(f["path"].as_str().unwrap()) {
                f["bytes"] = n.into();
            }
        }
        deflated_with(&files, "manifest.json", &serde_json::to_vec(&m).unwrap())
    };
    let e = refused(with_sizes(&|p| (p == "README.txt").then_some(1 << 40)));
    assert_eq!(
        e,
        format!(
            "README.txt: the manifest declares {} bytes, more than {}",
            1u64 << 40,
            bundle::read::MAX_FILE
        )
    );
    let e = refused(with_sizes(&|_| Some(bundle::read::MAX_FILE)));
    assert!(e.starts_with("the manifest declares "), "{e}");
    assert!(e.ends_with(&format!("in all, more than {}", bundle::read::MAX_TOTAL)));
}
