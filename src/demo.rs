//! `gallra demo`: a fresh data folder, the seed register on SQLite, a login token, and serve.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::Args;

use crate::app::{shutdown_signal, Application};
use crate::auth::{token, Role};
use crate::clock::{Clock, SystemClock};
use crate::context::AppState;
use crate::demo_data::AccountsTable;
use crate::policy;
use crate::retention::{approval, rule, run_rule, Outcome, RunOptions, RunReport};
use crate::settings::Settings;

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Data folder to create (default: a new folder under the system temp dir).
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Address to serve on (default: GALLRA_LISTEN or 127.0.0.1:8080).
    #[arg(long)]
    pub listen: Option<String>,
}

/// Keys the environment can point at, which the demo must not use: it signs and hashes with
/// keys of its own, in its folder.
const OTHER_KEYS: [&str; 2] = ["GALLRA_EVIDENCE_KEY", "GALLRA_INSTALLATION_KEY"];

/// Refuse to run where `var` points at another installation's keys.
fn refuse_other_keys(var: impl Fn(&str) -> Option<String>) -> anyhow::Result<()> {
    let set: Vec<&str> = OTHER_KEYS
        .into_iter()
        .filter(|v| var(v).is_some_and(|x| !x.is_empty()))
        .collect();
    anyhow::ensure!(
        set.is_empty(),
        "gallra demo signs and hashes with keys of its own: unset {} first (they point at another installation's keys)",
        set.join(" and ")
    );
    Ok(())
}

pub async fn run(args: DemoArgs) -> anyhow::Result<()> {
    refuse_other_keys(|v| std::env::var(v).ok())?;
    let dir = args.dir.unwrap_or_else(|| {
        std::env::temp_dir().join(format!("gallra-demo-{}", std::process::id()))
    });
    anyhow::ensure!(
        !dir.join("gallra.db").exists(),
        "{} already holds a demo; pass a new --dir or remove it",
        dir.display()
    );
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    // Always the seed register built into the binary, written into the demo's folder: never a
    // `./policies` found where it runs, whose rules could name real datasources (through
    // `GALLRA_DATASOURCE_*`) and would be run, and approved, on them.
    let policies = dir.join("policies");
    policy::load::write_embedded(&policies)?;
    let clock = Arc::new(SystemClock);
    let sources = dir.join("datasources");
    let meetings = crate::demo_data::meetings(
        &sources,
        clock.now(),
        crate::demo_data::MEETING_DAYS,
        crate::demo_data::MEETINGS_PER_DAY,
    )
    .await?;
    let vdx = crate::demo_data::accounts(
        &sources,
        AccountsTable {
            file: "vdx.db",
            table: "admin_profiles",
            role_col: "role",
            activity_col: "last_login",
            roles: &["admin", "operator"],
            rows: 12,
            extra: ", disabled INTEGER DEFAULT 0",
        },
    )
    .await?;
    let contacts = crate::demo_data::accounts(
        &sources,
        AccountsTable {
            file: "e-klient.db",
            table: "contacts",
            role_col: "organisation",
            activity_col: "updated_at",
            roles: &["Region Norr", "Kommun Syd"],
            rows: 25,
            extra: "",
        },
    )
    .await?;
    let rjh = crate::demo_data::accounts(
        &sources,
        AccountsTable {
            file: "rjh.db",
            table: "user_accounts",
            role_col: "role",
            activity_col: "last_login",
            roles: &["läkare", "sjuksköterska", "administratör"],
            rows: 30,
            extra: ", disabled INTEGER DEFAULT 0",
        },
    )
    .await?;
    let listen = args
        .listen
        .or_else(|| std::env::var("GALLRA_LISTEN").ok())
        .unwrap_or_else(|| "127.0.0.1:8080".into());
    let settings = Settings {
        database_url: format!("sqlite://{}/gallra.db?mode=rwc", dir.display()),
        data_dir: dir.clone(),
        listen: listen
            .parse()
            .with_context(|| format!("`{listen}` is not an address"))?,
        policies: Some(policies.clone()),
        scheduler: true,
        datasource_urls: HashMap::from([
            ("meetings".to_string(), meetings),
            ("vdx-admin".to_string(), vdx),
            ("e-klient-kontaktlista".to_string(), contacts),
            ("rjh-accounts".to_string(), rjh),
        ]),
        webhook: None,
        http: crate::settings::HttpLimits::from_environment()?,
        datasources: Default::default(),
        cookie_secure: false,
        author: None,
    };
    let app = Application::build(&settings, clock.clone()).await?;
    let txn = crate::db::begin_write(&app.state.db).await?;
    let (admin, secret) = token::create(&txn, "demo-admin", Role::Admin, clock.now()).await?;
    app.state
        .sequencer
        .commit_and_sign(txn, &app.state.db, &app.state.keys, clock.now())
        .await?;
    println!("gallra demo");
    println!("  data:      {}", dir.display());
    println!("  policies:  {}", policies.display());
    println!("running the retention jobs once:");
    run_jobs_once(&app.state, admin.id).await?;
    println!("opening one review campaign per policy:");
    for p in crate::review::policy::list(&app.state.db).await? {
        let id = crate::review::open::open(&app.state, p.id(), None, None).await?;
        println!(
            "  {}: campaign {id}, due in {}",
            p.id(),
            p.spec.due.get_ref()
        );
    }
    let base = format!("http://{}:{}", settings.listen.ip(), app.port());
    let link =
        crate::auth::session::create_login_link(&app.state.db, admin.id, clock.now()).await?;
    println!("ready, serving until Ctrl-C (logs: warnings and errors; RUST_LOG=info for more):");
    println!(
        "  sign in:   {base}/login/link/{link}   (once: the link is void after its first use)"
    );
    println!("  API docs:  {base}/api/docs");
    println!("  token:     {secret}");
    println!("  try:       curl -H 'Authorization: Bearer {secret}' '{base}/api/v1/services?data_type=national-id-number'");
    println!(
        "  the purge: curl -H 'Authorization: Bearer {secret}' '{base}/api/v1/retention/runs'"
    );
    println!(
        "  reviews:   curl -H 'Authorization: Bearer {secret}' '{base}/api/v1/reviews/campaigns'"
    );
    println!(
        "  evidence:  curl -H 'Authorization: Bearer {secret}' '{base}/api/v1/evidence/checkpoint'"
    );
    println!("  unenforced instructions: curl -H 'Authorization: Bearer {secret}' '{base}/api/v1/instructions?enforced=false'");
    app.run_until_stopped(shutdown_signal()).await
}

/// Run every retention rule once, as the night's jobs would. The demo data is 30 days deep, so
/// the 7-day rule's guard stops the first run; the demo admin approves it, as a DPO would.
async fn run_jobs_once(state: &AppState, admin_token: i32) -> anyhow::Result<()> {
    for r in rule::list(&state.db).await? {
        let mut report = run_rule(state, r.id(), RunOptions::manual(false), |_| {}).await?;
        if report.outcome == Outcome::AwaitingApproval {
            println!(
                "  {}: {} — approving as demo-admin",
                r.id(),
                report.error.clone().unwrap_or_default()
            );
            let why = "Demo: 30 days of synthetic participants, approved by the demo admin";
            report =
                approval::approve(state, report.run_id, admin_token, "demo-admin", why).await?;
        }
        print_run(&report);
    }
    Ok(())
}

fn print_run(r: &RunReport) {
    println!(
        "  {}: {} — cutoff {}, {} rows over age{}, {} deleted, {} held, evidence entry {}",
        r.rule,
        r.outcome.as_str(),
        r.cutoff.format("%Y-%m-%d %H:%M UTC"),
        r.counts.matched,
        r.counts
            .table_rows
            .map_or(String::new(), |n| format!(" of {n}")),
        r.counts.affected,
        r.counts.held,
        r.evidence_index.map_or("-".into(), |i| i.to_string())
    );
}

#[cfg(test)]
mod tests {
    use super::refuse_other_keys;

    #[test]
    fn the_demo_refuses_keys_the_environment_points_at() {
        let refused = refuse_other_keys(|v| {
            (v == "GALLRA_EVIDENCE_KEY").then(|| "/etc/gallra/evidence.key".to_string())
        })
        .unwrap_err()
        .to_string();
        assert!(
            refused.contains("unset GALLRA_EVIDENCE_KEY first"),
            "{refused}"
        );
        assert!(refuse_other_keys(|_| None).is_ok());
        assert!(refuse_other_keys(|_| Some(String::new())).is_ok());
    }
}
