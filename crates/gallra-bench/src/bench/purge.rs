//! `gallra bench purge`: gallra's purge (batched, with post-condition and evidence) against one
//! raw `DELETE … WHERE ts < cutoff` on an identical copy, in the same run; prints the ratio,
//! the longest batch transaction and the peak memory of the purge. Two more copies measure the
//! floor under any purge that must name the keys it deleted: read them all, then the raw DELETE;
//! or the raw DELETE returning them. The post-condition's check, made right after the raw
//! DELETE, measures the floor under any purge that checks its result.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use chrono::{TimeDelta, Utc};
use clap::Args;
use sea_orm::{ConnectionTrait, Database, DatabaseBackend, Statement};

use crate::clock::{Clock, FixedClock, SystemClock};
use crate::datasource::sql::{instant, param};
use crate::policy::spec::TimestampFormat;
use crate::retention::{run_rule, RunOptions};
use crate::settings::Settings;

#[derive(Debug, Args)]
pub struct PurgeBench {
    /// Rows in each table (half of them expired).
    #[arg(long, default_value_t = 2_000_000)]
    pub rows: u64,
    /// The datasource to fill (an empty database); default a SQLite file in a temp dir.
    #[arg(long)]
    pub datasource_url: Option<String>,
    /// Interleave expired and fresh rows on disk (every other row), instead of the insertion
    /// order a registration table grows in (oldest first).
    #[arg(long)]
    pub interleaved: bool,
    /// On SQLite, declare the key `INTEGER PRIMARY KEY`, the rowid itself, instead of
    /// `BIGINT PRIMARY KEY` (as on PostgreSQL), a unique index beside the rowid.
    #[arg(long)]
    pub sqlite_rowid_key: bool,
    /// Give the rule guards it stays within (`max_rows`, `max_percent = 100`): a guarded run
    /// counts the table and the rows over age before it changes any, as the seed rules do.
    #[arg(long)]
    pub guarded: bool,
    /// Rounds, each on freshly filled tables; the median ratio is the result (one round on a
    /// shared machine can be off by half).
    #[arg(long, default_value_t = 3)]
    pub repeat: u32,
}

const SERVICE: &str = r#"
[service]
id = "bench"
name = "Benchmark"
processor = "bench-org"
language = "en"
source = { document = "benchmark" }
[processing]
subject_matter = "Benchmark"
duration = { kind = "not-stated" }
nature = ["erasure"]
purposes = ["Benchmark"]
not_stated = ["sub_processors", "transfers", "security_measures", "representative", "dpo"]
[[subjects]]
category = "end-users"
data = ["name"]
[[controllers]]
organisation = "bench-org"
[[instructions]]
id = "purge"
source = "-"
text = "Delete after 7 days."
enforced_by = "retention:bench-purge"
[[retention]]
id = "bench-purge"
datasource = "bench"
table = "bench_a"
key = "id"
timestamp = "registered_at"
keep_for = "7d"
action = "delete"
schedule = "daily"
timezone = "UTC"
"#;

pub async fn run(args: PurgeBench) -> anyhow::Result<()> {
    let mut ratios = Vec::new();
    for round in 1..=args.repeat.max(1) {
        let r = round_of(&args, round).await?;
        println!(
            "round {round}: raw DELETE {} rows in {:.2?}; gallra purge {} rows in {:.2?} ({} batches, longest {} ms, outcome {}, peak memory added {:.1} MB); ratio {:.2}×",
            r.raw_rows, r.raw, r.affected, r.ours, r.batches, r.longest_ms, r.outcome,
            r.peak_kb as f64 / 1024.0, r.ratio()
        );
        println!(
            "  floor: every expired key read in one statement, then the raw DELETE, in {:.2?}; the raw DELETE returning every key, in {:.2?}; the faster = {:.2}× the raw DELETE; gallra's purge = {:.2}× it",
            r.floor.0, r.floor.1, r.floor_ratio(), r.ours.as_secs_f64() / r.floor().as_secs_f64()
        );
        println!(
            "  the check gallra makes after a purge (rows over age, the oldest timestamp), made right after the raw DELETE: {:.2?}; the raw DELETE and it = {:.2}× the raw DELETE alone",
            r.check,
            r.checked_ratio()
        );
        ratios.push(r);
    }
    ratios.sort_by(|a, b| a.ratio().total_cmp(&b.ratio()));
    let median = &ratios[ratios.len() / 2];
    println!(
        "median ratio gallra / raw DELETE over {} rounds: {:.2}× (goal ≤ 1.3×); range {:.2}–{:.2}×",
        ratios.len(),
        median.ratio(),
        ratios[0].ratio(),
        ratios[ratios.len() - 1].ratio()
    );
    println!(
        "median floor (the faster of: read the keys, then the raw DELETE; the raw DELETE returning the keys) / raw DELETE: {} — a purge that records its keys' digest does at least this much",
        spread(ratios.iter().map(Round::floor_ratio))
    );
    println!(
        "median of the raw DELETE and the check after it / raw DELETE: {} — a purge that checks its result does at least this much",
        spread(ratios.iter().map(Round::checked_ratio))
    );
    println!(
        "longest transaction: {} ms (goal ≤ 250 ms); peak memory added: {:.1} MB (goal ≤ 64 MB)",
        ratios.iter().map(|r| r.longest_ms).max().unwrap_or(0),
        ratios.iter().map(|r| r.peak_kb).max().unwrap_or(0) as f64 / 1024.0
    );
    Ok(())
}

/// "median×; range low–high×" of the rounds' ratios.
fn spread(ratios: impl Iterator<Item = f64>) -> String {
    let mut r: Vec<f64> = ratios.collect();
    r.sort_by(f64::total_cmp);
    format!(
        "{:.2}×; range {:.2}–{:.2}×",
        r[r.len() / 2],
        r[0],
        r[r.len() - 1]
    )
}

/// One round's measurements.
struct Round {
    raw_rows: u64,
    raw: std::time::Duration,
    /// The check a purge makes after its last batch, made right after the raw DELETE.
    check: std::time::Duration,
    /// Reading every expired key then the raw DELETE (third copy); the raw DELETE returning
    /// every key (fourth copy).
    floor: (std::time::Duration, std::time::Duration),
    affected: u64,
    ours: std::time::Duration,
    batches: u64,
    longest_ms: u64,
    outcome: &'static str,
    peak_kb: u64,
}

impl Round {
    fn ratio(&self) -> f64 {
        self.ours.as_secs_f64() / self.raw.as_secs_f64()
    }

    /// The raw DELETE and the check after it, against the raw DELETE alone.
    fn checked_ratio(&self) -> f64 {
        (self.raw + self.check).as_secs_f64() / self.raw.as_secs_f64()
    }

    fn floor(&self) -> std::time::Duration {
        self.floor.0.min(self.floor.1)
    }

    fn floor_ratio(&self) -> f64 {
        self.floor().as_secs_f64() / self.raw.as_secs_f64()
    }
}

/// Fill the four tables afresh, time the raw DELETE on one, the floors on two more, then
/// gallra's purge on the first, with a store of its own.
async fn round_of(args: &PurgeBench, round: u32) -> anyhow::Result<Round> {
    let dir =
        std::env::temp_dir().join(format!("gallra-bench-purge-{}-{round}", std::process::id()));
    std::fs::create_dir_all(dir.join("policies"))?;
    std::fs::write(dir.join("policies/organisations.toml"), "[[organisations]]\nid = \"bench-org\"\nname = \"Bench\"\nroles = [\"processor\", \"controller\"]\n")?;
    std::fs::write(
        dir.join("policies/datasources.toml"),
        "[[datasources]]\nid = \"bench\"\nkind = \"sqlite\"\n",
    )?;
    let guards = match args.guarded {
        true => "max_rows = 1000000000\nmax_percent = 100\n",
        false => "",
    };
    std::fs::write(
        dir.join("policies/bench.toml"),
        format!("{SERVICE}{guards}"),
    )?;
    let url = args
        .datasource_url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}/bench.db?mode=rwc", dir.display()));
    let now = SystemClock.now();
    let ds = Database::connect(&url).await?;
    let t = Instant::now();
    fill(&ds, args, now).await?;
    println!(
        "filled bench_a, bench_b, bench_c and bench_d with {} rows each ({}; key {}) in {:.1?}",
        args.rows,
        if args.interleaved {
            "expired rows interleaved with fresh ones"
        } else {
            "in time order, the older half expired"
        },
        key_type(ds.get_database_backend(), args),
        t.elapsed()
    );

    // The store first: the check after the raw DELETE is gallra's own, made on its rule.
    let settings = Settings {
        database_url: format!("sqlite://{}/gallra.db?mode=rwc", dir.display()),
        data_dir: dir.clone(),
        listen: "127.0.0.1:0".parse()?,
        policies: None,
        scheduler: false,
        datasource_urls: HashMap::from([("bench".to_string(), url.clone())]),
        webhook: None,
        http: Default::default(),
        datasources: Default::default(),
        cookie_secure: false,
        author: None,
    };
    // The same instant as the raw DELETE's cutoff: both remove exactly the same rows.
    let state = crate::context::open(&settings, Arc::new(FixedClock::new(now))).await?;
    let author = crate::register::apply::Author {
        name: "bench".into(),
        reason: "bench".into(),
    };
    crate::app::apply_dir(&state.db, &state.keys, &dir.join("policies"), &author, now).await?;

    let cutoff = now - TimeDelta::days(7);
    let b = ds.get_database_backend();
    let t = Instant::now();
    let sql = format!("DELETE FROM bench_b WHERE registered_at < {}", param(b, 1));
    let raw = ds
        .execute_raw(Statement::from_sql_and_values(
            b,
            sql,
            [instant(b, TimestampFormat::Sql, cutoff)],
        ))
        .await?;
    let raw_time = t.elapsed();
    let check = super::purge_floor::check_after_raw(&state, &ds, cutoff).await?;
    let floor = (
        super::purge_floor::read_then_delete(&ds, cutoff).await?,
        super::purge_floor::delete_returning(&ds, cutoff).await?,
    );

    // The raw DELETE ran on an open connection: so does the purge, on each of the three it
    // uses at once (its counts; two block ranges in flight).
    let pool = state.datasources.get("bench").await?;
    let one = || pool.execute_unprepared("SELECT 1");
    tokio::try_join!(one(), one(), one())?;
    let base_rss = peak_rss_reset();
    let t = Instant::now();
    let report = run_rule(&state, "bench-purge", RunOptions::manual(false), |_| {}).await?;
    let ours = t.elapsed();
    let peak_kb = peak_rss_kb().saturating_sub(base_rss);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(Round {
        raw_rows: raw.rows_affected(),
        raw: raw_time,
        check,
        floor,
        affected: report.counts.affected,
        ours,
        batches: report.batches,
        longest_ms: report.longest_batch_ms,
        outcome: report.outcome.as_str(),
        peak_kb,
    })
}

/// The key's declaration.
fn key_type(b: DatabaseBackend, args: &PurgeBench) -> &'static str {
    match b {
        DatabaseBackend::Sqlite if args.sqlite_rowid_key => "INTEGER PRIMARY KEY",
        _ => "BIGINT PRIMARY KEY",
    }
}

/// Four identical tables of `rows` rows, half of them expired. In time order (the default), row
/// g was registered g·Δ after the oldest, over 14 days; interleaved, even rows are 10 days old
/// and odd rows 1 day old.
async fn fill(
    ds: &sea_orm::DatabaseConnection,
    args: &PurgeBench,
    now: chrono::DateTime<Utc>,
) -> anyhow::Result<()> {
    let (rows, interleaved) = (args.rows, args.interleaved);
    let b = ds.get_database_backend();
    let pg = b == DatabaseBackend::Postgres;
    // Seconds before `now` of row g.
    let age = if interleaved {
        "CASE WHEN g % 2 = 0 THEN 864000 ELSE 86400 END + g % 86400".to_string()
    } else {
        format!("1209600 - g * 1209600 / {rows}")
    };
    let ts = if pg {
        format!(
            "TIMESTAMPTZ '{}' - make_interval(secs => {age})",
            now.to_rfc3339()
        )
    } else {
        format!(
            "strftime('%Y-%m-%d %H:%M:%S', '{}', '-' || ({age}) || ' seconds')",
            now.format("%Y-%m-%d %H:%M:%S")
        )
    };
    let (ty, series) = if pg {
        (
            "TIMESTAMPTZ",
            format!("generate_series(1::bigint, {rows}::bigint) AS g"),
        )
    } else {
        ("TEXT", format!("(WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < {rows}) SELECT g FROM s)"))
    };
    for t in TABLES {
        ds.execute_unprepared(&format!("DROP TABLE IF EXISTS {t}"))
            .await?;
        ds.execute_unprepared(&format!(
            "CREATE TABLE {t} (id {}, name TEXT, registered_at {ty})",
            key_type(b, args)
        ))
        .await?;
        ds.execute_unprepared(&format!("INSERT INTO {t} (id, name, registered_at) SELECT g, 'Deltagare ' || g, {ts} FROM {series}")).await?;
        ds.execute_unprepared(&format!("CREATE INDEX ix_{t}_ts ON {t} (registered_at)"))
            .await?;
    }
    if pg {
        // One statement each: VACUUM cannot run in the implicit transaction of a multi-statement
        // string.
        for t in TABLES {
            ds.execute_unprepared(&format!("VACUUM ANALYZE {t}"))
                .await?;
        }
    }
    // The fill's write-ahead log is written back now, not during what is measured: filling
    // four tables makes gigabytes of it, and the checkpoints it forces (with the full-page
    // images after each) would land on whichever measurement comes first.
    let checkpoint = if pg {
        "CHECKPOINT"
    } else {
        "PRAGMA wal_checkpoint(TRUNCATE)"
    };
    if let Err(e) = ds.execute_unprepared(checkpoint).await {
        println!("(could not write the fill's log back first: {e})");
    }
    Ok(())
}

/// gallra's purge runs on the first, the raw DELETE on the second, the floors on the others.
const TABLES: [&str; 4] = ["bench_a", "bench_b", "bench_c", "bench_d"];

/// Reset the peak-RSS mark (Linux) and return the current RSS in kB.
fn peak_rss_reset() -> u64 {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    status_kb("VmRSS")
}

fn peak_rss_kb() -> u64 {
    status_kb("VmHWM")
}

fn status_kb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}
