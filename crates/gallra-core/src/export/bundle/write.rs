//! Writing a bundle: choose the checkpoint and the period's entries (`plan`), then write the
//! register files given, the tables, the evidence as tiles, the checkpoint, README and manifest.

use std::io::{Seek, Write};

use chrono::{DateTime, NaiveDate, SecondsFormat, TimeDelta, Utc};
use entity::evidence_entries;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

use super::error::ExportError;
use super::manifest::{statement, FileSum, Manifest, PeriodView, Span, FORMAT, SIGNATURE};
use super::plan::{Period, Plan};
use super::rows::{to_csv, REVIEW_COLUMNS, RUN_COLUMNS, VERSION_COLUMNS};
use super::tiles_needed::{entry_bundles, hash_tiles, ranges_of};
use super::{collect, readme};
use crate::evidence::tile_path::{TileId, TileKind};
use crate::evidence::tiles::{entry_bundle, read_leaves, read_tile};
use crate::evidence::{latest_checkpoint, sign_checkpoint, Keys};

fn parse_day(s: &str) -> Option<DateTime<Utc>> {
    let day = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    Some(day.and_hms_opt(0, 0, 0)?.and_utc())
}

fn parse_instant(s: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| format!("`{s}` is neither a date (YYYY-MM-DD) nor an RFC 3339 instant"))
}

/// A day starts the period at its midnight (UTC).
pub fn parse_from(s: &str) -> Result<DateTime<Utc>, String> {
    parse_day(s).map_or_else(|| parse_instant(s), Ok)
}

/// A day ends the period at the next midnight: the day is included.
pub fn parse_to(s: &str) -> Result<DateTime<Utc>, String> {
    parse_day(s).map_or_else(|| parse_instant(s), |d| Ok(d + TimeDelta::days(1)))
}

/// Sizes of what was written.
#[derive(Debug, Clone, Copy, Default)]
pub struct Written {
    pub files: usize,
    /// The entries' canonical bytes alone, in the bundle's entry bundles.
    pub entry_bytes: u64,
    pub entries: u64,
    pub hash_tile_bytes: u64,
}

/// Put queued events in the tree and sign a checkpoint over them if needed; pick the period's
/// entries under the latest checkpoint.
pub async fn plan(
    db: &DatabaseConnection,
    keys: &Keys,
    period: Period,
    now: DateTime<Utc>,
) -> Result<Plan, ExportError> {
    sign_checkpoint(db, keys, now)
        .await
        .map_err(ExportError::Other)?;
    let c = latest_checkpoint(db)
        .await?
        .ok_or_else(|| ExportError::Input("the log is empty".into()))?;
    let size = c.tree_size as u64;
    let bound = |asc: bool| {
        let mut q = evidence_entries::Entity::find()
            .select_only()
            .column(evidence_entries::Column::Idx)
            .filter(evidence_entries::Column::Idx.lt(size as i64));
        if let Some(f) = period.from {
            q = q.filter(evidence_entries::Column::CreatedAt.gte(f));
        }
        if let Some(t) = period.to {
            q = q.filter(evidence_entries::Column::CreatedAt.lt(t));
        }
        let q = if asc {
            q.order_by_asc(evidence_entries::Column::Idx)
        } else {
            q.order_by_desc(evidence_entries::Column::Idx)
        };
        q.into_tuple::<i64>().one(db)
    };
    // A period whose start is not before its end holds no instant, so no entry either.
    let span = match (bound(true).await?, bound(false).await?) {
        (Some(first), Some(last)) => Some(Span {
            first: first as u64,
            last: last as u64,
        }),
        _ => None,
    };
    Ok(Plan {
        period,
        as_of: period.to.map_or(now, |t| t.min(now)),
        span,
        tree_size: size,
        checkpoint: c.note,
        origin: keys.origin.clone(),
        verifier_key: keys.verifier_key.clone(),
    })
}

/// The register as of the plan's end in the four export formats (Swedish labels: the
/// bundle's README says what each column is in both languages).
pub async fn register_files(
    db: &DatabaseConnection,
    plan: &Plan,
) -> Result<Vec<(String, Vec<u8>)>, ExportError> {
    use crate::export::register::{render, Lang, RegisterFormat};
    let mut files = Vec::new();
    for (format, path) in [
        (RegisterFormat::Json, "register/register.json"),
        (RegisterFormat::Csv, "register/register.csv"),
        (RegisterFormat::Html, "register/register.html"),
        (RegisterFormat::Fideslang, "register/fideslang.yaml"),
    ] {
        let bytes = render(db, format, plan.as_of, Lang::Sv, false)
            .await
            .map_err(|e| ExportError::Other(e.into()))?;
        files.push((path.to_owned(), bytes));
    }
    Ok(files)
}

/// The zip being written, and the sums of what went in.
struct Out<W: Write + Seek> {
    zip: zip::ZipWriter<W>,
    sums: Vec<FileSum>,
}

impl<W: Write + Seek> Out<W> {
    fn add(&mut self, path: &str, bytes: &[u8], deflate: bool) -> Result<(), ExportError> {
        let method = if deflate {
            CompressionMethod::Deflated
        } else {
            CompressionMethod::Stored
        };
        let opts = SimpleFileOptions::default()
            .compression_method(method)
            .compression_level(deflate.then_some(1))
            .large_file(bytes.len() as u64 >= u32::MAX as u64);
        self.zip.start_file(path, opts)?;
        self.zip.write_all(bytes)?;
        self.sums.push(FileSum::of(path, bytes));
        Ok(())
    }
}

/// Write the bundle of `plan` to `out`, with the register files given (paths under
/// `register/`; `register/register.json` is required: its rows' entries go in the bundle).
pub async fn write<W: Write + Seek>(
    db: &DatabaseConnection,
    keys: &Keys,
    plan: &Plan,
    register_files: Vec<(String, Vec<u8>)>,
    out: W,
) -> Result<(W, Written), ExportError> {
    let mut o = Out {
        zip: zip::ZipWriter::new(out),
        sums: Vec::new(),
    };
    let mut ranges: Vec<(u64, u64)> = plan.span.map(Span::range).into_iter().collect();
    ranges.extend(
        cited(&register_files)?
            .into_iter()
            .filter(|i| *i < plan.tree_size)
            .map(|i| (i, i)),
    );
    for (path, bytes) in &register_files {
        o.add(path, bytes, true)?;
    }
    tables(db, plan, &mut o).await?;
    let mut written = evidence(db, plan, &ranges, &mut o).await?;
    o.add("checkpoint", plan.checkpoint.as_bytes(), false)?;
    o.add(
        "verifier-key",
        format!("{}\n", plan.verifier_key).as_bytes(),
        false,
    )?;
    o.add("README.txt", readme::text(plan).as_bytes(), true)?;
    let manifest = Manifest {
        format: FORMAT.into(),
        gallra_version: env!("CARGO_PKG_VERSION").into(),
        origin: plan.origin.clone(),
        period: PeriodView {
            from: plan.period.from.map(rfc3339),
            to: plan.period.to.map(rfc3339),
        },
        as_of: rfc3339(plan.as_of),
        tree_size: plan.tree_size,
        first_index: plan.span.map(|s| s.first),
        last_index: plan.span.map(|s| s.last),
        files: std::mem::take(&mut o.sums),
    };
    written.files = manifest.files.len() + 2;
    let json = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
    let signature = sign_manifest(keys, &plan.origin, &json).map_err(ExportError::Other)?;
    o.add("manifest.json", &json, true)?;
    o.add(SIGNATURE, &signature, false)?;
    Ok((o.zip.finish()?, written))
}

/// `manifest.sig`: the manifest's statement, signed with the log's key.
pub fn sign_manifest(keys: &Keys, origin: &str, manifest_json: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut note = signed_note::Note::new(statement(origin, manifest_json).as_bytes(), &[])
        .map_err(|e| anyhow::anyhow!("the manifest's note: {e:?}"))?;
    note.add_sigs(&[&keys.signer()?])
        .map_err(|e| anyhow::anyhow!("signing the manifest: {e:?}"))?;
    Ok(note.to_bytes())
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The entries the register files cite (`register.json`'s services).
fn cited(files: &[(String, Vec<u8>)]) -> Result<Vec<u64>, ExportError> {
    let json = files
        .iter()
        .find(|(p, _)| p == "register/register.json")
        .ok_or_else(|| ExportError::Input("register/register.json is required".into()))?;
    let v: serde_json::Value = serde_json::from_slice(&json.1)
        .map_err(|e| ExportError::Input(format!("register/register.json: {e}")))?;
    Ok(v["services"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["evidence_index"].as_u64())
        .collect())
}

async fn tables<W: Write + Seek>(
    db: &DatabaseConnection,
    plan: &Plan,
    o: &mut Out<W>,
) -> Result<(), ExportError> {
    let (versions, runs, reviews) = match plan.span {
        Some(Span { first, last }) => (
            collect::versions(db, first, last).await?,
            collect::runs(db, first, last).await?,
            collect::reviews(db, first, last).await?,
        ),
        None => Default::default(),
    };
    o.add(
        "versions.json",
        &serde_json::to_vec_pretty(&versions).unwrap_or_default(),
        true,
    )?;
    o.add("versions.csv", &to_csv(&versions, VERSION_COLUMNS)?, true)?;
    o.add(
        "runs.json",
        &serde_json::to_vec_pretty(&runs).unwrap_or_default(),
        true,
    )?;
    o.add("runs.csv", &to_csv(&runs, RUN_COLUMNS)?, true)?;
    o.add(
        "reviews.json",
        &serde_json::to_vec_pretty(&reviews).unwrap_or_default(),
        true,
    )?;
    o.add("reviews.csv", &to_csv(&reviews, REVIEW_COLUMNS)?, true)?;
    Ok(())
}

/// Bundles read per query: 64 × 256 entries.
const READ: usize = 64;

/// The entry bundles and their level-0 tiles, read together in runs of consecutive bundles;
/// then the other hash tiles.
async fn evidence<W: Write + Seek>(
    db: &DatabaseConnection,
    plan: &Plan,
    ranges: &[(u64, u64)],
    o: &mut Out<W>,
) -> Result<Written, ExportError> {
    let bundles = entry_bundles(ranges, plan.tree_size);
    let mut written = Written::default();
    for run in consecutive(&bundles) {
        for chunk in run.chunks(READ) {
            let start = chunk[0].start();
            let count = chunk.iter().map(|b| u64::from(b.width)).sum();
            let leaves = read_leaves(db, start, count).await?;
            for b in chunk {
                let at = (b.start() - start) as usize;
                let bodies = &leaves.bodies[at..at + b.width as usize];
                written.entries += bodies.len() as u64;
                written.entry_bytes += bodies.iter().map(|s| s.len() as u64).sum::<u64>();
                o.add(&b.path(), &entry_bundle(bodies)?, true)?;
                let tile = TileId::hashes(0, b.n, b.width);
                let hashes = &leaves.hashes[at * 32..(at + b.width as usize) * 32];
                written.hash_tile_bytes += hashes.len() as u64;
                o.add(&tile.path(), hashes, false)?;
            }
        }
    }
    for t in hash_tiles(&ranges_of(&bundles), plan.tree_size) {
        let covered = t.kind == TileKind::Hashes(0)
            && bundles
                .binary_search(&TileId::entries(t.n, t.width))
                .is_ok();
        if !covered {
            let data = read_tile(db, t).await?;
            written.hash_tile_bytes += data.len() as u64;
            o.add(&t.path(), &data, false)?;
        }
    }
    Ok(written)
}

/// Runs of bundles with consecutive indexes.
fn consecutive(bundles: &[TileId]) -> Vec<&[TileId]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=bundles.len() {
        if i == bundles.len() || bundles[i].n != bundles[i - 1].n + 1 {
            out.push(&bundles[start..i]);
            start = i;
        }
    }
    out
}
