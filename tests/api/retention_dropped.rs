//! A run started over the API ends, with its evidence, even when its request is dropped (at the
//! request's timeout, or when the client hangs up).

use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use entity::retention_runs;
use gallra::auth::Role;
use gallra::policy::spec::TimestampFormat;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait};
use tower::ServiceExt;

use crate::datasources::{fourteen_days, kinds, Fixture, Kind};
use crate::helpers::TestApp;
use crate::retention::{now, scenario};

const RULE: &str = "meeting-participants";

/// Lock the participants' rows against change, so a run waits at its first change.
async fn lock_rows(kind: Kind, ds: &Fixture) -> sea_orm::DatabaseTransaction {
    match kind {
        Kind::Sqlite => gallra::db::begin_write(&ds.db).await.unwrap(),
        Kind::Postgres | Kind::MariaDb => {
            let txn = ds.db.begin().await.unwrap();
            txn.execute_unprepared("SELECT id FROM participants FOR UPDATE")
                .await
                .unwrap();
            txn
        }
    }
}

/// The rule's runs once `done` holds for them, polling the store for a minute at most.
async fn runs_once(
    app: &TestApp,
    done: impl Fn(&[retention_runs::Model]) -> bool,
) -> Vec<retention_runs::Model> {
    let poll = async {
        loop {
            let runs = retention_runs::Entity::find()
                .filter(retention_runs::Column::RuleId.eq(RULE))
                .all(&app.db)
                .await
                .unwrap();
            if done(&runs) {
                return runs;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(60), poll)
        .await
        .expect("the run did not get there within a minute")
}

#[tokio::test]
async fn a_run_whose_request_is_dropped_goes_on_to_its_end_and_its_evidence() {
    for kind in kinds() {
        let (app, ds, _p) = scenario(kind, TimestampFormat::Sql, &fourteen_days(now())).await;
        let operator = app.token(Role::Operator).await;
        let lock = lock_rows(kind, &ds).await;
        let request = Request::post(format!("/api/v1/retention/rules/{RULE}/runs"))
            .header("authorization", format!("Bearer {operator}"))
            .header("content-type", "application/json")
            .body(Body::from(r#"{"dry_run":false}"#))
            .unwrap();
        let call = tokio::spawn(gallra::http::router(app.state.clone()).oneshot(request));
        // Claimed, and waiting for the locked rows: then the request goes, as at its timeout.
        runs_once(&app, |runs| runs.len() == 1).await;
        call.abort();
        assert!(call.await.unwrap_err().is_cancelled());
        lock.rollback().await.unwrap();

        let runs = runs_once(&app, |runs| {
            runs[0].outcome != gallra::retention::Outcome::Running
        })
        .await;
        assert_eq!(
            runs[0].outcome,
            gallra::retention::Outcome::Succeeded,
            "{kind:?}: {:?}",
            runs[0].error
        );
        assert_eq!(
            ds.ids().await.len(),
            70,
            "{kind:?}: the expired half is gone"
        );
        let n = gallra::evidence::size(&app.db).await.unwrap();
        let entries = gallra::evidence::entries(&app.db, 0, n).await.unwrap();
        let recorded = entries.iter().any(|(_, e)| {
            let v: serde_json::Value = serde_json::from_str(e).unwrap();
            v["kind"] == "retention_run" && v["run_id"] == runs[0].id && v["affected"] == 70
        });
        assert!(recorded, "{kind:?}: the run's evidence entry is in the log");
    }
}
