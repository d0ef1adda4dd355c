//! `gallra bench evidence`: append rate, inclusion-proof latency and full verification time,
//! on a fresh store (SQLite in a temp dir, or `--database-url`). Run it from a release build.

use std::time::{Duration, Instant};

use clap::{Args, Subcommand};

use crate::clock::{Clock, SystemClock};
use crate::evidence::{self, Event, Keys};

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Measure the evidence ledger (DESIGN §10 goals: ≥ 2,000 appends/s, proof < 5 ms, verify of 1 M < 3 s).
    Evidence(EvidenceBench),
    /// Measure a purge against one raw DELETE (DESIGN §10: ≤ 1.3×, every transaction ≤ 250 ms, ≤ 64 MB).
    Purge(super::bench_purge::PurgeBench),
    /// Measure the API and the start (DESIGN §10: register list of 1,000 services p99 < 20 ms at 200 concurrent connections; start to ready on SQLite < 1 s).
    Api(super::bench_api::ApiBench),
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
        BenchCommand::Purge(args) => return super::bench_purge::run(args).await,
        BenchCommand::Api(args) => return super::bench_api::run(args).await,
    };
    let dir = std::env::temp_dir().join(format!("gallra-bench-{}", std::process::id()));
    let url = args
        .database_url
        .unwrap_or_else(|| format!("sqlite://{}/bench.db?mode=rwc", dir.display()));
    let db = crate::db::connect(&url).await?;
    let keys = Keys::load_or_create(&dir)?;
    let now = SystemClock.now();
    let event = |i: u64| Event::TokenCreated {
        token_id: i as i32,
        role: "auditor".into(),
    };

    // One transaction per append: what an apply or a job run of one event costs.
    let single = 2_000.min(args.entries);
    let t = Instant::now();
    // Where a single-event transaction's time goes: BEGIN, the append, COMMIT.
    let mut parts = [Duration::ZERO; 3];
    for i in 0..single {
        let t0 = Instant::now();
        let txn = crate::db::begin_write(&db).await?;
        let t1 = Instant::now();
        evidence::append(&txn, &event(i), now).await?;
        let t2 = Instant::now();
        txn.commit().await?;
        parts[0] += t1 - t0;
        parts[1] += t2 - t1;
        parts[2] += t2.elapsed();
    }
    let single_rate = single as f64 / t.elapsed().as_secs_f64();
    println!("append, one per transaction: {single} in {:.2?} = {single_rate:.0}/s (goal ≥ 2000/s: {:.2}× the goal)", t.elapsed(), single_rate / 2000.0);
    let per = |d: Duration| d / single.max(1) as u32;
    println!(
        "  per transaction: BEGIN {:.0?}, append {:.0?}, COMMIT {:.0?}",
        per(parts[0]),
        per(parts[1]),
        per(parts[2])
    );
    let body = event(0).to_entry(now);
    let floor = super::bench_floor::rate(&db, &body, single, 1).await?;
    println!(
        "  floor, one plain row per transaction, same client and store: {floor:.0}/s; the append runs at {:.2}× it",
        single_rate / floor
    );

    // One transaction per append from 8 writers at once, as concurrent requests and jobs do.
    let concurrent = 4_000.min(args.entries.saturating_sub(single));
    let t = Instant::now();
    let rate =
        super::bench_floor::one_per_transaction(&db, concurrent, 8, move |txn, i| async move {
            evidence::append(&txn, &event(i), now).await?;
            Ok(txn)
        })
        .await?;
    println!("append, one per transaction, 8 writers: {concurrent} in {:.2?} = {rate:.0}/s ({:.2}× the goal)", t.elapsed(), rate / 2000.0);
    let floor = super::bench_floor::rate(&db, &body, concurrent, 8).await?;
    println!(
        "  floor, 8 writers of one plain row per transaction (no shared row, so commits are grouped): {floor:.0}/s; the append runs at {:.2}× it",
        rate / floor
    );

    // The rest in batches of 1,000 per transaction, as an apply or a job run appends them.
    let t = Instant::now();
    let mut i = single + concurrent;
    while i < args.entries {
        let batch: Vec<Event> = (i..(i + 1_000).min(args.entries)).map(event).collect();
        let txn = crate::db::begin_write(&db).await?;
        evidence::append_all(&txn, &batch, now).await?;
        txn.commit().await?;
        i += batch.len() as u64;
    }
    let batched = args.entries - single - concurrent;
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
        "full verification of {} entries: {took:.2?} (≈ {per_million:.2} s per 1 M; goal < 3 s)",
        summary.entries
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
