//! Reading a docx's `word/document.xml` with bounds: an archive of a few kilobytes can declare
//! anything and inflate to gigabytes, so neither its declared sizes nor its entry count is trusted.

use std::io::{Cursor, Read};

use super::ImportError;

/// The most a document given to `gallra import` or `/import` may be, in bytes.
pub const MAX_DOCUMENT: usize = 64 * 1024 * 1024;
/// The most `word/document.xml` may inflate to (real service descriptions are well under 5 MiB).
pub const MAX_XML: u64 = 32 * 1024 * 1024;
/// The most entries an archive may hold (a docx has tens).
pub const MAX_ENTRIES: usize = 10_000;

const PART: &str = "word/document.xml";

/// The text of `word/document.xml`, refused once it inflates past [`MAX_XML`] (memory stays
/// bounded by that, whatever the entry's header claims).
pub fn document_xml(bytes: &[u8]) -> Result<String, ImportError> {
    if let Some(n) = declared_entries(bytes).filter(|n| *n > MAX_ENTRIES) {
        return Err(too_many(n));
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ImportError::BrokenDocx(e.to_string()))?;
    if zip.len() > MAX_ENTRIES {
        return Err(too_many(zip.len()));
    }
    let entry = zip
        .by_name(PART)
        .map_err(|e| ImportError::BrokenDocx(format!("{PART}: {e}")))?;
    let mut xml = Vec::new();
    // Grows as it inflates; never reserved from the entry's declared size.
    entry
        .take(MAX_XML + 1)
        .read_to_end(&mut xml)
        .map_err(|e| ImportError::BrokenDocx(format!("{PART}: {e}")))?;
    if xml.len() as u64 > MAX_XML {
        return Err(ImportError::TooLarge(format!(
            "{PART} inflates past {} MiB",
            MAX_XML / (1024 * 1024)
        )));
    }
    String::from_utf8(xml).map_err(|_| ImportError::BrokenDocx(format!("{PART} is not UTF-8")))
}

fn too_many(n: usize) -> ImportError {
    let held = if n == usize::MAX {
        "a ZIP64 directory of entries".to_string()
    } else {
        format!("{n} entries")
    };
    ImportError::TooLarge(format!(
        "the archive holds {held} (a docx has tens; at most {MAX_ENTRIES} are read)"
    ))
}

/// The entry count the end-of-central-directory record declares, read before the zip crate
/// parses (and allocates for) every entry of the directory.
fn declared_entries(bytes: &[u8]) -> Option<usize> {
    const EOCD: [u8; 4] = [b'P', b'K', 5, 6];
    let last = bytes.len().checked_sub(22)?;
    // The record is 22 bytes and ends the file, after a comment of at most 65 535 bytes.
    let first = last.saturating_sub(u16::MAX as usize);
    let at = (first..=last).rev().find(|&i| bytes[i..i + 4] == EOCD)?;
    let total = u16::from_le_bytes([bytes[at + 10], bytes[at + 11]]);
    // 0xFFFF defers to a ZIP64 record: counted as over the bound, as no docx needs ZIP64.
    Some(if total == u16::MAX {
        usize::MAX
    } else {
        total as usize
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_declared_entry_count_is_read_from_the_end_record() {
        let mut eocd = vec![b'P', b'K', 5, 6, 0, 0, 0, 0, 3, 0, 3, 0];
        eocd.extend_from_slice(&[0; 10]);
        assert_eq!(declared_entries(&eocd), Some(3));
        eocd[10] = 0xFF;
        eocd[11] = 0xFF;
        assert_eq!(declared_entries(&eocd), Some(usize::MAX));
        assert_eq!(declared_entries(b"PK"), None);
    }
}
