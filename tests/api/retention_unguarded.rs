//! A rule without guards counts nothing before it changes rows: its rows matched are those it
//! changed, held and left. On PostgreSQL its sweep goes by the server's estimates and stops
//! where a range finds no row over age; the post-condition finds any rows past such a gap.

use gallra::policy::spec::TimestampFormat;
use gallra::retention::{run_rule, Outcome, RunOptions, RunReport};
use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::datasources::{fourteen_days, kinds, Fixture, Kind};
use crate::helpers::{copy_policies, edit, seed_policies, TestApp};
use crate::retention::{digest_of, hold_71_and_140, now, pages, reference_row_130};

const RULE: &str = "meeting-participants";

/// The seed register with the Digitalt möte rule's guards taken out, on these rows.
async fn unguarded(
    kind: Kind,
    rows: &[(i64, chrono::DateTime<chrono::Utc>)],
) -> (TestApp, Fixture, tempfile::TempDir) {
    let policies = tempfile::tempdir().unwrap();
    copy_policies(&seed_policies(), policies.path());
    for guard in ["max_rows = 100000\n", "max_percent = 50\n"] {
        edit(policies.path(), "digitalt-mote.toml", guard, "");
    }
    let ds = Fixture::participants(kind, TimestampFormat::Sql, rows).await;
    let app = ds.meetings_app(policies.path()).await;
    (app, ds, policies)
}

/// PostgreSQL's statistics of the table, which an unguarded sweep goes by.
async fn analyze(ds: &Fixture) {
    ds.db
        .execute_unprepared("ANALYZE participants")
        .await
        .unwrap();
}

#[tokio::test]
async fn without_guards_rows_matched_are_those_changed_held_and_left() {
    for kind in kinds() {
        let (app, ds, _p) = unguarded(kind, &fourteen_days(now())).await;
        hold_71_and_140(&app).await;
        let report = run_rule(&app.state, RULE, RunOptions::manual(false), |_| {})
            .await
            .unwrap();
        assert_eq!(report.outcome, Outcome::Succeeded, "{kind:?}: {report:?}");
        assert_eq!(
            (
                report.counts.table_rows,
                report.counts.matched,
                report.counts.held,
                report.counts.affected
            ),
            (None, 70, 2, 68),
            "{kind:?}: the table is not counted; 68 deleted and 2 held of 70 over age"
        );
        assert_eq!(report.remaining_over_age, Some(0), "{kind:?}");
        assert_eq!(
            report.keys_sha256.as_deref(),
            Some(digest_of(72..=139).as_str()),
            "{kind:?}"
        );
        let left = ds.ids().await;
        assert!(
            left.contains(&71) && left.contains(&140) && left.len() == 72,
            "{kind:?}: {left:?}"
        );
        // A dry run still counts the table, as what a run would do.
        let dry = run_rule(&app.state, RULE, RunOptions::manual(true), |_| {})
            .await
            .unwrap();
        assert_eq!(
            (dry.counts.table_rows, dry.counts.matched, dry.counts.held),
            (Some(72), 2, 2),
            "{kind:?}"
        );
    }
}

/// An unguarded run in batches of 100 over `rows` on an analyzed PostgreSQL table: its report,
/// the datasource, and the table's pages before it.
async fn swept(rows: &[(i64, chrono::DateTime<chrono::Utc>)]) -> (RunReport, Fixture, i64) {
    let (app, ds, _p) = unguarded(Kind::Postgres, rows).await;
    analyze(&ds).await;
    let pages = pages(&ds).await;
    let opts = RunOptions {
        batch: 100,
        ..RunOptions::manual(false)
    };
    let report = run_rule(&app.state, RULE, opts, |_| {}).await.unwrap();
    (report, ds, pages)
}

#[tokio::test]
async fn an_unguarded_postgresql_sweep_stops_at_the_first_range_past_the_expired_rows() {
    if !kinds().contains(&Kind::Postgres) {
        return;
    }
    // 2,000 rows written oldest first, the older half expired.
    let rows: Vec<(i64, chrono::DateTime<chrono::Utc>)> = (1..=2_000)
        .map(|id| {
            let age = 10_080 + (1_000 - id) * 10 + 5;
            (id, now() - chrono::TimeDelta::minutes(age))
        })
        .collect();
    let (report, ds, pages) = swept(&rows).await;
    assert_eq!(report.outcome, Outcome::Succeeded, "{report:?}");
    assert_eq!(
        (report.counts.matched, report.counts.affected),
        (1_000, 1_000)
    );
    assert_eq!(ds.ids().await, (1_001..=2_000).collect::<Vec<i64>>());
    assert_eq!(
        report.keys_sha256.as_deref(),
        Some(digest_of(1..=1_000).as_str())
    );
    let step = (100 * pages / 2_000).max(1);
    let whole_sweep = (pages / step + 1) as u64;
    // The ranges of the expired half, then at most the two in flight when one came back empty.
    assert!(
        report.batches > 2 && report.batches <= whole_sweep / 2 + 3,
        "{} batches; a whole sweep is {whole_sweep}",
        report.batches
    );
}

#[tokio::test]
async fn rows_over_age_past_a_gap_an_unguarded_sweep_stopped_at_are_found_and_deleted() {
    if !kinds().contains(&Kind::Postgres) {
        return;
    }
    // Stored in this order: 1,000 expired rows, 1,000 fresh ones, then 1,000 expired again (an
    // import of old records). The sweep stops at the first range of fresh rows.
    let rows: Vec<(i64, chrono::DateTime<chrono::Utc>)> = (1..=3_000)
        .map(|id| {
            let days = if (1_001..=2_000).contains(&id) { 1 } else { 10 };
            (id, now() - chrono::TimeDelta::days(days))
        })
        .collect();
    let (report, ds, pages) = swept(&rows).await;
    assert_eq!(report.outcome, Outcome::Succeeded, "{report:?}");
    assert_eq!(report.remaining_over_age, Some(0));
    // The sweep went on from where it stopped to the table's end, every block once: not by
    // timestamp ranges, which would walk the index entries it left dead.
    let step = (100 * pages / 3_000).max(1);
    let whole_sweep = (pages / step + 1) as u64;
    assert_eq!(report.batches, whole_sweep, "{report:?}");
    assert_eq!(
        (report.counts.matched, report.counts.affected),
        (2_000, 2_000)
    );
    assert_eq!(ds.ids().await, (1_001..=2_000).collect::<Vec<i64>>());
    assert_eq!(
        report.keys_sha256.as_deref(),
        Some(digest_of((1..=1_000).chain(2_001..=3_000)).as_str())
    );
}

#[tokio::test]
async fn an_unguarded_purge_failing_part_way_counts_as_matched_what_it_changed_and_what_is_left() {
    for kind in kinds() {
        let (app, ds, _p) = unguarded(kind, &fourteen_days(now())).await;
        // Row 130 is referenced: the second batch of 7 fails, the first stays deleted.
        reference_row_130(&ds).await;
        let opts = RunOptions {
            batch: 7,
            ..RunOptions::manual(false)
        };
        let report = run_rule(&app.state, RULE, opts, |_| {}).await.unwrap();
        assert_eq!(report.outcome, Outcome::Failed, "{kind:?}: {report:?}");
        assert_eq!(
            (report.counts.matched, report.counts.affected),
            (70, 7),
            "{kind:?}: 7 deleted of 70 over age"
        );
        let index = report.evidence_index.expect("evidence entry");
        let entry = gallra::evidence::entry(&app.db, index)
            .await
            .unwrap()
            .unwrap();
        let v: serde_json::Value = serde_json::from_str(&entry).unwrap();
        assert_eq!(
            (&v["matched"], &v["affected"]),
            (&json!(70), &json!(7)),
            "{kind:?}: {entry}"
        );
    }
}
