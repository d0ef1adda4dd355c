//! The scheduler with an injected clock: DST-correct occurrences, exactly once across replicas,
//! catch-up marked late, crashed runs resumed, failures retried with backoff.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Europe::Stockholm;
use entity::retention_runs;
use gallra::clock::Clock;
use gallra::policy::spec::TimestampFormat;
use gallra::retention::run::beating;
use gallra::scheduler::jobs::tick;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};

use crate::datasources::{fourteen_days, Fixture, Kind};
use crate::helpers::TestApp;
use crate::retention::scenario;

const RULE: &str = "meeting-participants";

fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Stockholm
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .earliest()
        .unwrap()
        .with_timezone(&Utc)
}

async fn scheduled_runs(app: &TestApp) -> Vec<retention_runs::Model> {
    retention_runs::Entity::find()
        .filter(retention_runs::Column::RuleId.eq(RULE))
        .filter(retention_runs::Column::ScheduledFor.is_not_null())
        .order_by_asc(retention_runs::Column::ScheduledFor)
        .all(&app.db)
        .await
        .unwrap()
}

fn local_times(runs: &[retention_runs::Model]) -> Vec<String> {
    runs.iter()
        .map(|r| {
            r.scheduled_for
                .unwrap()
                .with_timezone(&Stockholm)
                .format("%m-%d %H:%M %Z")
                .to_string()
        })
        .collect()
}

async fn app_with_datasource() -> (TestApp, Fixture, tempfile::TempDir) {
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    scenario(Kind::Sqlite, TimestampFormat::Sql, &fourteen_days(now)).await
}

/// Step the clock a day at a time from `from`, ticking at `hh:mm` local each day.
async fn nightly(app: &TestApp, since: DateTime<Utc>, days: &[(i32, u32, u32)], hh: u32, mm: u32) {
    for &(y, m, d) in days {
        app.clock.set(local(y, m, d, hh, mm));
        tick(&app.state, since).await.unwrap();
    }
}

#[tokio::test]
async fn runs_at_0230_local_across_spring_forward_and_once_on_the_night_without_0230() {
    let (app, _ds, _p) = app_with_datasource().await;
    let since = local(2027, 3, 26, 12, 0);
    nightly(
        &app,
        since,
        &[(2027, 3, 27), (2027, 3, 28), (2027, 3, 29)],
        4,
        0,
    )
    .await;
    let runs = scheduled_runs(&app).await;
    let times = local_times(&runs);
    assert_eq!(times.len(), 3, "{times:?}");
    assert_eq!(times[0], "03-27 02:30 CET");
    assert!(times[1].starts_with("03-28 03:"), "{times:?}");
    assert_eq!(times[2], "03-29 02:30 CEST");
    // The 2026 fixture rows are all over age by 2027: the guard holds every run for approval.
    assert!(
        runs.iter()
            .all(|r| r.outcome == gallra::retention::Outcome::AwaitingApproval),
        "{runs:?}"
    );
}

#[tokio::test]
async fn runs_once_at_0230_local_on_the_night_with_two_0230s() {
    let (app, _ds, _p) = app_with_datasource().await;
    let since = local(2027, 10, 29, 12, 0);
    // Tick every 30 minutes through the night of 31 October, when 02:00–03:00 comes twice.
    let mut t = local(2027, 10, 30, 1, 0);
    while t < local(2027, 11, 1, 4, 0) {
        app.clock.set(t);
        tick(&app.state, since).await.unwrap();
        t += TimeDelta::minutes(30);
    }
    let times = local_times(&scheduled_runs(&app).await);
    assert_eq!(
        times,
        vec!["10-30 02:30 CEST", "10-31 02:30 CEST", "11-01 02:30 CET"]
    );
}

#[tokio::test]
async fn a_rule_whose_datasource_is_unset_is_not_scheduled() {
    let app = TestApp::spawn().await; // no URL for `meetings`
    app.clock.set(local(2026, 11, 24, 2, 31));
    assert!(tick(&app.state, local(2026, 11, 23, 12, 0))
        .await
        .unwrap()
        .is_empty());
    assert!(scheduled_runs(&app).await.is_empty());
    let b = app.get_json("/api/v1/retention/breaches").await;
    assert!(
        b[0]["error"]
            .as_str()
            .unwrap()
            .contains("GALLRA_DATASOURCE_MEETINGS"),
        "{b}"
    );
}

#[tokio::test]
async fn two_replicas_never_run_one_occurrence_twice() {
    let (app, _ds, _p) = app_with_datasource().await;
    let (_, replica) = app.spawn_replica().await;
    app.clock.set(local(2026, 11, 24, 2, 31));
    let since = local(2026, 11, 23, 12, 0);
    let (a, b) = tokio::join!(tick(&app.state, since), tick(&replica, since));
    let ran = a.unwrap().len() + b.unwrap().len();
    assert_eq!(ran, 1, "exactly one replica ran the occurrence");
    let runs = scheduled_runs(&app).await;
    assert_eq!(runs.len(), 1);
    assert!(!runs[0].late);
}

/// A manual run holds the rule's lock when the occurrence falls due: the pass waits its turn
/// and runs the occurrence once the lock is free, rather than putting it off to a later pass
/// (for as long as people keep running the rule by hand).
#[tokio::test]
async fn a_due_occurrence_waits_for_a_manual_run_to_finish_and_then_runs() {
    let (app, ds, _p) = app_with_datasource().await;
    app.clock.set(local(2026, 11, 24, 2, 31));
    let since = local(2026, 11, 23, 12, 0);
    let manual = gallra::retention::lock::try_lock(&app.db, RULE)
        .await
        .unwrap()
        .expect("the lock is free");
    let state = app.state.clone();
    let mut pass = tokio::spawn(async move { tick(&state, since).await });
    // The pass does not give up on the occurrence while the lock is held (it used to return at
    // once, having run nothing).
    let early = tokio::time::timeout(std::time::Duration::from_secs(2), &mut pass).await;
    assert!(
        early.is_err(),
        "the pass ended while the manual run held the lock"
    );
    assert!(scheduled_runs(&app).await.is_empty());
    manual.release().await;
    let reports = pass.await.unwrap().unwrap();
    assert_eq!(reports.len(), 1, "the occurrence ran in the same pass");
    let runs = scheduled_runs(&app).await;
    assert_eq!(local_times(&runs), vec!["11-24 02:30 CET"]);
    assert_eq!(
        (runs[0].outcome.as_str(), runs[0].late),
        ("succeeded", false)
    );
    assert_eq!(ds.ids().await.len(), 70);
}

#[tokio::test]
async fn an_occurrence_missed_while_down_is_caught_up_and_marked_late() {
    let (app, ds, _p) = app_with_datasource().await;
    // Down since the 20th; started again on the 23rd at 09:00.
    tick(&app.state, local(2026, 11, 20, 12, 0)).await.unwrap();
    let runs = scheduled_runs(&app).await;
    assert_eq!(local_times(&runs), vec!["11-23 02:30 CET"]);
    assert!(runs[0].late);
    assert_eq!(runs[0].outcome, gallra::retention::Outcome::Succeeded);
    assert_eq!(ds.ids().await.len(), 70);
}

/// Run `id`'s row as it is now.
async fn run_row(app: &TestApp, id: i32) -> retention_runs::Model {
    retention_runs::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

/// The row of a scheduled run of `rule` that a crash cut off on `attempt`, begun at `occurrence`.
async fn cut_off(
    app: &TestApp,
    rule: &str,
    attempt: i32,
    occurrence: DateTime<Utc>,
) -> retention_runs::Model {
    retention_runs::ActiveModel {
        rule_id: Set(rule.into()),
        rule_hash: Set("x".into()),
        trigger: Set("schedule".into()),
        scheduled_for: Set(Some(occurrence)),
        late: Set(false),
        dry_run: Set(false),
        attempt: Set(attempt),
        created_at: Set(occurrence),
        started_at: Set(Some(occurrence)),
        outcome: Set(gallra::retention::Outcome::Running),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_run_cut_off_on_its_last_attempt_or_whose_rule_is_gone_is_settled_as_failed() {
    let (app, ds, _p) = app_with_datasource().await;
    let occurrence = local(2026, 11, 23, 2, 30);
    let last = cut_off(
        &app,
        RULE,
        gallra::scheduler::jobs::MAX_ATTEMPTS,
        occurrence,
    )
    .await;
    let retired = cut_off(&app, "a-retired-rule", 1, occurrence).await;
    app.clock.set(local(2026, 11, 23, 3, 31));
    for _ in 0..2 {
        tick(&app.state, local(2026, 11, 23, 3, 0)).await.unwrap();
        for (run, why) in [(&last, "attempt 5 of 5"), (&retired, "retired")] {
            let now = run_row(&app, run.id).await;
            assert_eq!(
                (now.outcome.as_str(), now.attempt),
                ("failed", 5),
                "{now:?}"
            );
            assert!(now.error.as_deref().unwrap().contains(why), "{now:?}");
        }
    }
    assert_eq!(
        ds.ids().await.len(),
        140,
        "the last attempt is not run again"
    );
}

/// A run left `running` that cannot be settled now (its batch was cut off between the two
/// commits and its rule, gone with its datasource, cannot be asked) holds up no other rule: the
/// pass logs it and runs the due occurrence of the rule beside it; the stuck run stays
/// `running` with its journal, its count not guessed, and is tried again on each pass.
#[tokio::test]
async fn a_run_that_cannot_be_settled_holds_up_no_other_rule() {
    let (app, ds, _p) = app_with_datasource().await;
    let occurrence = local(2026, 11, 23, 2, 30);
    let stuck = cut_off(&app, "a-gone-rule", 1, occurrence - TimeDelta::days(1)).await;
    entity::run_journal::ActiveModel {
        run_id: Set(stuck.id),
        attempt: Set(1),
        batch: Set(1),
        state: Set("pending".into()),
        rows: Set(3),
        keys: Set("i:1..3".into()),
        created_at: Set(occurrence),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    app.clock.set(local(2026, 11, 23, 2, 31));
    let reports = tick(&app.state, local(2026, 11, 23, 2, 0)).await.unwrap();
    assert_eq!(reports.len(), 1, "the due occurrence ran: {reports:?}");
    assert_eq!(reports[0].rule, RULE);
    let deleted = 140 - ds.ids().await.len() as u64;
    assert!(deleted > 0);
    assert_eq!(reports[0].counts.affected, deleted, "{:?}", reports[0]);
    assert_eq!(reports[0].outcome, gallra::retention::Outcome::Succeeded);
    let now = run_row(&app, stuck.id).await;
    assert_eq!(
        now.outcome,
        gallra::retention::Outcome::Running,
        "not guessed: {now:?}"
    );
    let journal = entity::run_journal::Entity::find()
        .filter(entity::run_journal::Column::RunId.eq(stuck.id))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(
        journal.len(),
        1,
        "its journal kept for when it can be settled"
    );
}

#[tokio::test]
async fn a_run_whose_lock_is_held_is_left_to_its_holder_and_settled_at_once_when_it_is_gone() {
    let (app, ds, _p) = app_with_datasource().await;
    let occurrence = local(2026, 11, 23, 2, 30);
    let run = cut_off(&app, RULE, 1, occurrence).await;
    // Begun two hours ago and silent since, but its process still holds the rule's lock.
    app.clock.set(occurrence + TimeDelta::hours(2));
    let held = gallra::retention::lock::try_lock(&app.db, RULE)
        .await
        .unwrap()
        .expect("the lock is free");
    tick(&app.state, occurrence).await.unwrap();
    let now = run_row(&app, run.id).await;
    assert_eq!(
        (now.outcome.as_str(), now.attempt),
        ("running", 1),
        "left to its holder"
    );
    assert_eq!(ds.ids().await.len(), 140);
    // Its process is gone (the lock with it): settled and rerun at once, not an hour on.
    held.release().await;
    app.clock.advance(TimeDelta::minutes(1));
    tick(&app.state, occurrence).await.unwrap();
    let now = run_row(&app, run.id).await;
    assert_eq!((now.outcome.as_str(), now.attempt), ("succeeded", 2));
}

#[tokio::test]
async fn a_working_run_writes_its_heartbeat() {
    let (app, _ds, _p) = app_with_datasource().await;
    let run = cut_off(&app, RULE, 1, local(2026, 11, 23, 2, 30)).await;
    let beaten = async {
        loop {
            let now = retention_runs::Entity::find_by_id(run.id)
                .one(&app.db)
                .await
                .unwrap();
            if let Some(at) = now.unwrap().heartbeat_at {
                return at;
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    };
    let every = std::time::Duration::from_millis(10);
    let work = tokio::time::timeout(std::time::Duration::from_secs(60), beaten);
    let at = beating(&app.state, run.id, every, work)
        .await
        .expect("a heartbeat within a minute");
    assert_eq!(at, app.clock.now());
}

#[tokio::test]
async fn a_run_cut_off_by_a_crash_is_found_and_rerun() {
    let (app, ds, _p) = app_with_datasource().await;
    let occurrence = local(2026, 11, 23, 2, 30);
    let stale = cut_off(&app, RULE, 1, occurrence).await;
    tick(&app.state, local(2026, 11, 23, 3, 0)).await.unwrap();
    let run = run_row(&app, stale.id).await;
    assert_eq!((run.outcome.as_str(), run.attempt), ("succeeded", 2));
    assert_eq!(
        scheduled_runs(&app).await.len(),
        1,
        "the same occurrence, not a new one"
    );
    assert_eq!(ds.ids().await.len(), 70);
    // Its evidence says the attempt before was cut off: what that one deleted is in no digest.
    let entry = gallra::evidence::entry(&app.db, run.evidence_index.unwrap() as u64)
        .await
        .unwrap()
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&entry).unwrap();
    assert_eq!(
        (&v["attempt"], &v["after_interrupted"]),
        (&serde_json::json!(2), &serde_json::json!(true)),
        "{entry}"
    );
}

#[tokio::test]
async fn a_failed_run_is_retried_with_backoff_and_stays_visible() {
    let (app, ds, _p) = app_with_datasource().await;
    ds.db
        .execute_unprepared("DROP TABLE participants")
        .await
        .unwrap(); // every run fails
    app.clock.set(local(2026, 11, 24, 2, 31));
    let since = local(2026, 11, 23, 12, 0);
    tick(&app.state, since).await.unwrap();
    let runs = scheduled_runs(&app).await;
    assert_eq!((runs[0].outcome.as_str(), runs[0].attempt), ("failed", 1));
    // Retried after 2 minutes, then 4: not a minute before.
    for (wait, attempt) in [(2, 2), (4, 3)] {
        app.clock.advance(TimeDelta::minutes(wait - 1));
        tick(&app.state, since).await.unwrap();
        assert_eq!(
            scheduled_runs(&app).await[0].attempt,
            attempt - 1,
            "not before its backoff of {wait} minutes"
        );
        app.clock.advance(TimeDelta::minutes(1));
        tick(&app.state, since).await.unwrap();
        let runs = scheduled_runs(&app).await;
        assert_eq!(
            (runs[0].outcome.as_str(), runs[0].attempt),
            ("failed", attempt)
        );
    }
    let runs = scheduled_runs(&app).await;
    assert!(
        runs[0].error.as_deref().unwrap().contains("participants"),
        "{runs:?}"
    );
    let listed = app
        .get_json(&format!(
            "/api/v1/retention/runs?rule={RULE}&outcome=failed"
        ))
        .await;
    assert_eq!(listed["items"][0]["attempt"], 3);
}
