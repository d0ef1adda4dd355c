//! `gallra bench load`: two replicas (`Application`s, as two `gallra serve` would be) on one
//! PostgreSQL store, a mixed client at many connections for a while — reads of services,
//! rules, runs, campaigns and evidence; review decisions; dry runs and runs on a SQLite
//! datasource with rows; holds placed and lifted; tokens created and revoked — split across
//! both. At the end: no 5xx, the log contiguous and verifying, no occurrence run twice.

use std::collections::BTreeMap;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::Value;

use crate::app::Application;
use crate::auth::{token, Role};
use crate::clock::{Clock, SystemClock};
use crate::demo_data::AccountsTable;
use crate::settings::Settings;

#[derive(Debug, Args)]
pub struct LoadBench {
    /// The PostgreSQL store both replicas share; use an empty database.
    #[arg(long)]
    pub database_url: String,
    /// Concurrent connections, each sending its next request when the last one is answered.
    #[arg(long, default_value_t = 200)]
    pub connections: u64,
    /// How long to load, in seconds.
    #[arg(long, default_value_t = 60)]
    pub seconds: u64,
}

use super::load_client::{Client, Tally, Tokens, OPS};

const NIGHTLY: &str = "schedule = \"30 2 * * *\"";
const EVERY_MINUTE: &str = "schedule = \"* * * * *\"";

pub async fn run(args: LoadBench) -> anyhow::Result<()> {
    anyhow::ensure!(
        args.database_url.starts_with("postgres"),
        "gallra bench load needs a PostgreSQL --database-url"
    );
    let dir = std::env::temp_dir().join(format!("gallra-bench-load-{}", std::process::id()));
    let policies = dir.join("policies");
    crate::policy::load::write_embedded(&policies)?;
    // The meetings rule falls due every minute, so both replicas' schedulers race to claim the
    // occurrences of the run: "no occurrence run twice" is tested, not true for want of one.
    let rule_file = policies.join("digitalt-mote.toml");
    let text = std::fs::read_to_string(&rule_file)?;
    anyhow::ensure!(
        text.contains(NIGHTLY),
        "the embedded meetings rule has no nightly schedule to replace"
    );
    std::fs::write(&rule_file, text.replace(NIGHTLY, EVERY_MINUTE))?;
    let now = SystemClock.now();
    let sources = dir.join("datasources");
    let meetings = crate::demo_data::meetings(&sources, now, 30, 400).await?;
    let vdx = crate::demo_data::accounts(
        &sources,
        AccountsTable {
            file: "vdx.db",
            table: "admin_profiles",
            role_col: "role",
            activity_col: "last_login",
            roles: &["admin", "operator"],
            rows: 200,
            extra: ", disabled INTEGER DEFAULT 0",
        },
    )
    .await?;
    let settings = |policies: Option<std::path::PathBuf>| Settings {
        database_url: args.database_url.clone(),
        data_dir: dir.clone(),
        listen: "127.0.0.1:0".parse().expect("an address"),
        policies,
        scheduler: true,
        datasource_urls: std::collections::HashMap::from([
            ("meetings".to_string(), meetings.clone()),
            ("vdx-admin".to_string(), vdx.clone()),
        ]),
        webhook: None,
        http: Default::default(),
        datasources: Default::default(),
        cookie_secure: false,
        author: None,
    };
    let clock = Arc::new(SystemClock);
    let a = Application::build(&settings(Some(policies)), clock.clone()).await?;
    let b = Application::build(&settings(None), clock.clone()).await?;
    let state = a.state.clone();
    let bases = [
        format!("http://127.0.0.1:{}", a.port()),
        format!("http://127.0.0.1:{}", b.port()),
    ];
    let mut secrets = Vec::new();
    for (name, role) in [
        ("load-admin", Role::Admin),
        ("load-dpo", Role::Dpo),
        ("load-operator", Role::Operator),
        ("load-auditor", Role::Auditor),
    ] {
        let txn = crate::db::begin_write(&state.db).await?;
        let (_, secret) = token::create(&txn, name, role, clock.now()).await?;
        state
            .sequencer
            .commit(txn, &state.db, &state.keys, clock.now())
            .await?;
        secrets.push(secret);
    }
    let campaign = crate::review::open::open(&state, "vdx-admin-profiles", None, None)
        .await
        .map_err(|e| anyhow::anyhow!("opening the review campaign: {e}"))?;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    for app in [a, b] {
        let mut stopped = stopped.clone();
        tokio::spawn(app.run_until_stopped(async move {
            let _ = stopped.wait_for(|s| *s).await;
        }));
    }
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(args.connections as usize)
        .timeout(Duration::from_secs(60))
        .build()?;
    let detail: Value = http
        .get(format!("{}/api/v1/reviews/campaigns/{campaign}", bases[0]))
        .bearer_auth(&secrets[1])
        .send()
        .await?
        .json()
        .await?;
    let items: Vec<i64> = detail["item_list"]
        .as_array()
        .context("the campaign's items")?
        .iter()
        .filter_map(|i| i["id"].as_i64())
        .collect();
    let tokens = Tokens {
        admin: secrets[0].clone(),
        dpo: secrets[1].clone(),
        operator: secrets[2].clone(),
        auditor: secrets[3].clone(),
    };
    let client = Arc::new(Client {
        http,
        bases,
        tokens,
        items,
        tally: Mutex::new(Tally::default()),
        counter: AtomicU64::new(0),
    });
    let size_before = crate::evidence::size(&state.db).await?;
    println!(
        "gallra bench load: 2 replicas on one PostgreSQL store, {} connections for {} s",
        args.connections, args.seconds
    );
    let started = Instant::now();
    let deadline = started + Duration::from_secs(args.seconds);
    let mut tasks = Vec::new();
    for c in 0..args.connections {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            let mut k = c as usize;
            while Instant::now() < deadline {
                client.one(k, c as usize % 2).await;
                k += 1;
            }
        }));
    }
    for t in tasks {
        t.await?;
    }
    let elapsed = started.elapsed();
    let _ = stop.send(true);

    let tally = std::mem::take(&mut *client.tally.lock().expect("tally"));
    let total: u64 = tally.by_status.values().sum();
    let mut by_status: BTreeMap<u16, u64> = BTreeMap::new();
    for ((_, s), n) in &tally.by_status {
        *by_status.entry(*s).or_default() += n;
    }
    println!(
        "{total} requests in {:.1} s: {:.0}/s; by status {:?}",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64(),
        by_status
    );
    for op in OPS {
        let mut l = tally.latencies.get(op).cloned().unwrap_or_default();
        l.sort();
        let p = |q: f64| {
            l.get(((l.len() as f64 * q) as usize).min(l.len().saturating_sub(1)))
                .copied()
                .unwrap_or_default()
        };
        let statuses: Vec<String> = tally
            .by_status
            .iter()
            .filter(|((o, _), _)| *o == op)
            .map(|((_, s), n)| format!("{s}×{n}"))
            .collect();
        println!(
            "  {op:<18} {:>7}  p50 {:>7.1} ms  p99 {:>7.1} ms  [{}]",
            l.len(),
            p(0.5).as_secs_f64() * 1e3,
            p(0.99).as_secs_f64() * 1e3,
            statuses.join(" ")
        );
    }

    // The checks.
    let failures: u64 = by_status
        .iter()
        .filter(|(s, _)| **s == 0 || **s >= 500)
        .map(|(_, n)| n)
        .sum();
    // Let the replicas' last queued evidence settle into the tree.
    state
        .sequencer
        .settle(&state.db, &state.keys, clock.now(), true)
        .await?;
    let size = crate::evidence::size(&state.db).await?;
    let row = state
        .db
        .query_one_raw(Statement::from_string(
            state.db.get_database_backend(),
            "SELECT COUNT(*) AS n, COALESCE(MAX(idx), -1) AS top, COALESCE(MIN(idx), 0) AS bottom FROM evidence_entries",
        ))
        .await?
        .context("counting entries")?;
    let (n, top, bottom): (i64, i64, i64) = (
        row.try_get("", "n")?,
        row.try_get("", "top")?,
        row.try_get("", "bottom")?,
    );
    let contiguous = bottom == 0 && n == top + 1 && n as u64 == size;
    let occurrences = state
        .db
        .query_all_raw(Statement::from_string(
            state.db.get_database_backend(),
            "SELECT rule_id, scheduled_for, COUNT(*) AS n FROM retention_runs WHERE scheduled_for IS NOT NULL AND NOT dry_run GROUP BY rule_id, scheduled_for",
        ))
        .await?;
    let mut twice = 0;
    for o in &occurrences {
        if o.try_get::<i64>("", "n")? > 1 {
            twice += 1;
        }
    }
    let verified = crate::evidence::verify::verify(&state.db, &state.keys).await;
    println!(
        "evidence: {} entries added, tree size {size}, contiguous: {contiguous}; verify: {}",
        size - size_before,
        match &verified {
            Ok(s) => format!("ok ({s:?})"),
            Err(e) => format!("FAILED: {e}"),
        }
    );
    println!(
        "scheduled occurrences run: {} (the meetings rule, due every minute); run twice: {twice}",
        occurrences.len()
    );
    std::fs::remove_dir_all(&dir).ok();
    anyhow::ensure!(failures == 0, "{failures} requests got a 5xx or no answer");
    anyhow::ensure!(contiguous, "the log is not contiguous");
    verified.map_err(|e| anyhow::anyhow!("the log does not verify: {e}"))?;
    anyhow::ensure!(twice == 0, "{twice} occurrences were run twice");
    println!("ok: no 5xx, the log contiguous and verifying, no occurrence run twice");
    Ok(())
}
