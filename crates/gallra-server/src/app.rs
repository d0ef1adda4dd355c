//! The application as a value: built from settings and a clock, bound to a port, run until stopped.

use std::future::Future;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;

use crate::clock::Clock;
use crate::context::AppState;
use crate::evidence::{sign_checkpoint, Keys};
use crate::http;
use crate::policy::{self, PolicyErrors};
use crate::register::apply::{self, ApplyReport, Author};
use crate::settings::Settings;

pub use crate::download::attachment;

pub struct Application {
    listener: TcpListener,
    scheduler: bool,
    limits: crate::settings::HttpLimits,
    pub state: AppState,
}

/// Start-up failed because the policy set is invalid; the messages say where.
#[derive(Debug, thiserror::Error)]
#[error("the policy set is invalid:\n{0}")]
pub struct InvalidPolicies(pub PolicyErrors);

impl Application {
    /// Connect and migrate the store, apply the policy folder (if any), bind the listener.
    pub async fn build(settings: &Settings, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let state = crate::context::open(settings, clock).await?;
        if let Some(dir) = &settings.policies {
            let author = Author {
                name: whoami(settings.author.as_deref()),
                reason: format!("applied from {} at start", dir.display()),
            };
            let report = apply_dir(&state.db, &state.keys, dir, &author, state.clock.now()).await?;
            tracing::info!(
                changed = report.changes.len(),
                unchanged = report.unchanged,
                "policies applied"
            );
        }
        // Events a stopped process left queued go into the tree before anything else is served.
        if let Err(e) = checkpoint_if_unsigned(&state).await {
            tracing::error!(error = %e, "putting queued evidence in the tree at start failed");
        }
        // Runs a killed process left `running` (their lock is free) are settled from their
        // journals before anything else runs.
        match crate::retention::settle::left_running(&state).await {
            Ok(0) => {}
            Ok(n) => tracing::warn!(runs = n, "settled runs a stopped process left running"),
            Err(e) => tracing::error!(error = %e, "settling runs left running failed"),
        }
        match crate::review::close::settle_at_start(&state).await {
            Ok(0) => {}
            Ok(n) => tracing::warn!(
                campaigns = n,
                "settled review closes a stopped process left"
            ),
            Err(e) => tracing::error!(error = %e, "settling review closes left part way failed"),
        }
        let listener = TcpListener::bind(settings.listen)
            .await
            .with_context(|| format!("cannot listen on {}", settings.listen))?;
        Ok(Application {
            listener,
            scheduler: settings.scheduler,
            limits: settings.http.clone(),
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        tracing::info!(addr = %self.listener.local_addr()?, "listening");
        tokio::spawn(background_checkpoints(self.state.clone()));
        tokio::spawn(background_verification(self.state.clone()));
        let _scheduler = if self.scheduler {
            tokio::spawn(background_breach_checks(self.state.clone()));
            Some(crate::scheduler::start(self.state.clone()).await?)
        } else {
            None
        };
        crate::serve::serve(self.listener, router(self.state), &self.limits, shutdown).await?;
        Ok(())
    }
}

/// Every edge a served application answers on: the JSON API and the web interface.
pub fn router(state: AppState) -> axum::Router {
    http::with_layers(http::routes().merge(crate::web::routes()).with_state(state))
}

/// Validate a folder and apply it. Two replicas starting together may race on the same new
/// version; the loser retries once and then finds the register already up to date.
pub async fn apply_dir(
    db: &DatabaseConnection,
    keys: &Keys,
    dir: &Path,
    author: &Author,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<ApplyReport> {
    let set = policy::load_dir(dir).map_err(InvalidPolicies)?;
    let report = match apply::apply(db, &set, author, now).await {
        Ok(report) => report,
        Err(first) => {
            tracing::warn!(error = %first, "apply failed, retrying once");
            apply::apply(db, &set, author, now).await?
        }
    };
    // The versions are committed. Their events, and any a stopped process left queued, go into
    // the tree now; a failure here is caught up by the next integration.
    if let Err(e) = sign_checkpoint(db, keys, now).await {
        tracing::error!(error = %e, "signing a checkpoint after apply failed");
    }
    Ok(report)
}

/// Each minute, sign a checkpoint if the tree grew without one (events whose callers do not
/// sign, other replicas' appends), after putting in it any event left queued (by a process
/// that stopped between its commit and the integration after it).
async fn background_checkpoints(state: AppState) {
    let minute = std::time::Duration::from_secs(60);
    let mut every = tokio::time::interval_at(tokio::time::Instant::now() + minute, minute);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        if let Err(e) = checkpoint_if_unsigned(&state).await {
            tracing::error!(error = %e, "checkpoint failed");
        }
    }
}

/// Check every rule for records over age at start and every 15 minutes, recording what was
/// found: the pages show it (and each run's post-condition) instead of counting while they
/// render. With the scheduler, as the jobs are: a process that runs none checks none.
async fn background_breach_checks(state: AppState) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(15 * 60));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        if let Err(e) = crate::retention::breach::check_all(&state).await {
            tracing::error!(error = %e, "the periodic breach check failed");
        }
    }
}

/// Verify the whole log at start and every 15 minutes, for the overview page.
async fn background_verification(state: AppState) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(15 * 60));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        state
            .log_health
            .check(&state.db, &state.keys, state.clock.now())
            .await;
    }
}

/// Put queued events in the tree and sign, if any event is not under a checkpoint yet;
/// returns whether it signed.
pub async fn checkpoint_if_unsigned(state: &AppState) -> anyhow::Result<bool> {
    if !crate::evidence::unsigned(&state.db).await? {
        return Ok(false);
    }
    let now = state.clock.now();
    state
        .sequencer
        .settle(&state.db, &state.keys, now, true)
        .await?;
    Ok(true)
}

/// The author recorded on versions written by this process: `GALLRA_AUTHOR`, else `USER`
/// (both read once, by `Settings::load`), else `gallra`.
pub fn whoami(author: Option<&str>) -> String {
    author.unwrap_or("gallra").to_owned()
}

pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
