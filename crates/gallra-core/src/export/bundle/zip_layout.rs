//! The archive as every unzip sees it, checked before anything is inflated: one entry per name
//! in the central directory (read here record by record: the zip crate's index keeps only the
//! last entry of a name), each local header saying what its central record says, the entries
//! laid end to end from the first byte to the central directory (no local entry a streaming
//! unzip would extract that the directory does not list), and names that extract to one path on
//! any file system: safe, relative, plain, and distinct also without case and normalisation.

use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom};

use unicode_normalization::UnicodeNormalization;
use zip::ZipArchive;

use super::error::BundleError;

/// At most this many files (a 1 M-entry period needs about 8,000).
pub const MAX_FILES: usize = 200_000;

/// A relative path of plain components: no `..`, no root, no backslash, no drive.
pub fn check_path(name: &str) -> Result<(), BundleError> {
    let trimmed = name.strip_suffix('/').unwrap_or(name);
    let bad = trimmed.is_empty()
        || name.len() > 255
        || name.starts_with('/')
        || name.contains('\\')
        || name.chars().any(char::is_control)
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

/// An entry of the archive, by its index in the zip crate's (now known to be unique) index.
#[derive(Debug, Clone)]
pub struct Entry {
    pub index: usize,
    pub name: String,
    pub is_dir: bool,
}

const CENTRAL: u32 = 0x0201_4b50;
const LOCAL: u32 = 0x0403_4b50;
/// Info-ZIP's Unicode Path field: a second name some unzips extract to instead of the first.
const UNICODE_PATH: u16 = 0x7075;
/// General purpose flags: encrypted, sizes in a data descriptor after the data, UTF-8 name.
const ENCRYPTED: u16 = 1;
const DESCRIPTOR: u16 = 1 << 3;
const UTF8: u16 = 1 << 11;

/// A central directory record as it is written.
struct Central {
    at: u64,
    flags: u16,
    method: u16,
    crc: u32,
    compressed: u32,
    size: u32,
    name: Vec<u8>,
    extra: Vec<u8>,
}

fn unreadable<T>(msg: String) -> Result<T, BundleError> {
    Err(BundleError::Unreadable(msg))
}

fn io(what: &str) -> impl Fn(std::io::Error) -> BundleError + '_ {
    move |e| BundleError::Unreadable(format!("{what} cannot be read (truncated?): {e}"))
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn read_vec<R: Read>(r: &mut R, len: usize, what: &str) -> Result<Vec<u8>, BundleError> {
    let mut v = vec![0; len];
    r.read_exact(&mut v).map_err(io(what))?;
    Ok(v)
}

/// The central directory, record by record from its start, duplicates and all.
fn central_records<R: Read + Seek>(r: &mut R, start: u64) -> Result<Vec<Central>, BundleError> {
    r.seek(SeekFrom::Start(start))
        .map_err(io("the central directory"))?;
    let mut records = Vec::new();
    let mut at = start;
    loop {
        let mut fixed = [0u8; 46];
        r.read_exact(&mut fixed[..4])
            .map_err(io("the central directory"))?;
        if u32_at(&fixed, 0) != CENTRAL {
            return Ok(records);
        }
        if records.len() >= MAX_FILES {
            return unreadable(format!("the archive holds more than {MAX_FILES} files"));
        }
        r.read_exact(&mut fixed[4..])
            .map_err(io("the central directory"))?;
        let what = "the central directory";
        let name = read_vec(r, u16_at(&fixed, 28).into(), what)?;
        let extra = read_vec(r, u16_at(&fixed, 30).into(), what)?;
        let comment = u64::from(u16_at(&fixed, 32));
        r.seek(SeekFrom::Current(comment as i64))
            .map_err(io(what))?;
        let next = at + 46 + name.len() as u64 + extra.len() as u64 + comment;
        records.push(Central {
            at,
            flags: u16_at(&fixed, 8),
            method: u16_at(&fixed, 10),
            crc: u32_at(&fixed, 16),
            compressed: u32_at(&fixed, 20),
            size: u32_at(&fixed, 24),
            name,
            extra,
        });
        at = next;
    }
}

/// The ids of an extra field's blocks.
fn extra_ids(extra: &[u8]) -> Vec<u16> {
    let mut ids = Vec::new();
    let mut at = 0;
    while at + 4 <= extra.len() {
        ids.push(u16_at(extra, at));
        at += 4 + usize::from(u16_at(extra, at + 2));
    }
    ids
}

/// The name as every unzip reads it, or why it is not one.
fn name_of(c: &Central) -> Result<String, BundleError> {
    let shown = String::from_utf8_lossy(&c.name).into_owned();
    let name = String::from_utf8(c.name.clone()).map_err(|_| {
        BundleError::Unreadable(format!("{shown:?}: a file name that is not UTF-8"))
    })?;
    if !name.is_ascii() && c.flags & UTF8 == 0 {
        return unreadable(format!(
            "{name:?}: not marked UTF-8, so an unzip reads the name as another (CP437)"
        ));
    }
    if name.chars().any(char::is_control) {
        return unreadable(format!("{name:?}: a file name with a control character"));
    }
    if extra_ids(&c.extra).contains(&UNICODE_PATH) {
        return unreadable(format!(
            "{name:?}: carries a second name (Unicode Path field), which some unzips extract to"
        ));
    }
    check_path(&name)?;
    Ok(name)
}

/// What names collide in: a case-insensitive, normalising file system (macOS, Windows).
fn fold(name: &str) -> String {
    name.trim_end_matches('/')
        .nfc()
        .collect::<String>()
        .to_lowercase()
}

/// Check the archive's layout and names; its entries in central directory order.
pub fn check<R: Read + Seek>(zip: ZipArchive<R>) -> Result<(Vec<Entry>, R), BundleError> {
    let mut zip = zip;
    if zip.offset() != 0 {
        return unreadable(format!(
            "{} bytes come before the archive's first entry",
            zip.offset()
        ));
    }
    let dir_start = zip.central_directory_start();
    // What the zip crate read of each entry, before its reader is taken back.
    let mut indexed = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i).map_err(|e| {
            BundleError::Unreadable(format!("file {} of the archive cannot be read: {e}", i + 1))
        })?;
        indexed.push((
            f.name_raw().to_vec(),
            f.central_header_start(),
            f.header_start(),
            f.data_start(),
            f.compressed_size(),
            f.is_dir(),
        ));
    }
    let mut r = zip.into_inner();
    let records = central_records(&mut r, dir_start)?;

    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut entries = Vec::with_capacity(records.len());
    for c in &records {
        let name = name_of(c)?;
        if let Some(other) = seen.insert(fold(&name), name.clone()) {
            return unreadable(if other == name {
                format!("{name}: appears twice in the archive (an unzip extracts one copy, a zip reader may read the other)")
            } else {
                format!("{name}: differs from {other} only by case or Unicode normalisation: one overwrites the other when extracted")
            });
        }
        if c.flags & ENCRYPTED != 0 {
            return unreadable(format!("{name}: encrypted"));
        }
        entries.push(name);
    }
    if records.len() != indexed.len() {
        return unreadable(format!(
            "the central directory holds {} records where the archive's end says {}",
            records.len(),
            indexed.len()
        ));
    }

    let mut spans = Vec::with_capacity(records.len());
    let mut out = Vec::with_capacity(records.len());
    for (i, (c, name)) in records.iter().zip(entries).enumerate() {
        let (raw, central_at, header_start, data_start, compressed, is_dir) = &indexed[i];
        if *raw != c.name || *central_at != c.at {
            return unreadable(format!(
                "{name}: the zip reader's entry {} is not the central directory's",
                i + 1
            ));
        }
        local(&mut r, &name, c, *header_start, *data_start)?;
        let end = data_start + compressed;
        let descriptor = c.flags & DESCRIPTOR != 0;
        spans.push((*header_start, end, descriptor, name.clone()));
        out.push(Entry {
            index: i,
            name,
            is_dir: *is_dir,
        });
    }
    end_to_end(spans, dir_start)?;
    Ok((out, r))
}

/// The local header at `header_start` names the entry and says what its central record says.
fn local<R: Read + Seek>(
    r: &mut R,
    name: &str,
    c: &Central,
    header_start: u64,
    data_start: u64,
) -> Result<(), BundleError> {
    let what = format!("{name}: its local header");
    r.seek(SeekFrom::Start(header_start)).map_err(io(&what))?;
    let fixed = read_vec(r, 30, &what)?;
    if u32_at(&fixed, 0) != LOCAL {
        return unreadable(format!("{what} is missing"));
    }
    let local_name = read_vec(r, u16_at(&fixed, 26).into(), &what)?;
    let extra = read_vec(r, u16_at(&fixed, 28).into(), &what)?;
    let flags = u16_at(&fixed, 6);
    let differs = |field: &str| {
        unreadable(format!(
            "{what} disagrees with the central directory on the {field}"
        ))
    };
    if local_name != c.name {
        return unreadable(format!(
            "{what} names another file, {:?}",
            String::from_utf8_lossy(&local_name)
        ));
    }
    if header_start + 30 + local_name.len() as u64 + extra.len() as u64 != data_start {
        return differs("start of the data");
    }
    if extra_ids(&extra).contains(&UNICODE_PATH) {
        return unreadable(format!("{what} carries a second name (Unicode Path field)"));
    }
    if u16_at(&fixed, 8) != c.method {
        return differs("compression method");
    }
    if (flags ^ c.flags) & (ENCRYPTED | DESCRIPTOR | UTF8) != 0 {
        return differs("flags");
    }
    if flags & DESCRIPTOR == 0 {
        // Sizes of 0xFFFFFFFF are in the zip64 field; the crate read those, and they bound the
        // data's span below.
        let size =
            |local: u32, central: u32| local == central || local == u32::MAX || central == u32::MAX;
        if u32_at(&fixed, 14) != c.crc {
            return differs("CRC-32");
        }
        if !size(u32_at(&fixed, 18), c.compressed) || !size(u32_at(&fixed, 22), c.size) {
            return differs("sizes");
        }
    }
    Ok(())
}

/// The entries' bytes, in file order, leave no gap and overlap nowhere: from offset 0 to the
/// central directory there is nothing but the entries listed (and their data descriptors).
fn end_to_end(mut spans: Vec<(u64, u64, bool, String)>, dir_start: u64) -> Result<(), BundleError> {
    spans.sort_by_key(|s| s.0);
    // The next entry starts where the last ended, or after its data descriptor (12 to 24
    // bytes, with or without its signature, 32- or 64-bit sizes).
    let fits = |at: u64, descriptor: bool, next: u64| {
        next.checked_sub(at)
            .is_some_and(|g| g == 0 || (descriptor && [12, 16, 20, 24].contains(&g)))
    };
    let mut at = 0u64;
    let mut descriptor = false;
    let mut prev: Option<&str> = None;
    for (start, end, d, name) in &spans {
        if !fits(at, descriptor, *start) {
            return unreadable(match prev {
                Some(prev) if *start < at => format!("{name}: overlaps {prev} in the archive"),
                _ => format!("{name}: bytes before it belong to no entry of the central directory"),
            });
        }
        (at, descriptor, prev) = (*end, *d, Some(name.as_str()));
    }
    if !fits(at, descriptor, dir_start) {
        return unreadable(
            "bytes between the last entry and the central directory belong to no entry".into(),
        );
    }
    Ok(())
}
