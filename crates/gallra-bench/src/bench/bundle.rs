//! `gallra bench bundle`: the audit bundle of a period of N entries (BENCHMARKS.md: export ≤ 10 s,
//! hash tiles ≤ 40 bytes an entry, `verify-bundle` ≤ 5 s at 1 M). Run it from a release build.

use std::time::Instant;

use clap::Args;

use crate::clock::{Clock, SystemClock};
use crate::evidence::{self, Event};
use crate::export::bundle::{self, Period};

#[derive(Debug, Args)]
pub struct BundleBench {
    /// Entries in the log, all in the period.
    #[arg(long, default_value_t = 1_000_000)]
    pub entries: u64,
    /// Store to use (default: a new SQLite file in a temp dir). Use an empty database.
    #[arg(long)]
    pub database_url: Option<String>,
}

/// Entries per transaction while building the log.
const BATCH: u64 = 10_000;

pub async fn run(args: BundleBench) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("gallra-bench-bundle-{}", std::process::id()));
    let url = args
        .database_url
        .unwrap_or_else(|| format!("sqlite://{}/bench.db?mode=rwc", dir.display()));
    let crate::installation::Store { db, keys, .. } = crate::installation::open(&url, &dir).await?;
    let now = SystemClock.now();
    let t = Instant::now();
    // A legal hold's entry: ids, a count and a digest, as most entries are.
    let event = |i: u64| Event::HoldPlaced {
        hold_id: i as i32,
        rule: "meeting-participants".into(),
        keys: (i % 97) as i64,
        keys_sha256: Some(format!("{:064x}", i.wrapping_mul(0x9e37_79b9_7f4a_7c15))),
    };
    let mut i = evidence::size(&db).await?;
    while i < args.entries {
        let batch: Vec<Event> = (i..(i + BATCH).min(args.entries)).map(event).collect();
        let txn = crate::db::begin_write(&db).await?;
        evidence::append_all(&txn, &batch, now).await?;
        txn.commit().await?;
        evidence::integrate(&db).await?;
        i += batch.len() as u64;
    }
    println!(
        "built a log of {} entries in {:.1?}",
        args.entries,
        t.elapsed()
    );

    let path = dir.join("bundle.zip");
    let t = Instant::now();
    let file = std::io::BufWriter::new(std::fs::File::create(&path)?);
    let (w, plan, written) = bundle::export(&db, &keys, Period::default(), now, file).await?;
    w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    let export = t.elapsed();
    let bytes = std::fs::metadata(&path)?.len();
    let n = plan.span.map_or(0, |s| s.entries()) as f64;
    println!(
        "export of a period of {n} entries: {export:.2?} (goal ≤ 10 s); {} files, {bytes} bytes zipped",
        written.files
    );
    println!(
        "  entries alone {} bytes ({:.1} an entry); the bundle is {:.2}× that",
        written.entry_bytes,
        written.entry_bytes as f64 / n,
        bytes as f64 / written.entry_bytes as f64
    );
    println!(
        "  hash tiles, all levels: {} bytes = {:.2} bytes an entry (goal ≤ 40; level 0 alone needs 32)",
        written.hash_tile_bytes,
        written.hash_tile_bytes as f64 / n
    );

    let t = Instant::now();
    let files = bundle::read_zip(std::io::BufReader::new(std::fs::File::open(&path)?))?;
    let read = t.elapsed();
    let verified = bundle::verify(&files, &keys.verifier_key)?;
    println!(
        "verify-bundle: {:.2?} (goal ≤ 5 s), of which reading and inflating the zip {read:.2?}\n  {verified}",
        t.elapsed()
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
