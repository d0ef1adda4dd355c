//! A .docx that inflates without limit: refused by `gallra import` and by the domain function
//! with the file and the part named, once word/document.xml inflates past its cap.

use gallra::import::bounded::{MAX_ENTRIES, MAX_XML};
use gallra::import::{self, ImportError, Options};

use super::docx::{write_bomb, write_parts};
use super::import as run_import;

/// Just past the cap: enough to cross it, small enough to build quickly (it deflates to ~33 KB).
pub fn bomb_bytes() -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.docx");
    write_bomb(&path, MAX_XML + (1 << 20));
    std::fs::read(path).unwrap()
}

#[test]
fn a_deflate_bomb_is_refused_by_the_command_naming_the_file_and_the_part() {
    let docs = tempfile::tempdir().unwrap();
    let bomb = docs.path().join("bomb.docx");
    std::fs::write(&bomb, bomb_bytes()).unwrap();
    assert!(
        std::fs::metadata(&bomb).unwrap().len() < 1 << 20,
        "a small file"
    );
    let dir = tempfile::tempdir().unwrap();
    let out = run_import(&[&bomb], dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    let want = format!(
        "{}: error: too large: word/document.xml inflates past {} MiB; no draft written",
        bomb.display(),
        MAX_XML >> 20
    );
    assert!(err.contains(&want), "{err}");
    assert!(!dir.path().join("organisations.toml").exists());
}

#[test]
fn the_domain_function_refuses_a_bomb_and_an_archive_of_too_many_entries() {
    let e = import::import(&bomb_bytes(), "bomb.docx", &Options::default()).unwrap_err();
    assert!(matches!(e, ImportError::TooLarge(_)), "{e:?}");
    assert_eq!(
        e.to_string(),
        format!(
            "too large: word/document.xml inflates past {} MiB",
            MAX_XML >> 20
        )
    );

    // A document.xml beside more entries than any docx has (three parts and 10 001 more): refused before it is read.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.docx");
    write_parts(&path, b"<w:document/>", |zip| {
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for i in 0..=MAX_ENTRIES {
            zip.start_file(format!("e/{i}"), opts).unwrap();
        }
    });
    let e = import::import(
        &std::fs::read(&path).unwrap(),
        "many.docx",
        &Options::default(),
    )
    .unwrap_err();
    assert!(
        e.to_string().starts_with(&format!(
            "too large: the archive holds {} entries",
            MAX_ENTRIES + 4
        )),
        "{e}"
    );
}
