//! Timestamps as applications store them: fractions of a second in text, Unix seconds in a
//! 32-bit integer column.

use std::time::Duration;

use chrono::TimeDelta;
use gallra::policy::spec::TimestampFormat;
use gallra::retention::{run_rule, Outcome, RunReport};
use sea_orm::ConnectionTrait;

use crate::datasources::{fourteen_days, kinds, Kind};
use crate::helpers::TestApp;
use crate::retention::{batches_of_seven, now, scenario};

const RULE: &str = "meeting-participants";

/// A run in batches of 7, given a minute: a batch loop that cannot move on fails, not hangs.
async fn purge_in_sevens(app: &TestApp) -> RunReport {
    let run = run_rule(&app.state, RULE, batches_of_seven(), |_| {});
    tokio::time::timeout(Duration::from_secs(60), run)
        .await
        .expect("the purge ended within a minute")
        .unwrap()
}

#[tokio::test]
async fn sqlite_text_timestamps_with_fractions_of_one_second_go_batch_by_batch() {
    let (app, ds, _p) = scenario(Kind::Sqlite, TimestampFormat::Sql, &fourteen_days(now())).await;
    // 20 more expired rows within one second, 50 ms apart, as `strftime('%f')` writes them: a
    // batch's bound falls inside that second.
    let second = (now() - TimeDelta::days(10)).format("%Y-%m-%d %H:%M:%S");
    for i in 0..20 {
        ds.db
            .execute_unprepared(&format!(
                "INSERT INTO participants (id, registered_at) VALUES ({}, '{second}.{:03}')",
                1000 + i,
                i * 50
            ))
            .await
            .unwrap();
    }
    let report = purge_in_sevens(&app).await;
    assert_eq!(report.outcome, Outcome::Succeeded, "{report:?}");
    assert_eq!(report.counts.affected, 90);
    assert_eq!(ds.ids().await.len(), 70);
}

#[tokio::test]
async fn unix_seconds_in_a_32_bit_integer_column_bound_the_batches_and_the_oldest_row() {
    for kind in kinds() {
        let rows = fourteen_days(now());
        let (app, ds, _p) = scenario(kind, TimestampFormat::UnixSeconds, &rows).await;
        let narrow = match kind {
            Kind::Postgres => "ALTER TABLE participants ALTER COLUMN registered_at TYPE integer",
            Kind::MariaDb => "ALTER TABLE participants MODIFY registered_at INT",
            // SQLite's integers have no width.
            Kind::Sqlite => "SELECT 1",
        };
        ds.db.execute_unprepared(narrow).await.unwrap();
        let report = purge_in_sevens(&app).await;
        assert_eq!(report.outcome, Outcome::Succeeded, "{kind:?}: {report:?}");
        assert_eq!(report.counts.affected, 70, "{kind:?}");
        assert!(report.batches >= 10, "{kind:?}: batches of 7: {report:?}");
        // Row 70, 6 days and 10 minutes old, is the oldest left.
        assert_eq!(report.oldest_remaining, Some(rows[69].1), "{kind:?}");
    }
}
