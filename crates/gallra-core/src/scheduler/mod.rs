//! The scheduler: decides when rules run; the jobs themselves are plain async functions.
//! tokio-cron-scheduler only ticks once a minute in UTC; which occurrences are due is computed
//! in each rule's own time zone (`occurrences`), and the store decides who runs them (`jobs`).

pub mod jobs;
pub use crate::occurrences;
pub mod reviews;

use std::sync::Arc;

use tokio::sync::Mutex;
use tokio_cron_scheduler::{Job, JobScheduler};

use crate::context::AppState;

/// Start the minute ticker; the first pass (catch-up of missed occurrences, resumption of
/// interrupted runs) starts at once, in the background, so serving is not delayed.
pub async fn start(state: AppState) -> anyhow::Result<JobScheduler> {
    let since = state.clock.now();
    for r in crate::retention::rule::list(&state.db).await? {
        if let Err(e) = state.datasources.url(r.spec.datasource.get_ref()) {
            tracing::warn!(rule = r.id(), "not scheduled: {e}");
        }
    }
    let busy = Arc::new(Mutex::new(()));
    tokio::spawn(pass(state.clone(), since, busy.clone()));
    let sched = JobScheduler::new().await?;
    sched
        .add(Job::new_async("0 * * * * *", move |_, _| {
            let (state, busy) = (state.clone(), busy.clone());
            Box::pin(async move { pass(state, since, busy).await })
        })?)
        .await?;
    sched.start().await?;
    Ok(sched)
}

/// One pass, skipped while the previous one still runs.
async fn pass(state: AppState, since: chrono::DateTime<chrono::Utc>, busy: Arc<Mutex<()>>) {
    let Ok(_guard) = busy.try_lock() else { return };
    match jobs::tick(&state, since).await {
        Ok(reports) if !reports.is_empty() => {
            tracing::info!(runs = reports.len(), "scheduled runs finished")
        }
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "scheduler pass failed"),
    }
}
