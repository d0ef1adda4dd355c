//! How a run reads the keys it digests, on every datasource kind: integer keys, text keys, and
//! the rows a table count must include though they have no timestamp.

use gallra::policy::spec::TimestampFormat;
use gallra::retention::{run_rule, Outcome};
use sea_orm::ConnectionTrait;
use sha2::{Digest, Sha256};

use crate::datasources::{fourteen_days, kinds, Fixture, Kind};
use crate::helpers::{copy_policies, edit, seed_policies};
use crate::retention::batches_of_seven;

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 23, 9, 0, 0).unwrap()
}

/// SHA-256 over the keys as text, sorted as text, one per line.
fn text_digest(mut keys: Vec<String>) -> String {
    keys.sort();
    let text: String = keys.iter().map(|k| format!("{k}\n")).collect();
    hex::encode(Sha256::digest(text.as_bytes()))
}

#[tokio::test]
async fn text_keys_are_digested_as_text_and_rows_without_a_timestamp_count_in_the_table() {
    for kind in kinds() {
        let policies = tempfile::tempdir().unwrap();
        copy_policies(&seed_policies(), policies.path());
        edit(
            policies.path(),
            "digitalt-mote.toml",
            "key = \"id\"",
            "key = \"session_id\"",
        );
        let ds = Fixture::participants(kind, TimestampFormat::Sql, &fourteen_days(now())).await;
        ds.db
            .execute_unprepared(
                "INSERT INTO participants (id, name, personnummer, session_id, registered_at) \
                 VALUES (999, 'Deltagare 999', '19990101-0999', 'session-999', NULL)",
            )
            .await
            .unwrap();
        let app = ds.meetings_app(policies.path()).await;
        // Batches of 7, so the keys of many batches make up the digest.
        let report = run_rule(
            &app.state,
            "meeting-participants",
            batches_of_seven(),
            |_| {},
        )
        .await
        .unwrap();
        assert_eq!(report.outcome, Outcome::Succeeded, "{kind:?}: {report:?}");
        assert_eq!(
            (report.counts.table_rows, report.counts.affected),
            (Some(141), 70),
            "{kind:?}: the row without a timestamp is in the table, not over age"
        );
        let expected = text_digest((71..=140).map(|i| format!("session-{i}")).collect());
        assert_eq!(
            report.keys_sha256.as_deref(),
            Some(expected.as_str()),
            "{kind:?}"
        );
        let mut left = ds.ids().await;
        left.sort();
        assert_eq!(
            left,
            (1..=70).chain([999]).collect::<Vec<i64>>(),
            "{kind:?}"
        );
    }
}

#[tokio::test]
async fn on_sqlite_the_delete_itself_gives_keys_a_read_could_not_split() {
    // A read gets a batch's keys joined by U+001F; a key holding that character cannot be told
    // apart there. On SQLite the keys come from the DELETE itself, one by one.
    let policies = tempfile::tempdir().unwrap();
    copy_policies(&seed_policies(), policies.path());
    edit(
        policies.path(),
        "digitalt-mote.toml",
        "key = \"id\"",
        "key = \"session_id\"",
    );
    let ds = Fixture::participants(Kind::Sqlite, TimestampFormat::Sql, &fourteen_days(now())).await;
    ds.db
        .execute_unprepared(
            "UPDATE participants SET session_id = 'session-' || char(31) || '-80' WHERE id = 80",
        )
        .await
        .unwrap();
    let app = ds.meetings_app(policies.path()).await;
    let report = run_rule(
        &app.state,
        "meeting-participants",
        batches_of_seven(),
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!(report.outcome, Outcome::Succeeded, "{report:?}");
    let keys = (71..=140).map(|i| match i {
        80 => "session-\u{1f}-80".to_string(),
        _ => format!("session-{i}"),
    });
    assert_eq!(
        report.keys_sha256.as_deref(),
        Some(text_digest(keys.collect()).as_str())
    );
}
