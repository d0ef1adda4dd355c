//! Faults: a store that goes away under a serving app, a datasource that hangs.

use std::time::{Duration, Instant};

use gallra::auth::Role;
use gallra::policy::spec::TimestampFormat;
use gallra::retention::{run_rule, Outcome};
use sea_orm::{ConnectionTrait, Database, TransactionTrait};

use crate::datasources::{fourteen_days, kinds, Kind};
use crate::helpers::TestApp;
use crate::retention::{batches_of_seven, now, scenario};

const RULE: &str = "meeting-participants";

/// A lock held on the rule's table from another connection: the run fails with the
/// datasource's reason within its timeout (here 2 s) instead of hanging, deletes nothing, and
/// once the lock is gone the rule runs again.
#[tokio::test]
async fn a_datasource_that_hangs_fails_the_run_within_its_timeout() {
    for kind in kinds() {
        let (app, ds, _p) = scenario(kind, TimestampFormat::Sql, &fourteen_days(now())).await;
        let mut state = app.state.clone();
        state.datasources = state
            .datasources
            .clone()
            .with_timeout(Duration::from_secs(2));

        let holder = Database::connect(&ds.url).await.unwrap();
        let txn = holder.begin().await.unwrap();
        let lock = match kind {
            Kind::Postgres => "LOCK TABLE participants IN ACCESS EXCLUSIVE MODE",
            // Every row locked for update: reads go on, a delete waits.
            Kind::MariaDb => "SELECT id FROM participants FOR UPDATE",
            // A write lock on the file: reads go on, a delete waits.
            Kind::Sqlite => "DELETE FROM participants WHERE id < 0",
        };
        txn.execute_unprepared(lock).await.unwrap();

        let started = Instant::now();
        let report = tokio::time::timeout(
            Duration::from_secs(60),
            run_rule(&state, RULE, batches_of_seven(), |_| {}),
        )
        .await
        .unwrap_or_else(|_| panic!("{kind:?}: the run hung past 60 s"))
        .unwrap();
        let took = started.elapsed();
        assert_eq!(report.outcome, Outcome::Failed, "{kind:?}: {report:?}");
        let reason = report.error.clone().unwrap_or_default().to_lowercase();
        assert!(
            [
                "timeout",
                "locked",
                "lock wait",
                "max_statement_time exceeded"
            ]
            .iter()
            .any(|w| reason.contains(w)),
            "{kind:?}: the reason names the wait: {reason}"
        );
        assert!(
            reason.contains("did not answer within 2 s"),
            "{kind:?}: said in the operator's terms: {reason}"
        );
        assert!(took < Duration::from_secs(30), "{kind:?}: took {took:?}");

        txn.rollback().await.unwrap();
        holder.close().await.ok();
        assert_eq!(
            ds.ids().await,
            (1..=140).collect::<Vec<i64>>(),
            "{kind:?}: nothing deleted"
        );
        gallra::evidence::verify::verify(&app.db, &app.keys)
            .await
            .expect("the log verifies");

        // The lock gone, the rule runs: nothing was left claimed.
        let again = run_rule(&state, RULE, batches_of_seven(), |_| {})
            .await
            .unwrap();
        assert_eq!(again.outcome, Outcome::Succeeded, "{kind:?}: {again:?}");
        assert_eq!(ds.ids().await, (1..=70).collect::<Vec<i64>>(), "{kind:?}");
    }
}

/// PostgreSQL only (TEST_DATABASE_URL): the app's database refuses connections and its
/// sessions are ended, as when the server restarts. `/readyz` and requests answer 503 with the
/// JSON error, nothing panics; once connections are allowed again everything recovers by
/// itself and the evidence still verifies.
#[tokio::test]
async fn the_store_going_away_is_a_503_and_recovers_by_itself() {
    let Some(base) = std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        return;
    };
    let app = TestApp::spawn().await;
    let token = app.token(Role::Admin).await;
    let name = app.database_url.rsplit('/').next().unwrap().to_owned();
    let admin = Database::connect(&base).await.unwrap();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let ready = || client.get(format!("{}/readyz", app.address)).send();
    assert_eq!(ready().await.unwrap().status(), 200);

    admin
        .execute_unprepared(&format!(
            "ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS false"
        ))
        .await
        .unwrap();
    let cut = || async {
        admin
            .execute_unprepared(&format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()"
            ))
            .await
            .unwrap();
    };

    cut().await;
    let r = ready().await.unwrap();
    assert_eq!(r.status(), 503);
    cut().await;
    let r = client
        .get(format!("{}/api/v1/services", app.address))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unavailable", "{body}");
    cut().await;
    let r = client
        .post(format!("{}/api/v1/tokens", app.address))
        .bearer_auth(&token)
        .json(&serde_json::json!({"name": "while down", "role": "auditor"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503);

    admin
        .execute_unprepared(&format!("ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS true"))
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if ready().await.map(|r| r.status() == 200).unwrap_or(false) {
            break;
        }
        assert!(Instant::now() < deadline, "not ready again within 30 s");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let r = client
        .get(format!("{}/api/v1/services", app.address))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = client
        .post(format!("{}/api/v1/tokens", app.address))
        .bearer_auth(&token)
        .json(&serde_json::json!({"name": "after", "role": "auditor"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    gallra::evidence::verify::verify(&app.db, &app.keys)
        .await
        .expect("the log verifies");
    admin.close().await.ok();
}

/// PostgreSQL only: the nightly occurrence falls due while the store refuses connections. The
/// scheduler's pass fails (an error, no panic) and loses nothing: the first pass after the store
/// is back runs the occurrence, marked late, once.
#[tokio::test]
async fn an_occurrence_due_while_the_store_was_away_is_caught_up_late_once() {
    use chrono::TimeZone;
    use chrono_tz::Europe::Stockholm;
    use gallra::scheduler::jobs::tick;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let Some(base) = std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        return;
    };
    let local = |d: u32, h: u32, m: u32| {
        Stockholm
            .with_ymd_and_hms(2026, 11, d, h, m, 0)
            .earliest()
            .unwrap()
            .with_timezone(&chrono::Utc)
    };
    let (app, _ds, _p) = scenario(Kind::Sqlite, TimestampFormat::Sql, &fourteen_days(now())).await;
    let since = local(23, 12, 0);
    let scheduled = || async {
        entity::retention_runs::Entity::find()
            .filter(entity::retention_runs::Column::RuleId.eq(RULE))
            .filter(entity::retention_runs::Column::ScheduledFor.is_not_null())
            .all(&app.db)
            .await
            .unwrap()
    };
    app.clock.set(local(24, 2, 0));
    tick(&app.state, since).await.unwrap();
    assert!(scheduled().await.is_empty(), "nothing due before 02:30");

    let name = app.database_url.rsplit('/').next().unwrap().to_owned();
    let admin = Database::connect(&base).await.unwrap();
    admin
        .execute_unprepared(&format!(
            "ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS false"
        ))
        .await
        .unwrap();
    admin
        .execute_unprepared(&format!("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()"))
        .await
        .unwrap();
    app.clock.set(local(24, 2, 31));
    assert!(
        tick(&app.state, since).await.is_err(),
        "the pass fails while the store is away"
    );

    admin
        .execute_unprepared(&format!("ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS true"))
        .await
        .unwrap();
    app.clock.set(local(24, 4, 0));
    // The scheduler passes again each minute; the first passes may still draw pooled
    // connections the server ended (each failure drops one), never more than the pool holds.
    let mut passes = 0;
    while tick(&app.state, since).await.is_err() {
        passes += 1;
        assert!(passes <= 32, "the scheduler never recovered");
    }
    tick(&app.state, since).await.unwrap();
    let runs = scheduled().await;
    assert_eq!(runs.len(), 1, "the missed occurrence, once");
    assert_eq!(runs[0].scheduled_for, Some(local(24, 2, 30)));
    assert!(runs[0].late, "caught up late");
    admin.close().await.ok();
}

/// SQLite only: the store's file is held in a write transaction by another process (a backup
/// tool, a shell left open) past the busy timeout. Reads go on; `/readyz`, a change and its
/// evidence answer 503 with the JSON error, not 500, and leave nothing half done; once the file
/// is let go everything works again and the log verifies.
#[tokio::test]
async fn a_sqlite_store_held_by_another_process_is_a_503_and_recovers() {
    use sqlx::Connection;
    let app = TestApp::spawn().await;
    let Some(path) = app.database_url.strip_prefix("sqlite://") else {
        return; // PostgreSQL: the_store_going_away_is_a_503_and_recovers_by_itself
    };
    let file = path.split('?').next().unwrap();
    let dpo = app.token(Role::Dpo).await;
    let holds = "/api/v1/retention/rules/meeting-participants/holds";
    let placed = || async {
        let entries = gallra::evidence::verify::verify(&app.db, &app.keys)
            .await
            .expect("the log verifies");
        let page = app.get_json("/api/v1/evidence/entries?limit=1000").await;
        let n = page
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["entry"].as_str().unwrap().contains("\"hold_placed\""))
            .count();
        (entries, n)
    };
    let (_, before) = placed().await;

    let mut other = sqlx::SqliteConnection::connect(&format!("sqlite://{file}"))
        .await
        .unwrap();
    sqlx::query("BEGIN EXCLUSIVE")
        .execute(&mut other)
        .await
        .unwrap();

    let r = app.get("/api/v1/services", &dpo).await;
    assert_eq!(r.status(), 200, "reads go on");
    let r = app.get("/readyz", &dpo).await;
    assert_eq!(r.status(), 503, "not ready while no change can be made");
    let r = app
        .post_json(holds, &dpo, serde_json::json!({"reason": "Tvist"}))
        .await;
    assert_eq!(r.status(), 503);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unavailable", "{body}");

    sqlx::query("ROLLBACK").execute(&mut other).await.unwrap();
    other.close().await.unwrap();

    assert_eq!(app.get("/readyz", &dpo).await.status(), 200);
    let (_, still) = placed().await;
    assert_eq!(still, before, "the refused hold left no entry");
    let r = app
        .post_json(holds, &dpo, serde_json::json!({"reason": "Tvist"}))
        .await;
    assert!(r.status().is_success(), "{}", r.status());
    let (_, after) = placed().await;
    assert_eq!(after, before + 1);
}
