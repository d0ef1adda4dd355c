//! What a purge leaves when it is cut off other than by killing its process: its rule retired
//! before the cut-off run is settled, and one of its connections (the run lock's, the store's,
//! the datasource's) ended by the server part way (`GALLRA_TEST_RESUME`: the child goes on once
//! the connection is cut). Each time every row a committed batch deleted is in the evidence,
//! exactly and by its digest; the log verifies; no run is left `running`; the rerun completes.

use std::collections::BTreeSet;
use std::process::Stdio;

use sea_orm::{ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, EntityTrait};
use tokio::io::AsyncWriteExt;
use tokio::process::Child;

use crate::datasources::{kinds, Kind};
use crate::helpers::seed_policies;
use crate::retention::digest_of;
use crate::retention_killed::{
    closed_exactly, decided_campaign, listening, ok, paused, runs, Setup, BATCH, RULE,
};

/// `gallra purge` paused at `point`, going on when [`resume`]d.
async fn paused_purge(s: &Setup, point: &str) -> Child {
    resumable(s, &["purge", RULE, "--json", "--batch", BATCH], point).await
}

/// `gallra <args>` paused at `point`, going on when [`resume`]d.
async fn resumable(s: &Setup, args: &[&str], point: &str) -> Child {
    let mut c = s.command(args, Some(point));
    c.env("GALLRA_TEST_RESUME", "stdin")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped());
    paused(c, point).await
}

/// Let the paused child go on; its report once it ends (`null` if it printed none).
async fn resume(mut child: Child) -> (bool, serde_json::Value) {
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"go\n").await.unwrap();
    drop(stdin);
    let out = child.wait_with_output().await.unwrap();
    let report = serde_json::from_slice(&out.stdout).unwrap_or_default();
    (out.status.success(), report)
}

/// Whether the store is PostgreSQL: a SQLite store's run lock is a file lock, which no one but
/// its process can take from it.
fn postgres_store(s: &Setup) -> bool {
    s.database_url.starts_with("postgres")
}

/// End, on the server, the connections to `url`'s database that `which` selects from
/// `pg_stat_activity` (as `a`); how many.
async fn cut_postgres(url: &str, which: &str) -> usize {
    let db = Database::connect(url).await.unwrap();
    let rows = db
        .query_all_raw(sea_orm::Statement::from_string(
            DatabaseBackend::Postgres,
            format!(
                "SELECT pg_terminate_backend(a.pid) AS cut FROM pg_stat_activity a \
                 WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() AND {which}"
            ),
        ))
        .await
        .unwrap();
    db.close().await.ok();
    rows.len()
}

/// The backends holding an advisory lock in the store: the run lock's connection.
const LOCK_HOLDER: &str = "a.pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory' \
                           AND granted AND database = (SELECT oid FROM pg_database \
                           WHERE datname = current_database()))";

/// End every connection to the datasource's database but this one's.
async fn cut_datasource(kind: Kind, url: &str) -> usize {
    match kind {
        Kind::Postgres => cut_postgres(url, "true").await,
        Kind::MariaDb => {
            let db = Database::connect(url).await.unwrap();
            let ids = db
                .query_all_raw(sea_orm::Statement::from_string(
                    DatabaseBackend::MySql,
                    "SELECT CAST(ID AS SIGNED) FROM information_schema.PROCESSLIST \
                     WHERE DB = DATABASE() AND ID <> CONNECTION_ID()",
                ))
                .await
                .unwrap();
            for row in &ids {
                let id: i64 = row.try_get_by_index(0).unwrap();
                db.execute_unprepared(&format!("KILL CONNECTION {id}"))
                    .await
                    .unwrap();
            }
            db.close().await.ok();
            ids.len()
        }
        Kind::Sqlite => unreachable!("a SQLite datasource has no connection to cut"),
    }
}

/// After the cut-off purge (the ids it left: `after_first`) a rerun completes, and each run's
/// evidence holds exactly what it deleted.
async fn accounted(s: &Setup, before: &BTreeSet<i64>, after_first: &BTreeSet<i64>, what: &str) {
    let rerun = s
        .run(&["purge", RULE, "--json", "--batch", BATCH], None)
        .await;
    ok(&rerun, what);
    let left = s.ids().await;
    assert_eq!(left.len(), 110, "{what}: every row over age is gone");
    let store = s.store().await;
    let runs = runs(&store).await;
    assert_eq!(runs.len(), 2, "{what}");
    assert!(
        runs.iter().all(|(r, _)| r.outcome != "running"),
        "{what}: no run is left running"
    );
    for ((run, entry), gone) in runs.iter().zip([
        before.difference(after_first).copied().collect::<Vec<_>>(),
        after_first.difference(&left).copied().collect(),
    ]) {
        assert_eq!(
            entry["affected"],
            serde_json::json!(gone.len()),
            "{what}: {entry}"
        );
        assert_eq!(
            entry["keys_sha256"],
            serde_json::json!(digest_of(gone)),
            "{what}"
        );
        assert_eq!(entry["outcome"], serde_json::json!(run.outcome), "{what}");
    }
    ok(&s.run(&["evidence", "verify"], None).await, what);
    let journal = entity::run_journal::Entity::find()
        .all(&store)
        .await
        .unwrap();
    assert!(journal.is_empty(), "{what}: the store keeps no keys");
    close(store).await;
}

async fn close(db: DatabaseConnection) {
    db.close().await.ok();
}

#[tokio::test]
async fn a_run_cut_off_whose_rule_is_retired_since_is_settled_exactly_at_the_next_start() {
    for kind in kinds() {
        let what = format!("{kind:?}");
        let s = Setup::new(kind).await;
        let before = s.ids().await;
        // Killed once the datasource committed its second batch and before the journal said
        // so: that batch can only be decided by asking the rule's datasource.
        let mut child = s.paused_purge("batch-committed:2").await;
        child.start_kill().unwrap();
        child.wait().await.unwrap();
        let after_kill = s.ids().await;
        assert_eq!(before.len() - after_kill.len(), 20, "{what}");

        // The meetings service is removed from the policies, and its rule retired with it.
        let retired = tempfile::tempdir().unwrap();
        for f in std::fs::read_dir(seed_policies()).unwrap() {
            let f = f.unwrap();
            if f.file_name() != "digitalt-mote.toml" {
                std::fs::copy(f.path(), retired.path().join(f.file_name())).unwrap();
            }
        }
        let mut apply = s.command(&["apply"], None);
        apply.env("GALLRA_POLICIES", retired.path());
        ok(&apply.output().await.unwrap(), &what);
        let purge = s.run(&["purge", RULE], None).await;
        assert!(!purge.status.success(), "{what}: the rule is retired");

        // The next start settles the run by the rule it worked by.
        let mut c = s.command(&["serve"], None);
        c.env("GALLRA_POLICIES", retired.path());
        let (mut server, _) = listening(c).await;
        server.kill().await.unwrap();
        let store = s.store().await;
        let runs = runs(&store).await;
        assert_eq!(runs.len(), 1, "{what}");
        let (run, entry) = &runs[0];
        assert_eq!(run.outcome, "interrupted", "{what}");
        let gone: Vec<i64> = before.difference(&after_kill).copied().collect();
        assert_eq!(entry["affected"], 20, "{what}: {entry}");
        assert_eq!(
            entry["keys_sha256"],
            serde_json::json!(digest_of(gone)),
            "{what}"
        );
        let error = run.error.as_deref().unwrap_or_default();
        assert!(
            error.contains("post-condition not checked"),
            "{what}: {error}"
        );
        ok(&s.run(&["evidence", "verify"], None).await, &what);
        close(store).await;
    }
}

#[tokio::test]
async fn a_purge_that_loses_its_run_lock_commits_no_further_batch() {
    for kind in kinds() {
        let what = format!("{kind:?}");
        let s = Setup::new(kind).await;
        if !postgres_store(&s) {
            eprintln!("a SQLite store's run lock cannot be taken from a living process: skipped");
            return;
        }
        let before = s.ids().await;
        let child = paused_purge(&s, "batch-journaled:2").await;
        assert_eq!(
            cut_postgres(&s.database_url, LOCK_HOLDER).await,
            1,
            "{what}"
        );
        let (succeeded, report) = resume(child).await;
        assert!(!succeeded, "{what}: {report}");
        assert_eq!(report["outcome"], "failed", "{what}: {report}");
        let error = report["error"].as_str().unwrap_or_default();
        assert!(
            error.contains("lost its rule's run lock"),
            "{what}: {error}"
        );
        let after_first = s.ids().await;
        assert_eq!(
            before.len() - after_first.len(),
            10,
            "{what}: only the batch committed before the lock was lost"
        );
        assert_eq!(report["affected"], 10, "{what}: {report}");
        accounted(&s, &before, &after_first, &what).await;
    }
}

#[tokio::test]
async fn a_purge_whose_store_connections_are_cut_accounts_for_every_row() {
    for kind in kinds() {
        let what = format!("{kind:?}");
        let s = Setup::new(kind).await;
        if !postgres_store(&s) {
            eprintln!("a SQLite store has no connection to cut: skipped");
            return;
        }
        let before = s.ids().await;
        let child = paused_purge(&s, "batch-journaled:2").await;
        let others = format!("NOT ({LOCK_HOLDER})");
        assert!(cut_postgres(&s.database_url, &others).await >= 1, "{what}");
        resume(child).await;
        let after_first = s.ids().await;
        accounted(&s, &before, &after_first, &what).await;
    }
}

#[tokio::test]
async fn a_purge_whose_datasource_connection_is_cut_counts_only_committed_batches() {
    for kind in kinds().into_iter().filter(|k| *k != Kind::Sqlite) {
        let what = format!("{kind:?}");
        let s = Setup::new(kind).await;
        let before = s.ids().await;
        let child = paused_purge(&s, "batch-journaled:2").await;
        assert!(cut_datasource(kind, &s.ds.url).await >= 1, "{what}");
        let (succeeded, report) = resume(child).await;
        assert!(!succeeded, "{what}: {report}");
        assert_eq!(report["outcome"], "failed", "{what}: {report}");
        let after_first = s.ids().await;
        assert_eq!(before.len() - after_first.len(), 10, "{what}");
        assert_eq!(report["affected"], 10, "{what}: {report}");
        accounted(&s, &before, &after_first, &what).await;
    }
}

#[tokio::test]
async fn a_review_close_that_loses_its_lock_stops_and_the_next_close_finishes_it() {
    for kind in kinds() {
        let what = format!("{kind:?}");
        let mut s = Setup::new(kind).await;
        if !postgres_store(&s) {
            eprintln!("a SQLite store's lock cannot be taken from a living process: skipped");
            return;
        }
        let id = decided_campaign(&mut s, kind, &what).await;
        let child = resumable(
            &s,
            &["review", "close", &id.to_string()],
            "revocation-journaled:3",
        )
        .await;
        assert_eq!(
            cut_postgres(&s.database_url, LOCK_HOLDER).await,
            1,
            "{what}"
        );
        let (succeeded, _) = resume(child).await;
        assert!(!succeeded, "{what}: the close stops");
        let disabled = s.vdx.as_ref().unwrap().disabled("admin_profiles").await;
        let applied = disabled.iter().filter(|(_, d)| *d == 1).count();
        assert_eq!(applied, 2, "{what}: the third revocation was not committed");
        let store = s.store().await;
        let c = entity::review_campaigns::Entity::find_by_id(id)
            .one(&store)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(c.status, "closing", "{what}: left for the next close");
        close(store).await;

        ok(
            &s.run(&["review", "close", &id.to_string()], None).await,
            &what,
        );
        closed_exactly(&s, id, &what).await;
    }
}
