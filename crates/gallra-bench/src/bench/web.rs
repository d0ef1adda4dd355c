//! `gallra bench web`: the web interface's register page (pages of 50 through 1,000 services), a
//! service's page and the overview, p99 at 50 connections, each against `/healthz` under the
//! same load in the same run (BENCHMARKS.md: ≤ 3×); and the register page's weight, HTML and CSS
//! (≤ 100 KB).

use clap::Args;

use super::api::{register_app, Load};
use crate::auth::Role;
use crate::clock::{Clock, SystemClock};

#[derive(Debug, Args)]
pub struct WebBench {
    /// Services in the register (copies of the embedded seed services).
    #[arg(long, default_value_t = 1_000)]
    pub services: u64,
    /// Concurrent connections, each sending its next request when the last one is answered.
    #[arg(long, default_value_t = 50)]
    pub connections: u64,
    /// Requests measured per page.
    #[arg(long, default_value_t = 5_000)]
    pub requests: u64,
    /// Store to use (default: a new SQLite file in a temp dir). Use an empty database.
    #[arg(long)]
    pub database_url: Option<String>,
}

pub async fn run(args: WebBench) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("gallra-bench-web-{}", std::process::id()));
    let (app, services) = register_app(&dir, args.services, args.database_url.clone()).await?;
    let base = format!("http://127.0.0.1:{}", app.port());
    let (token, _) =
        crate::auth::token::create(&app.state.db, "bench", Role::Dpo, SystemClock.now()).await?;
    let session = crate::auth::session::start(&app.state.db, token.id, SystemClock.now()).await?;
    let one = crate::register::query::list_instructions(&app.state.db, None)
        .await?
        .first()
        .map(|i| i.service.clone())
        .unwrap_or_default();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.connections as usize)
        .build()?;
    let load = Load {
        client: client.clone(),
        header: ("cookie", format!("gallra_session={session}")),
        connections: args.connections,
    };

    let health_url = format!("{base}/healthz");
    let url = health_url.clone();
    load.run(args.connections * 4, move |_| url.clone()).await?;
    let url = health_url.clone();
    let health = load.run(args.requests, move |_| url.clone()).await?;
    health.print("GET /healthz (no store, no session: the baseline)", None);
    // The floors: a page rendered from a template with no store at all (`/login`), and the
    // lightest signed-in page (`/exports`: its session read from the store, a small template).
    let b = base.clone();
    let login = load
        .run(args.requests, move |_| format!("{b}/login"))
        .await?;
    login.print("GET /login (a template, no store: floor 1)", Some(&health));
    let b = base.clone();
    let signed_in = load
        .run(args.requests, move |_| format!("{b}/exports"))
        .await?;
    signed_in.print(
        "GET /exports (the session read from the store, a small template: floor 2)",
        Some(&health),
    );
    let pages = services.div_ceil(50);
    let b = base.clone();
    let list = load
        .run(args.requests, move |i| {
            format!("{b}/services?offset={}", (i % pages) * 50)
        })
        .await?;
    list.print(
        &format!("GET /services, pages of 50 through all {services}, with counts per filter"),
        Some(&health),
    );
    let b = base.clone();
    let service = load
        .run(args.requests, move |_| format!("{b}/services/{one}"))
        .await?;
    service.print("GET /services/{id}", Some(&health));
    let b = base.clone();
    let overview = load.run(args.requests, move |_| format!("{b}/")).await?;
    overview.print("GET / (the overview)", Some(&health));

    let html = client
        .get(format!("{base}/services"))
        .header("cookie", format!("gallra_session={session}"))
        .send()
        .await?
        .bytes()
        .await?;
    let css = client
        .get(format!("{base}/static/gallra.css"))
        .send()
        .await?
        .bytes()
        .await?;
    println!(
        "register page of 50 rows: {} bytes of HTML + {} bytes of CSS = {:.1} KB (goal ≤ 100 KB)",
        html.len(),
        css.len(),
        (html.len() + css.len()) as f64 / 1024.0
    );
    let _ = stop.send(());
    server.await??;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
