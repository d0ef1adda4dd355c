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
use crate::helpers::{copy_policies, edit, seed_policies};
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
        runs.iter()
            .all(|(r, _)| r.outcome != gallra::retention::Outcome::Running),
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
async fn a_run_cut_off_whose_rule_is_changed_and_retired_since_is_settled_exactly_at_the_next_start(
) {
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

        // The rule is changed (another table) and then retired with its service: the version
        // stored now is not the one the run worked by, and names a table that is not there.
        let changed = tempfile::tempdir().unwrap();
        copy_policies(&seed_policies(), changed.path());
        edit(
            changed.path(),
            "digitalt-mote.toml",
            "table = \"participants\"",
            "table = \"participants_v2\"",
        );
        let mut apply = s.command(&["apply"], None);
        apply.env("GALLRA_POLICIES", changed.path());
        ok(&apply.output().await.unwrap(), &what);
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
        assert_eq!(
            run.outcome,
            gallra::retention::Outcome::Interrupted,
            "{what}"
        );
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
        let (succeeded, report) = resume(child).await;
        // Mostly the run draws an ended connection: the second batch committed in the
        // datasource while its journal could not be marked, the third failed on the store
        // before it was journaled and was rolled back, and the run asks the datasource past
        // the ended connections and records the two it committed. Where the pool had let the
        // ended ones go (idle, pinged), the run goes on to the end. Either way it records
        // itself, and exactly what it deleted.
        let after_first = s.ids().await;
        let deleted = before.len() - after_first.len();
        match report["outcome"].as_str() {
            Some("failed") => {
                assert!(!succeeded, "{what}: {report}");
                assert_eq!(deleted, 20, "{what}: {report}");
            }
            Some("succeeded") => {
                assert!(succeeded, "{what}: {report}");
                assert_eq!(deleted, 90, "{what}: {report}");
            }
            _ => panic!("{what}: the run records itself: {report}"),
        }
        assert_eq!(report["affected"], deleted, "{what}: {report}");
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
        assert_eq!(
            c.status,
            gallra::review::CampaignStatus::Closing,
            "{what}: left for the next close"
        );
        close(store).await;

        ok(
            &s.run(&["review", "close", &id.to_string()], None).await,
            &what,
        );
        closed_exactly(&s, id, &what).await;
    }
}

/// A purge that lost its run lock lives on while its run is settled and taken again (as the
/// scheduler retries a scheduled run: the same run, its next attempt) by another process that
/// has committed a batch of its own. When the first goes on it finds its lock gone, rolls back,
/// and leaves the retry alone: it records nothing over the retry's attempt, takes none of its
/// journal for its own, and leaves no key of its rolled-back batch in the store. Every row
/// deleted is then in exactly one entry.
#[tokio::test]
async fn a_purge_that_lost_its_lock_leaves_the_retry_that_took_its_run_alone() {
    use entity::{evidence_entries, retention_runs, run_journal};
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, QueryFilter, QueryOrder};
    for kind in kinds() {
        let what = format!("{kind:?}");
        let s = Setup::new(kind).await;
        if !postgres_store(&s) {
            eprintln!("a SQLite store's run lock cannot be taken from a living process: skipped");
            return;
        }
        let before = s.ids().await;
        // Paused with its first batch committed and no datasource transaction open.
        let child = paused_purge(&s, "batch-committed:1").await;
        let first_batch: BTreeSet<i64> = before.difference(&s.ids().await).copied().collect();
        assert_eq!(first_batch.len(), 10, "{what}");
        assert_eq!(
            cut_postgres(&s.database_url, LOCK_HOLDER).await,
            1,
            "{what}"
        );

        // Another process starts and settles the run (its lock is free): attempt 1 is
        // interrupted with its first batch.
        let (mut server, _) = listening(s.command(&["serve"], None)).await;
        server.kill().await.unwrap();
        let store = s.store().await;
        let run = retention_runs::Entity::find()
            .one(&store)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            run.outcome,
            gallra::retention::Outcome::Interrupted,
            "{what}"
        );

        // The retry takes the run (what the scheduler's `take` writes) and commits a batch:
        // five rows deleted and journaled under attempt 2.
        let mut retry: retention_runs::ActiveModel = run.clone().into();
        retry.outcome = Set(gallra::retention::Outcome::Running);
        retry.attempt = Set(2);
        retry.finished_at = Set(None);
        retry.update(&store).await.unwrap();
        let retried: Vec<i64> = s
            .ids()
            .await
            .into_iter()
            .filter(|i| *i > 110)
            .take(5)
            .collect();
        s.ds.delete_ids(&retried).await;
        let joined: Vec<String> = retried.iter().map(i64::to_string).collect();
        run_journal::ActiveModel {
            run_id: Set(run.id),
            attempt: Set(2),
            batch: Set(1),
            state: Set("committed".into()),
            rows: Set(5),
            keys: Set(format!("i:{}", joined.join(","))),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
        .insert(&store)
        .await
        .unwrap();

        // The first goes on: its next batch finds the lock gone and is rolled back.
        let left = s.ids().await;
        let mut child_in = child;
        let mut stdin = child_in.stdin.take().unwrap();
        stdin.write_all(b"go\n").await.unwrap();
        drop(stdin);
        let out = child_in.wait_with_output().await.unwrap();
        assert!(!out.status.success(), "{what}");
        assert_eq!(s.ids().await, left, "{what}: its next batch rolled back");
        let now = retention_runs::Entity::find_by_id(run.id)
            .one(&store)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (now.outcome.as_str(), now.attempt),
            ("running", 2),
            "{what}: the retry's attempt is untouched"
        );
        let journal = run_journal::Entity::find()
            .order_by_asc(run_journal::Column::Id)
            .all(&store)
            .await
            .unwrap();
        let attempts: Vec<(i32, &str)> = journal
            .iter()
            .map(|j| (j.attempt, j.state.as_str()))
            .collect();
        assert_eq!(
            attempts,
            [(2, "committed")],
            "{what}: the retry's journal stands; no key of the rolled-back batch is kept"
        );

        // The retry's process is gone too: the next purge settles attempt 2 and completes.
        ok(
            &s.run(&["purge", RULE, "--json", "--batch", BATCH], None)
                .await,
            &what,
        );
        let after = s.ids().await;
        assert_eq!(after.len(), 110, "{what}");
        let entries: Vec<serde_json::Value> = evidence_entries::Entity::find()
            .filter(evidence_entries::Column::Kind.eq("retention_run"))
            .order_by_asc(evidence_entries::Column::Idx)
            .all(&store)
            .await
            .unwrap()
            .into_iter()
            .map(|e| serde_json::from_str(&e.body).unwrap())
            .collect();
        let rest: Vec<i64> = left
            .difference(&after)
            .copied()
            .filter(|i| !retried.contains(i))
            .collect();
        let expected = [
            (
                "interrupted",
                first_batch.iter().copied().collect::<Vec<_>>(),
            ),
            ("interrupted", retried.clone()),
            ("succeeded", rest),
        ];
        assert_eq!(entries.len(), expected.len(), "{what}: {entries:#?}");
        for (entry, (outcome, keys)) in entries.iter().zip(expected) {
            assert_eq!(entry["outcome"], outcome, "{what}: {entry}");
            assert_eq!(entry["affected"], keys.len(), "{what}: {entry}");
            assert_eq!(entry["keys_sha256"], digest_of(keys), "{what}: {entry}");
        }
        ok(&s.run(&["evidence", "verify"], None).await, &what);
        close(store).await;
    }
}
