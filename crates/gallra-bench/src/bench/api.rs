//! `gallra bench api`: the register list's latency under many concurrent connections over a
//! register of many services (BENCHMARKS.md: 1,000 services, 200 connections, p99 < 20 ms),
//! against `/healthz` under the same load in the same run; and start to ready on SQLite
//! (< 1 s), against the same binary starting and exiting.

use std::path::Path;
use std::process::Stdio;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Args;

use crate::app::Application;
use crate::auth::Role;
use crate::clock::{Clock, SystemClock};
use crate::settings::Settings;

#[derive(Debug, Args)]
pub struct ApiBench {
    /// Services in the register (copies of the embedded seed services).
    #[arg(long, default_value_t = 1_000)]
    pub services: u64,
    /// Concurrent connections, each sending its next request when the last one is answered.
    #[arg(long, default_value_t = 200)]
    pub connections: u64,
    /// Requests measured per endpoint.
    #[arg(long, default_value_t = 20_000)]
    pub requests: u64,
    /// Store to use (default: a new SQLite file in a temp dir). Use an empty database.
    #[arg(long)]
    pub database_url: Option<String>,
}

pub async fn run(args: ApiBench) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("gallra-bench-api-{}", std::process::id()));
    let policies = dir.join("policies");
    let (app, services) = register_app(&dir, args.services, args.database_url.clone()).await?;
    let base = format!("http://127.0.0.1:{}", app.port());
    let txn = crate::db::begin_write(&app.state.db).await?;
    let (_, secret) =
        crate::auth::token::create(&txn, "bench", Role::Auditor, SystemClock.now()).await?;
    txn.commit().await?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async {
        let _ = stopped.await;
    }));

    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.connections as usize)
        .build()?;
    let load = Load {
        client,
        header: ("authorization", format!("Bearer {secret}")),
        connections: args.connections,
    };
    // Every connection opened before anything is measured.
    let health_url = format!("{base}/healthz");
    let url = health_url.clone();
    load.run(args.connections * 4, move |_| url.clone()).await?;
    let url = health_url.clone();
    let health = load.run(args.requests, move |_| url.clone()).await?;
    health.print("GET /healthz (no store, no credential: the baseline)", None);
    let pages = services.div_ceil(50);
    let list = load
        .run(args.requests, {
            let base = base.clone();
            move |i| {
                format!(
                    "{base}/api/v1/services?limit=50&offset={}",
                    (i % pages) * 50
                )
            }
        })
        .await?;
    list.print(
        &format!("GET /api/v1/services, pages of 50 through all {services}"),
        Some(&health),
    );
    let search = load
        .run(args.requests, move |i| {
            let q = ["backup", "telefon", "support", "mail", "drift"][i as usize % 5];
            format!("{base}/api/v1/services?q={q}&limit=50")
        })
        .await?;
    search.print("GET /api/v1/services?q=…, free-text search", Some(&health));
    println!(
        "register list p99 at {} connections: {:.2?} (goal < 20 ms)",
        args.connections, list.p99
    );
    let _ = stop.send(());
    server.await??;

    let seeds = dir.join("seed-policies");
    crate::policy::load::write_embedded(&seeds)?;
    start_to_ready(&dir.join("seeds"), &seeds, "the embedded seed register").await?;
    start_to_ready(
        &dir.join("copies"),
        &policies,
        &format!("the register of {services} services"),
    )
    .await?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// A served application over a register of `services` copies of the seed services, in `dir`
/// (its store there too, unless `database_url` names one).
pub(super) async fn register_app(
    dir: &Path,
    services: u64,
    database_url: Option<String>,
) -> anyhow::Result<(Application, u64)> {
    let policies = dir.join("policies");
    let services = write_register(&policies, services)?;
    let settings = Settings {
        database_url: database_url
            .unwrap_or_else(|| format!("sqlite://{}/gallra.db?mode=rwc", dir.display())),
        data_dir: dir.to_path_buf(),
        listen: "127.0.0.1:0".parse()?,
        policies: Some(policies),
        scheduler: false,
        datasource_urls: Default::default(),
        webhook: None,
        http: Default::default(),
        datasources: Default::default(),
        cookie_secure: false,
        author: None,
    };
    let t = Instant::now();
    let app = Application::build(&settings, Arc::new(SystemClock)).await?;
    println!(
        "register of {services} services applied and served in {:.2?}",
        t.elapsed()
    );
    Ok((app, services))
}

/// Write `services` services into `dir`: the embedded seed services that declare no retention
/// rule or review (their ids must be unique across the register), copied under numbered ids.
pub(super) fn write_register(dir: &Path, services: u64) -> anyhow::Result<u64> {
    let seeds = dir.with_extension("seeds");
    crate::policy::load::write_embedded(&seeds)?;
    std::fs::create_dir_all(dir)?;
    let mut bases = Vec::new();
    for entry in std::fs::read_dir(&seeds)? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let text = std::fs::read_to_string(&path)?;
        if matches!(name, "organisations.toml" | "datasources.toml") {
            std::fs::write(dir.join(name), text)?;
        } else if !text.contains("[[retention]]") && !text.contains("[[reviews]]") {
            bases.push(text);
        }
    }
    anyhow::ensure!(!bases.is_empty(), "no seed service to copy");
    bases.sort();
    for n in 0..services {
        let text = &bases[(n % bases.len() as u64) as usize];
        let copy = n / bases.len() as u64;
        // The service's id is the first `id = "…"` line, in its [service] table.
        let Some(at) = text.find("\nid = \"") else {
            anyhow::bail!("a seed service without an id line");
        };
        let start = at + "\nid = \"".len();
        let end = start + text[start..].find('"').unwrap_or(0);
        let id = format!("{}-{copy:03}", &text[start..end]);
        let renamed = format!("{}{id}{}", &text[..start], &text[end..]);
        std::fs::write(dir.join(format!("{id}.toml")), renamed)?;
    }
    std::fs::remove_dir_all(&seeds)?;
    Ok(services)
}

/// A load generator: `connections` tasks, each sending its next request when the last one is
/// answered, with one credential header (a bearer token, or a web session's cookie).
pub(super) struct Load {
    pub client: reqwest::Client,
    pub header: (&'static str, String),
    pub connections: u64,
}

/// Latencies of one measurement.
pub(super) struct Latencies {
    requests: u64,
    took: Duration,
    p50: Duration,
    pub p99: Duration,
    max: Duration,
}

impl Latencies {
    pub fn print(&self, what: &str, baseline: Option<&Latencies>) {
        let vs = baseline.map_or(String::new(), |b| {
            format!(
                "; p99 {:.2}× the baseline's",
                self.p99.as_secs_f64() / b.p99.as_secs_f64()
            )
        });
        println!(
            "{what}: {} requests in {:.2?} = {:.0}/s; median {:.2?}, p99 {:.2?}, max {:.2?}{vs}",
            self.requests,
            self.took,
            self.requests as f64 / self.took.as_secs_f64(),
            self.p50,
            self.p99,
            self.max
        );
    }
}

impl Load {
    /// `requests` requests from `connections` tasks at once, request `i` to `url(i)`; each
    /// must answer 200.
    pub async fn run(
        &self,
        requests: u64,
        url: impl Fn(u64) -> String + Clone + Send + 'static,
    ) -> anyhow::Result<Latencies> {
        let next = Arc::new(AtomicU64::new(0));
        let t = Instant::now();
        let tasks: Vec<_> = (0..self.connections)
            .map(|_| {
                let (client, (name, value), next, url) = (
                    self.client.clone(),
                    self.header.clone(),
                    next.clone(),
                    url.clone(),
                );
                tokio::spawn(async move {
                    let mut times = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= requests {
                            return anyhow::Ok(times);
                        }
                        let started = Instant::now();
                        let response = client.get(url(i)).header(name, &value).send().await?;
                        let status = response.status();
                        response.bytes().await?;
                        anyhow::ensure!(status.is_success(), "request {i} answered {status}");
                        times.push(started.elapsed());
                    }
                })
            })
            .collect();
        let mut times = Vec::with_capacity(requests as usize);
        for task in tasks {
            times.extend(task.await??);
        }
        let took = t.elapsed();
        times.sort();
        let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
        Ok(Latencies {
            requests,
            took,
            p50: at(0.5),
            p99: at(0.99),
            max: times[times.len() - 1],
        })
    }
}

/// `gallra serve` on a new SQLite store with the register in `policies`: from spawning the
/// process to `/readyz` answering, five times, against spawning `gallra --version` to its exit.
async fn start_to_ready(dir: &Path, policies: &Path, register: &str) -> anyhow::Result<()> {
    let exe = std::env::current_exe()?;
    let client = reqwest::Client::new();
    let mut baseline = Vec::new();
    let mut first = Vec::new();
    let mut again = Vec::new();
    for round in 0..5 {
        let t = Instant::now();
        let status = tokio::process::Command::new(&exe)
            .arg("--version")
            .stdout(Stdio::null())
            .status()
            .await?;
        anyhow::ensure!(status.success(), "gallra --version failed");
        baseline.push(t.elapsed());
        let data = dir.join(format!("start-{round}"));
        // A new store (migrate and apply everything), then the same store again (nothing to
        // apply): the first start of an installation and every start after it.
        for times in [&mut first, &mut again] {
            times.push(ready_after_spawn(&exe, &client, &data, policies).await?);
        }
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let base = median(&mut baseline);
    for (what, times) in [
        ("a new store: migrate, apply every service", &mut first),
        ("the same store again: nothing to apply", &mut again),
    ] {
        let m = median(times);
        println!(
            "start to ready on SQLite with {register}, {what}: median of 5 {m:.2?} (range {:.2?}–{:.2?}; goal < 1 s); {:.1}× the time to start and exit (`gallra --version`, {base:.2?})",
            times[0],
            times[times.len() - 1],
            m.as_secs_f64() / base.as_secs_f64()
        );
    }
    Ok(())
}

/// Spawn `gallra serve` on `data`'s store and return how long `/readyz` took to answer 200.
async fn ready_after_spawn(
    exe: &Path,
    client: &reqwest::Client,
    data: &Path,
    policies: &Path,
) -> anyhow::Result<Duration> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let t = Instant::now();
    let mut child = tokio::process::Command::new(exe)
        .arg("serve")
        .env("GALLRA_DATA_DIR", data)
        .env(
            "GALLRA_DATABASE_URL",
            format!("sqlite://{}/gallra.db?mode=rwc", data.display()),
        )
        .env("GALLRA_LISTEN", format!("127.0.0.1:{port}"))
        .env("GALLRA_POLICIES", policies)
        .env("GALLRA_SCHEDULER", "off")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()?;
    let url = format!("http://127.0.0.1:{port}/readyz");
    let took = loop {
        if let Ok(r) = client.get(&url).send().await {
            if r.status().is_success() {
                break t.elapsed();
            }
        }
        if let Some(status) = child.try_wait()? {
            anyhow::bail!("gallra serve exited with {status} before it was ready");
        }
        anyhow::ensure!(
            t.elapsed() < Duration::from_secs(60),
            "gallra serve was not ready after 60 s"
        );
        // Polling, not a sleep standing in for synchronisation: the next try follows at once
        // after a short pause so the poll does not take a core from the start it measures.
        tokio::time::sleep(Duration::from_millis(2)).await;
    };
    child.kill().await?;
    Ok(took)
}
