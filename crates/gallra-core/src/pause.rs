//! A test hook: `GALLRA_TEST_PAUSE=<point>[:<n>]` makes the process print
//! `GALLRA_PAUSED <point>[:<n>]` to stderr at that point and wait there for good, so a test can
//! kill it (SIGKILL) at an exact moment. Read once; unset, it does nothing.
//!
//! Points of a purge: `before-first-batch`, `batch-changed:<n>` (the datasource changed,
//! nothing committed), `batch-journaled:<n>` (the store holds the batch as pending, the
//! datasource has not committed), `batch-committed:<n>` (the datasource committed, the journal
//! still says pending), `after-last-batch`, `before-evidence`. Of a review close:
//! `revocation-changed:<n>`, `revocation-journaled:<n>`, `revocation-committed:<n>`,
//! `before-close-evidence`.
//!
//! Only in a build with the `test-hooks` feature (which the tests enable): a release build has
//! no such hook, and `at` is nothing.

#[cfg(feature = "test-hooks")]
use std::io::Write;
#[cfg(feature = "test-hooks")]
use std::sync::OnceLock;

#[cfg(feature = "test-hooks")]
fn wanted() -> Option<&'static str> {
    static WANTED: OnceLock<Option<String>> = OnceLock::new();
    WANTED
        .get_or_init(|| {
            std::env::var("GALLRA_TEST_PAUSE")
                .ok()
                .filter(|v| !v.is_empty())
        })
        .as_deref()
}

/// Nothing: this build has no test hooks.
#[cfg(not(feature = "test-hooks"))]
pub async fn at(_point: &str, _n: Option<u64>) {}

/// Wait here for good if the hook names `point` (with `n`, when it gives one).
#[cfg(feature = "test-hooks")]
pub async fn at(point: &str, n: Option<u64>) {
    let Some(wanted) = wanted() else {
        return;
    };
    let (name, number) = match wanted.split_once(':') {
        Some((name, number)) => (name, number.parse::<u64>().ok()),
        None => (wanted, None),
    };
    if name != point || (number.is_some() && number != n) {
        return;
    }
    {
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "GALLRA_PAUSED {wanted}");
        let _ = err.flush();
    }
    if std::env::var("GALLRA_TEST_RESUME").as_deref() == Ok("stdin") {
        let line = tokio::task::spawn_blocking(|| {
            let mut line = String::new();
            std::io::stdin().read_line(&mut line).map(|_| ())
        });
        if let Ok(Ok(())) = line.await {
            return;
        }
    }
    std::future::pending::<()>().await;
}
