//! Work that must end as it would even if whoever asked for it goes away. A purge or a review
//! close dropped part way — a request past its timeout, a client that hangs up, a closed tab —
//! would leave rows changed with no evidence of them and a run `running` for good; so the
//! domain's entry points for such work (`retention::start_run`, `retention::start_approval`,
//! `review::start_close`) put it on a task of its own, and no edge has to remember to.

/// Run `work` on a task of its own and wait for it; the task goes on if this future is
/// dropped. A task that panicked is an error, not a panic here.
pub async fn to_completion<T: Send + 'static>(
    work: impl std::future::Future<Output = T> + Send + 'static,
) -> anyhow::Result<T> {
    tokio::spawn(work)
        .await
        .map_err(|e| anyhow::anyhow!("the detached task ended: {e}"))
}
