//! Retention runs against SQLite, PostgreSQL and MariaDB datasources: only expired rows go,
//! holds and guards are respected, the post-condition and the evidence prove it.

use gallra::auth::Role;
use gallra::clock::Clock;
use gallra::policy::spec::TimestampFormat;
use gallra::retention::{run_rule, Outcome, RunOptions};
use sea_orm::ConnectionTrait;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::datasources::{fourteen_days, kinds, Fixture, Kind};
use crate::helpers::{copy_policies, edit, seed_policies, TestApp};

const RULE: &str = "meeting-participants";

/// The seed register, with the Digitalt möte rule's timestamp format set to `format`.
pub async fn scenario(
    kind: Kind,
    format: TimestampFormat,
    rows: &[(i64, chrono::DateTime<chrono::Utc>)],
) -> (TestApp, Fixture, tempfile::TempDir) {
    let policies = tempfile::tempdir().unwrap();
    copy_policies(&seed_policies(), policies.path());
    let name = serde_json::to_value(format)
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned();
    edit(
        policies.path(),
        "digitalt-mote.toml",
        "timestamp_format = \"sql\"",
        &format!("timestamp_format = \"{name}\""),
    );
    let ds = Fixture::participants(kind, format, rows).await;
    let app = ds.meetings_app(policies.path()).await;
    (app, ds, policies)
}

/// A manual run in batches of 7 rows, past any guard.
pub(crate) fn batches_of_seven() -> RunOptions {
    RunOptions {
        batch: 7,
        approved_by: Some("test".into()),
        ..RunOptions::manual(false)
    }
}

/// A run's digest of these keys: SHA-256 over each key and a newline, in key order.
pub(crate) fn digest_of(keys: impl IntoIterator<Item = i64>) -> String {
    let mut keys: Vec<i64> = keys.into_iter().collect();
    keys.sort();
    let text: String = keys.iter().map(|k| format!("{k}\n")).collect();
    hex::encode(Sha256::digest(text.as_bytes()))
}

pub(crate) fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 23, 9, 0, 0).unwrap()
}

#[tokio::test]
async fn purge_removes_only_expired_rows_proves_it_and_logs_evidence() {
    for kind in kinds() {
        for format in [
            TimestampFormat::Sql,
            TimestampFormat::Iso8601,
            TimestampFormat::UnixSeconds,
            TimestampFormat::UnixMillis,
        ] {
            let (app, ds, _p) = scenario(kind, format, &fourteen_days(now())).await;
            let report = run_rule(&app.state, RULE, RunOptions::manual(false), |_| {})
                .await
                .unwrap();

            assert_eq!(
                report.outcome,
                Outcome::Succeeded,
                "{kind:?} {format:?}: {report:?}"
            );
            assert_eq!(
                (
                    report.counts.table_rows,
                    report.counts.matched,
                    report.counts.affected
                ),
                (Some(140), 70, 70),
                "{kind:?} {format:?}"
            );
            assert_eq!(
                ds.ids().await,
                (1..=70).collect::<Vec<i64>>(),
                "{kind:?} {format:?}"
            );
            assert_eq!(report.remaining_over_age, Some(0));
            // Fewer rows than a batch: one batch, whichever way the backend goes (on PostgreSQL
            // a block sweep, which leaves the timestamp loop nothing to do).
            assert_eq!(report.batches, 1, "{kind:?} {format:?}");
            assert_eq!(
                report.keys_sha256.as_deref(),
                Some(digest_of(71..=140).as_str())
            );
            let oldest = report.oldest_remaining.expect("oldest remaining");
            assert!(
                oldest >= report.cutoff,
                "{kind:?} {format:?}: {oldest} < {}",
                report.cutoff
            );

            let index = report.evidence_index.expect("evidence entry");
            let entry = gallra::evidence::entry(&app.db, index)
                .await
                .unwrap()
                .unwrap();
            let v: serde_json::Value = serde_json::from_str(&entry).unwrap();
            assert_eq!(v["kind"], "retention_run");
            assert_eq!(v["affected"], 70);
            assert_eq!(v["rule_hash"].as_str().unwrap().len(), 64);
            assert!(
                !entry.contains("Deltagare")
                    && !entry.contains("session-")
                    && !entry.contains("\"71\""),
                "no personal data: {entry}"
            );
            gallra::evidence::verify::verify(&app.db, &app.keys)
                .await
                .expect("the log verifies");
        }
    }
}

#[tokio::test]
async fn a_dry_run_reports_and_changes_nothing() {
    for kind in kinds() {
        let (app, ds, _p) = scenario(kind, TimestampFormat::Sql, &fourteen_days(now())).await;
        let before = gallra::evidence::size(&app.db).await.unwrap();
        let report = run_rule(&app.state, RULE, RunOptions::manual(true), |_| {})
            .await
            .unwrap();
        assert_eq!(report.outcome, Outcome::DryRun);
        assert_eq!(report.counts.affected, 70);
        assert_eq!(ds.ids().await.len(), 140, "{kind:?}");
        assert_eq!(
            gallra::evidence::size(&app.db).await.unwrap(),
            before,
            "a dry run writes no evidence"
        );
    }
}

#[tokio::test]
async fn a_run_over_its_guard_waits_for_a_dpo_and_the_approval_is_evidence() {
    for kind in kinds() {
        // 12 of 14 days expired: 86 % of the table, over max_percent = 50.
        let rows: Vec<_> = fourteen_days(now() - chrono::TimeDelta::days(5));
        let (app, ds, _p) = scenario(kind, TimestampFormat::Sql, &rows).await;
        let operator = app.token(Role::Operator).await;
        let r = app
            .post_json(
                &format!("/api/v1/retention/rules/{RULE}/runs"),
                &operator,
                json!({"dry_run": false}),
            )
            .await;
        assert_eq!(r.status(), 200);
        let report: serde_json::Value = r.json().await.unwrap();
        assert_eq!(report["outcome"], "awaiting_approval", "{kind:?}: {report}");
        assert!(report["error"].as_str().unwrap().contains("max_percent"));
        assert_eq!(ds.ids().await.len(), 140, "nothing changes before approval");

        let run_id = report["run_id"].as_i64().unwrap();
        let path = format!("/api/v1/retention/runs/{run_id}/approval");
        assert_eq!(
            app.post_json(&path, &operator, json!({"reason": "x"}))
                .await
                .status(),
            403,
            "an operator may not approve"
        );
        let dpo = app.token(Role::Dpo).await;
        let r = app
            .post_json(
                &path,
                &dpo,
                json!({"reason": "Controller confirmed the backlog purge"}),
            )
            .await;
        assert_eq!(r.status(), 200);
        let approved: serde_json::Value = r.json().await.unwrap();
        assert_eq!(approved["outcome"], "succeeded", "{approved}");
        assert_eq!(ds.ids().await.len(), 20);
        assert_eq!(
            app.post_json(&path, &dpo, json!({"reason": "again"}))
                .await
                .status(),
            409,
            "approved once"
        );
        let kinds_logged = evidence_kinds(&app).await;
        assert!(kinds_logged.contains(&"run_approved".to_string()));
        // The reason is kept on the run; the evidence holds its hash, not the text.
        let runs = app
            .get_json(&format!(
                "/api/v1/retention/runs?rule={RULE}&outcome=approved"
            ))
            .await;
        let reason = "Controller confirmed the backlog purge";
        assert_eq!(runs["items"][0]["approval_reason"], reason, "{runs}");
        let n = gallra::evidence::size(&app.db).await.unwrap();
        let entries = gallra::evidence::entries(&app.db, 0, n).await.unwrap();
        let approved = entries
            .iter()
            .find(|(_, e)| e.contains("\"run_approved\""))
            .unwrap();
        let sha = hex::encode(Sha256::digest(reason.as_bytes()));
        assert!(
            approved.1.contains(&sha) && !approved.1.contains(reason),
            "{}",
            approved.1
        );
    }
}

async fn evidence_kinds(app: &TestApp) -> Vec<String> {
    let n = gallra::evidence::size(&app.db).await.unwrap();
    let mut out = Vec::new();
    for (_, e) in gallra::evidence::entries(&app.db, 0, n).await.unwrap() {
        out.push(
            serde_json::from_str::<serde_json::Value>(&e).unwrap()["kind"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    out
}

#[tokio::test]
async fn legal_holds_keep_their_rows_and_are_counted_as_held() {
    for kind in kinds() {
        let (app, ds, _p) = scenario(kind, TimestampFormat::Sql, &fourteen_days(now())).await;
        let dpo = hold_71_and_140(&app).await;
        let report = run_rule(&app.state, RULE, RunOptions::manual(false), |_| {})
            .await
            .unwrap();
        assert_eq!(report.outcome, Outcome::Succeeded, "{kind:?}: {report:?}");
        assert_eq!((report.counts.held, report.counts.affected), (2, 68));
        let left = ds.ids().await;
        assert!(
            left.contains(&71) && left.contains(&140) && left.len() == 72,
            "{kind:?}: {left:?}"
        );

        // A hold on the whole rule stops every deletion until it is lifted.
        ds.insert(&[(1000, now() - chrono::TimeDelta::days(30))])
            .await;
        let r = app
            .post_json(
                &format!("/api/v1/retention/rules/{RULE}/holds"),
                &dpo,
                json!({"reason": "Rättslig prövning"}),
            )
            .await;
        let hold: serde_json::Value = r.json().await.unwrap();
        let report = run_rule(&app.state, RULE, RunOptions::manual(false), |_| {})
            .await
            .unwrap();
        assert_eq!((report.counts.affected, report.counts.held), (0, 3));
        assert!(ds.ids().await.contains(&1000));
        let lift = app
            .client
            .delete(format!(
                "{}/api/v1/retention/holds/{}",
                app.address, hold["id"]
            ))
            .bearer_auth(&dpo)
            .send()
            .await
            .unwrap();
        assert_eq!(lift.status(), 200);
        let report = run_rule(&app.state, RULE, RunOptions::manual(false), |_| {})
            .await
            .unwrap();
        assert_eq!(report.counts.affected, 1);
        assert!(!ds.ids().await.contains(&1000));
        let logged = evidence_kinds(&app).await;
        assert!(
            logged.contains(&"hold_placed".to_string())
                && logged.contains(&"hold_lifted".to_string())
        );
    }
}

/// This rule's row of `GET /api/v1/retention/breaches`.
async fn breach_of(app: &TestApp) -> serde_json::Value {
    let all = app.get_json("/api/v1/retention/breaches").await;
    all.as_array()
        .unwrap()
        .iter()
        .find(|x| x["rule"] == RULE)
        .unwrap()
        .clone()
}

#[tokio::test]
async fn breaches_show_over_age_rows_whoever_deletes() {
    for kind in kinds() {
        let (app, ds, _p) = scenario(kind, TimestampFormat::Sql, &fourteen_days(now())).await;
        let rule = breach_of(&app).await;
        assert_eq!(rule["compliant"], false, "{kind:?}: {rule}");
        assert_eq!(rule["over_age"], 70);
        assert!(rule["oldest_age_seconds"].as_i64().unwrap() >= 13 * 86_400);
        // Someone else deletes the old rows: the rule is compliant, whoever did it.
        ds.db
            .execute_unprepared("DELETE FROM participants WHERE id > 70")
            .await
            .unwrap();
        let rule = breach_of(&app).await;
        assert_eq!(rule["compliant"], true, "{rule}");
    }
}

#[tokio::test]
async fn an_unset_datasource_or_missing_table_is_a_failed_run_with_its_reason() {
    let app = TestApp::spawn().await;
    let report = run_rule(&app.state, RULE, RunOptions::manual(false), |_| {})
        .await
        .unwrap();
    assert_eq!(report.outcome, Outcome::Failed);
    assert!(
        report
            .error
            .as_deref()
            .unwrap()
            .contains("GALLRA_DATASOURCE_MEETINGS"),
        "{report:?}"
    );
    let runs = app
        .get_json(&format!(
            "/api/v1/retention/runs?rule={RULE}&outcome=failed"
        ))
        .await;
    assert_eq!(runs["total"], 1);

    let (app, ds, _p) = scenario(Kind::Sqlite, TimestampFormat::Sql, &[]).await;
    ds.db
        .execute_unprepared("DROP TABLE participants")
        .await
        .unwrap();
    let report = run_rule(&app.state, RULE, RunOptions::manual(false), |_| {})
        .await
        .unwrap();
    assert_eq!(report.outcome, Outcome::Failed);
    assert!(
        report.error.as_deref().unwrap().contains("participants"),
        "{report:?}"
    );
    let unknown = app
        .post_json(
            "/api/v1/retention/rules/no-such-rule/runs",
            &app.token(Role::Admin).await,
            json!({}),
        )
        .await;
    assert_eq!(unknown.status(), 404);
}

#[tokio::test]
async fn rules_are_listed_with_their_next_run_in_their_time_zone() {
    let app = TestApp::spawn().await;
    let rules = app.get_json("/api/v1/retention/rules").await;
    let r = rules
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == RULE)
        .unwrap();
    // 2026-11-23 09:00 UTC: next 02:30 Stockholm (CET) is 2026-11-24 01:30 UTC.
    assert_eq!(r["next_run"], "2026-11-24T01:30:00Z");
    assert_eq!(app.clock.now(), now());
}

#[tokio::test]
async fn purge_on_the_command_line_prints_its_report_as_json() {
    let (app, ds, _p) = scenario(
        Kind::Sqlite,
        TimestampFormat::Sql,
        &fourteen_days(chrono::Utc::now()),
    )
    .await;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gallra"))
        .args(["purge", RULE, "--dry-run", "--json"])
        .env("GALLRA_DATABASE_URL", &app.database_url)
        .env("GALLRA_DATA_DIR", app.dir.path())
        .env("GALLRA_DATASOURCE_MEETINGS", &ds.url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["outcome"], "dry_run");
    assert_eq!(report["affected"], 70);
    assert_eq!(ds.ids().await.len(), 140);
}

#[tokio::test]
async fn small_batches_purge_exactly_the_same_rows_even_across_equal_timestamps() {
    for kind in kinds() {
        // 14 days plus 25 rows sharing one expired instant, so batches of 7 split a run of equal timestamps.
        let mut rows = fourteen_days(now());
        rows.extend((1001..=1025).map(|id| (id, now() - chrono::TimeDelta::days(9))));
        let (app, ds, _p) = scenario(kind, TimestampFormat::Sql, &rows).await;
        let report = run_rule(&app.state, RULE, batches_of_seven(), |_| {})
            .await
            .unwrap();
        assert_eq!(report.outcome, Outcome::Succeeded, "{kind:?}: {report:?}");
        assert_eq!(report.counts.affected, 95, "{kind:?}");
        assert!(report.batches >= 10, "{kind:?}: {} batches", report.batches);
        assert_eq!(ds.ids().await, (1..=70).collect::<Vec<i64>>(), "{kind:?}");
        assert_eq!(
            report.keys_sha256.as_deref(),
            Some(digest_of((71..=140).chain(1001..=1025)).as_str())
        );
    }
}

#[tokio::test]
async fn a_purge_failing_part_way_records_what_its_committed_batches_deleted() {
    for kind in kinds() {
        let (app, ds, _p) = scenario(kind, TimestampFormat::Sql, &fourteen_days(now())).await;
        // Row 130 is referenced: the batch holding it (the second of 7: ids 133..=127) fails.
        reference_row_130(&ds).await;
        let report = run_rule(&app.state, RULE, batches_of_seven(), |_| {})
            .await
            .unwrap();
        assert_eq!(report.outcome, Outcome::Failed, "{kind:?}: {report:?}");
        let error = report.error.clone().unwrap_or_default();
        assert!(
            error.contains("after 7 rows changed in 1 batches"),
            "{kind:?}: {error}"
        );
        // The first batch (the 7 oldest) stays deleted, and the run says so.
        assert_eq!(ds.ids().await, (1..=133).collect::<Vec<i64>>(), "{kind:?}");
        assert_eq!(report.counts.affected, 7, "{kind:?}");
        let digest = digest_of(134..=140);
        assert_eq!(
            report.keys_sha256.as_deref(),
            Some(digest.as_str()),
            "{kind:?}"
        );
        let index = report.evidence_index.expect("evidence entry");
        let entry = gallra::evidence::entry(&app.db, index)
            .await
            .unwrap()
            .unwrap();
        let v: serde_json::Value = serde_json::from_str(&entry).unwrap();
        assert_eq!(
            (&v["outcome"], &v["affected"], &v["keys_sha256"]),
            (&json!("failed"), &json!(7), &json!(digest)),
            "{kind:?}: {entry}"
        );
    }
}

#[tokio::test]
async fn a_batch_whose_row_a_concurrent_writer_changes_is_retried_on_postgresql() {
    if !kinds().contains(&Kind::Postgres) {
        return;
    }
    let (app, ds, _p) = scenario(Kind::Postgres, TimestampFormat::Sql, &fourteen_days(now())).await;
    // Another writer changes expired row 140 and holds it: the batch reads its keys, then its
    // DELETE waits for the writer, whose commit leaves the batch's snapshot stale (SQLSTATE
    // 40001). The batch must be retried on a fresh snapshot, not fail the run.
    let writer = sea_orm::Database::connect(&ds.url).await.unwrap();
    let txn = sea_orm::TransactionTrait::begin(&writer).await.unwrap();
    txn.execute_unprepared("UPDATE participants SET name = 'changed' WHERE id = 140")
        .await
        .unwrap();
    let release = async {
        // The writer commits only once the purge waits for its lock.
        for _ in 0..1_000 {
            let waiting = writer
                .query_one_raw(sea_orm::Statement::from_string(
                    sea_orm::DatabaseBackend::Postgres,
                    "SELECT COUNT(*) AS n FROM pg_stat_activity \
                     WHERE datname = current_database() AND wait_event_type = 'Lock'",
                ))
                .await
                .unwrap()
                .unwrap()
                .try_get::<i64>("", "n")
                .unwrap();
            if waiting > 0 {
                txn.commit().await.unwrap();
                return true;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        false
    };
    let purge = run_rule(&app.state, RULE, RunOptions::manual(false), |_| {});
    let (report, waited) = tokio::join!(purge, release);
    assert!(waited, "the purge never waited for the writer's lock");
    let report = report.unwrap();
    assert_eq!(report.outcome, Outcome::Succeeded, "{report:?}");
    assert_eq!(report.counts.affected, 70);
    assert_eq!(ds.ids().await, (1..=70).collect::<Vec<i64>>());
    assert_eq!(
        report.keys_sha256.as_deref(),
        Some(digest_of(71..=140).as_str())
    );
}

#[tokio::test]
async fn a_postgresql_sweep_of_many_block_ranges_stops_where_the_expired_rows_end() {
    if !kinds().contains(&Kind::Postgres) {
        return;
    }
    // 2,000 rows written oldest first, the older half expired: the expired rows fill the first
    // half of the table's blocks.
    let rows: Vec<(i64, chrono::DateTime<chrono::Utc>)> = (1..=2_000)
        .map(|id| {
            let age = 10_080 + (1_000 - id) * 10 + 5;
            (id, now() - chrono::TimeDelta::minutes(age))
        })
        .collect();
    let (app, ds, _p) = scenario(Kind::Postgres, TimestampFormat::Sql, &rows).await;
    let pages = pages(&ds).await;
    // Ranges of about 100 rows: many of them, swept two at a time.
    let opts = RunOptions {
        batch: 100,
        ..batches_of_seven()
    };
    let report = run_rule(&app.state, RULE, opts, |_| {}).await.unwrap();
    assert_eq!(report.outcome, Outcome::Succeeded, "{report:?}");
    assert_eq!(report.counts.affected, 1_000);
    assert_eq!(ds.ids().await, (1_001..=2_000).collect::<Vec<i64>>());
    assert_eq!(
        report.keys_sha256.as_deref(),
        Some(digest_of(1..=1_000).as_str())
    );
    let step = (100 * pages / 2_000).max(1);
    let whole_sweep = (pages / step + 1) as u64;
    // No range begins while those in flight could hold every row left: none past the end.
    assert!(
        report.batches > 2 && report.batches <= whole_sweep / 2 + 1,
        "{} batches; a whole sweep is {whole_sweep}",
        report.batches
    );
}

/// A DPO's hold on the rule's rows 71 and 140, both over age; the DPO's token.
pub(crate) async fn hold_71_and_140(app: &TestApp) -> String {
    let dpo = app.token(Role::Dpo).await;
    let r = app
        .post_json(
            &format!("/api/v1/retention/rules/{RULE}/holds"),
            &dpo,
            json!({"keys": ["71", "140"], "reason": "Tillsynsärende"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    dpo
}

/// A row of another table references participant 130: deleting it fails.
pub(crate) async fn reference_row_130(ds: &Fixture) {
    ds.db
        .execute_unprepared(
            "CREATE TABLE attendance (participant_id BIGINT, \
             FOREIGN KEY (participant_id) REFERENCES participants (id))",
        )
        .await
        .unwrap();
    ds.db
        .execute_unprepared("INSERT INTO attendance (participant_id) VALUES (130)")
        .await
        .unwrap();
}

/// The PostgreSQL participants table's blocks.
pub(crate) async fn pages(ds: &Fixture) -> i64 {
    ds.db
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DatabaseBackend::Postgres,
            "SELECT pg_relation_size('participants') / current_setting('block_size')::bigint AS n",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "n")
        .unwrap()
}

/// The seed policies with the purge rule turned into `action` (anonymize), and its datasource.
async fn anonymizing(kind: Kind, action: &str) -> (tempfile::TempDir, Fixture) {
    let policies = tempfile::tempdir().unwrap();
    copy_policies(&seed_policies(), policies.path());
    edit(
        policies.path(),
        "digitalt-mote.toml",
        "action = \"delete\"",
        action,
    );
    (
        policies,
        Fixture::participants(kind, TimestampFormat::Sql, &fourteen_days(now())).await,
    )
}

#[tokio::test]
async fn anonymize_sets_the_listed_columns_to_null_and_keeps_the_rows() {
    for kind in kinds() {
        let (policies, ds) = anonymizing(kind, "action = \"anonymize\"\nanonymize = { columns = [\"name\", \"personnummer\"], method = \"null\" }").await;
        let app = ds.meetings_app(policies.path()).await;
        let report = run_rule(&app.state, RULE, RunOptions::manual(false), |_| {})
            .await
            .unwrap();
        assert_eq!(report.outcome, Outcome::Succeeded, "{kind:?}: {report:?}");
        assert_eq!(report.counts.affected, 70);
        assert_eq!(ds.ids().await.len(), 140, "rows stay");
        let backend = ds.db.get_database_backend();
        let nulls = ds.db.query_one_raw(sea_orm::Statement::from_string(backend, "SELECT COUNT(*) FROM participants WHERE name IS NULL AND personnummer IS NULL AND id > 70 AND session_id IS NOT NULL")).await.unwrap().unwrap();
        assert_eq!(nulls.try_get_by_index::<i64>(0).unwrap(), 70, "{kind:?}");
        let again = run_rule(&app.state, RULE, RunOptions::manual(false), |_| {})
            .await
            .unwrap();
        assert_eq!(
            (
                again.counts.matched,
                again.counts.affected,
                again.remaining_over_age
            ),
            (0, 0, Some(0)),
            "anonymized rows are done"
        );
    }
}

#[tokio::test]
async fn anonymize_with_a_keyed_hash_keeps_equal_values_equal_and_is_done_once() {
    for kind in kinds() {
        let (policies, ds) = anonymizing(kind, "action = \"anonymize\"\nanonymize = { columns = [\"name\", \"personnummer\"], method = \"hash\" }").await;
        ds.db
            .execute_unprepared("UPDATE participants SET name = 'Samma Namn' WHERE id IN (80, 90)")
            .await
            .unwrap();
        if kind == Kind::Postgres {
            // A 32-bit key, which the UPDATE must still find each row by.
            ds.db
                .execute_unprepared("ALTER TABLE participants ALTER COLUMN id TYPE integer")
                .await
                .unwrap();
        }
        let app = ds.meetings_app(policies.path()).await;
        let opts = RunOptions {
            approved_by: Some("test".into()),
            ..RunOptions::manual(false)
        };
        let report = run_rule(&app.state, RULE, opts.clone(), |_| {})
            .await
            .unwrap();
        assert_eq!(report.outcome, Outcome::Succeeded, "{kind:?}: {report:?}");
        assert_eq!(report.counts.affected, 70);
        let backend = ds.db.get_database_backend();
        let names = ds
            .db
            .query_all_raw(sea_orm::Statement::from_string(
                backend,
                "SELECT id, name, personnummer FROM participants ORDER BY id",
            ))
            .await
            .unwrap();
        let row = |id: i64| {
            names
                .iter()
                .find(|r| {
                    let i64_or_i32 = r.try_get::<i64>("", "id");
                    i64_or_i32
                        .or_else(|_| r.try_get::<i32>("", "id").map(i64::from))
                        .unwrap()
                        == id
                })
                .unwrap()
        };
        let name = |id: i64| row(id).try_get::<String>("", "name").unwrap();
        assert!(
            name(80).starts_with("hmac-sha256:") && name(80).len() == 12 + 64,
            "{kind:?}: {}",
            name(80)
        );
        assert_eq!(name(80), name(90), "equal values, equal hashes");
        assert!(
            row(100)
                .try_get::<String>("", "personnummer")
                .unwrap()
                .starts_with("hmac-sha256:"),
            "the personnummer is gone"
        );
        assert_eq!(name(1), "Deltagare 1", "fresh rows untouched");
        let again = run_rule(&app.state, RULE, opts.clone(), |_| {})
            .await
            .unwrap();
        assert_eq!(
            (again.counts.affected, again.remaining_over_age),
            (0, Some(0)),
            "{kind:?}"
        );
        // A value written in since: its row is hashed again, its name, hashed already, is kept.
        ds.db
            .execute_unprepared(
                "UPDATE participants SET personnummer = '19121212-1212' WHERE id = 80",
            )
            .await
            .unwrap();
        let third = run_rule(&app.state, RULE, opts, |_| {}).await.unwrap();
        assert_eq!(third.counts.affected, 1, "{kind:?}");
        let name_80 = ds
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                backend,
                "SELECT name FROM participants WHERE id = 80",
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get::<String>("", "name")
            .unwrap();
        assert_eq!(name_80, name(90), "{kind:?}: a hash is not hashed again");
    }
}
