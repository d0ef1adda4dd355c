//! The benchmarks of BENCHMARKS.md (`gallra bench …`). `gallra bench evidence`: append rate, inclusion-proof latency and full verification time,
//! on a fresh store (SQLite in a temp dir, or `--database-url`). Run it from a release build.

mod api;
mod bundle;
mod floor;
mod load;
mod load_client;
mod purge;
mod purge_floor;
mod web;

use std::time::Instant;

use clap::{Args, Subcommand};

use self::floor::After;
use crate::clock::{Clock, SystemClock};
use crate::evidence::{self, Event, Sequencer};

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Measure the evidence ledger (BENCHMARKS.md goals: ≥ 2,000 appends/s, proof < 5 ms, verify of 1 M < 3 s).
    Evidence(EvidenceBench),
    /// Measure a purge against one raw DELETE (BENCHMARKS.md: ≤ 1.3×, every transaction ≤ 250 ms, ≤ 64 MB).
    Purge(purge::PurgeBench),
    /// Measure the API and the start (BENCHMARKS.md: register list of 1,000 services p99 < 20 ms at 200 concurrent connections; start to ready on SQLite < 1 s).
    Api(api::ApiBench),
    /// Measure the audit bundle of a period (BENCHMARKS.md: 1 M entries, export ≤ 10 s, hash tiles ≤ 40 bytes an entry, verify ≤ 5 s).
    Bundle(bundle::BundleBench),
    /// Load two replicas on one PostgreSQL store with a mixed client (issue 18: 200 connections for 60 s, no 5xx, the log contiguous and verifying, no occurrence run twice).
    Load(load::LoadBench),
    /// Measure the web interface (BENCHMARKS.md: register, service and overview pages p99 ≤ 3× /healthz at 50 connections; ≤ 100 KB a page).
    Web(web::WebBench),
}

#[derive(Debug, Args)]
pub struct EvidenceBench {
    /// Entries to build the log to.
    #[arg(long, default_value_t = 100_000)]
    pub entries: u64,
    /// Store to use (default: a new SQLite file in a temp dir). Use an empty database.
    #[arg(long)]
    pub database_url: Option<String>,
}

pub async fn run(c: BenchCommand) -> anyhow::Result<()> {
    let args = match c {
        BenchCommand::Evidence(args) => args,
        BenchCommand::Purge(args) => return purge::run(args).await,
        BenchCommand::Api(args) => return api::run(args).await,
        BenchCommand::Bundle(args) => return bundle::run(args).await,
        BenchCommand::Web(args) => return web::run(args).await,
        BenchCommand::Load(args) => return load::run(args).await,
    };
    let dir = std::env::temp_dir().join(format!("gallra-bench-{}", std::process::id()));
    let url = args
        .database_url
        .unwrap_or_else(|| format!("sqlite://{}/bench.db?mode=rwc", dir.display()));
    let crate::installation::Store { db, keys, .. } = crate::installation::open(&url, &dir).await?;
    let now = SystemClock.now();
    let event = |i: u64| Event::TokenCreated {
        token_id: i as i32,
        role: "auditor".into(),
    };

    // One event per transaction, as an API call or a job run records it: commit, then the
    // process's sequencer puts the queued events in the tree, grouping the callers that
    // committed meanwhile; a job run also waits for a signed checkpoint. Counted until every
    // event is in the tree.
    let body = event(0).to_entry(now);
    let mut appended = 0;
    for (writers, n) in [(1, 2_000), (8, 4_000)] {
        let floor = floor::rate(&db, &body, n, writers).await?;
        println!("{writers} writer(s), one event per transaction: floor (one plain row per transaction, same client and store, nothing after the commit) {floor:.0}/s");
        for (sign, what) in [
            (false, "put in the tree (a token, a hold)"),
            (true, "put in the tree and signed (a job run)"),
        ] {
            let n = n.min(args.entries.saturating_sub(appended));
            let first = appended;
            let after = After::Settle {
                sequencer: Sequencer::default(),
                keys: keys.clone(),
                sign,
            };
            let t = Instant::now();
            let rate =
                floor::one_per_transaction(&db, n, writers, after, move |txn, i| async move {
                    evidence::append(&txn, &event(first + i), now).await?;
                    Ok(txn)
                })
                .await?;
            appended += n;
            println!(
                "  append, each committed and {what}: {n} in {:.2?} = {rate:.0}/s ({:.2}× the goal of 2000/s, {:.2}× the floor)",
                t.elapsed(),
                rate / 2000.0,
                rate / floor
            );
        }
    }
    anyhow::ensure!(
        evidence::size(&db).await? == appended,
        "the tree holds {} events, not the {appended} appended",
        evidence::size(&db).await?
    );

    // The rest in batches of 1,000 per transaction, as an apply or a job run appends them.
    let t = Instant::now();
    let mut i = appended;
    while i < args.entries {
        let batch: Vec<Event> = (i..(i + 1_000).min(args.entries)).map(event).collect();
        let txn = crate::db::begin_write(&db).await?;
        evidence::append_all(&txn, &batch, now).await?;
        txn.commit().await?;
        evidence::integrate(&db).await?;
        i += batch.len() as u64;
    }
    let batched = args.entries - appended;
    if batched > 0 {
        println!(
            "append, 1,000 per transaction: {batched} in {:.2?} = {:.0}/s",
            t.elapsed(),
            batched as f64 / t.elapsed().as_secs_f64()
        );
    }
    evidence::sign_checkpoint(&db, &keys, now).await?;

    let n = args.entries;
    let mut times = Vec::new();
    for k in 0..1_000u64 {
        let index = (k * 7_919) % n;
        let t = Instant::now();
        evidence::inclusion_proof(&db, index, n).await?;
        times.push(t.elapsed());
    }
    times.sort();
    println!(
        "inclusion proof at {n} leaves: median {:.2?}, p99 {:.2?} (goal < 5 ms)",
        times[500], times[990]
    );

    let t = Instant::now();
    let summary = evidence::verify::verify(&db, &keys)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let took = t.elapsed();
    let per_million = took.as_secs_f64() * 1_000_000.0 / summary.entries as f64;
    println!(
        "full verification of {} entries and {} signed checkpoints: {took:.2?} (≈ {per_million:.2} s per 1 M entries; goal < 3 s)",
        summary.entries, summary.checkpoints
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
