//! The register as of a date: each record as it stood, citing the evidence entry of its
//! version; and a register row changed in the store is caught by `evidence verify`.

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use gallra::app::apply_dir;
use gallra::auth::Role;
use gallra::clock::Clock;
use gallra::register::apply::Author;
use sea_orm::ConnectionTrait;
use serde_json::Value;

use crate::evidence::cli_verify;
use crate::helpers::{copy_policies, edit, seed_policies, TestApp};

fn author() -> Author {
    Author {
        name: "dpo@example".into(),
        reason: "test".into(),
    }
}

fn rfc3339(t: DateTime<Utc>) -> String {
    // `+00:00` would need encoding in a query string; `Z` does not.
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The seed register applied at `t1`; a day later Digitalt möte renamed and E-klient removed.
async fn changed_register() -> (TestApp, tempfile::TempDir, DateTime<Utc>, DateTime<Utc>) {
    let tmp = tempfile::tempdir().unwrap();
    copy_policies(&seed_policies(), tmp.path());
    let app = TestApp::spawn_with(Some(tmp.path())).await;
    let t1 = app.clock.now();
    edit(
        tmp.path(),
        "digitalt-mote.toml",
        "name = \"Digitalt möte\"",
        "name = \"Digitalt möte 2\"",
    );
    std::fs::remove_file(tmp.path().join("e-klient.toml")).unwrap();
    app.clock.advance(TimeDelta::days(1));
    let t2 = app.clock.now();
    apply_dir(&app.db, &app.keys, tmp.path(), &author(), t2)
        .await
        .unwrap();
    (app, tmp, t1, t2)
}

/// The evidence entry a record cites, which must record that very version.
async fn assert_cites_its_entry(app: &TestApp, token: &str, record: &Value) {
    let index = record["evidence_index"]
        .as_i64()
        .expect("an evidence index");
    let r = app
        .get(&format!("/api/v1/evidence/entries/{index}"), token)
        .await;
    assert_eq!(r.status(), 200);
    let entry: Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    assert_eq!(entry["kind"], "register_version");
    assert_eq!(entry["key"], record["id"]);
    assert_eq!(entry["version"], record["version"]);
    assert_eq!(entry["content_hash"], record["content_hash"]);
}

#[tokio::test]
async fn as_of_before_and_after_a_change_returns_each_version() {
    let (app, _tmp, t1, t2) = changed_register().await;
    let t = app.token(Role::Auditor).await;
    let before = app
        .get_json(&format!(
            "/api/v1/services/digitalt-mote?as_of={}",
            rfc3339(t1)
        ))
        .await;
    let after = app
        .get_json(&format!(
            "/api/v1/services/digitalt-mote?as_of={}",
            rfc3339(t2)
        ))
        .await;
    let history = app
        .get_json("/api/v1/services/digitalt-mote/versions")
        .await;

    assert_eq!(before["version"], 1);
    assert_eq!(before["name"], "Digitalt möte");
    assert_eq!(before["content_hash"], history[0]["content_hash"]);
    assert_eq!(after["version"], 2);
    assert_eq!(after["name"], "Digitalt möte 2");
    assert_eq!(after["content_hash"], history[1]["content_hash"]);
    assert_ne!(before["evidence_index"], after["evidence_index"]);
    assert_cites_its_entry(&app, &t, &before).await;
    assert_cites_its_entry(&app, &t, &after).await;
    // A date is the end of that day: the first version, applied on it.
    let day = app
        .get_json(&format!(
            "/api/v1/services/digitalt-mote?as_of={}",
            t1.format("%Y-%m-%d")
        ))
        .await;
    assert_eq!(day["version"], 1);
    // Before anything was applied there was no such record.
    let none = app
        .get("/api/v1/services/digitalt-mote?as_of=2020-01-01", &t)
        .await;
    assert_eq!(none.status(), 404);
}

#[tokio::test]
async fn the_list_as_of_a_date_has_that_dates_versions_and_filters() {
    let (app, _tmp, t1, t2) = changed_register().await;
    let t = app.token(Role::Dpo).await;
    let list = |at: DateTime<Utc>, filter: &str| {
        format!("/api/v1/services?limit=500&as_of={}{filter}", rfc3339(at))
    };
    let then = app.get_json(&list(t1, "")).await;
    let now = app.get_json(&list(t2, "")).await;
    let find = |page: &Value, id: &str| {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .cloned()
    };

    let old = find(&then, "digitalt-mote").unwrap();
    assert_eq!(
        (old["version"].as_i64(), old["name"].as_str()),
        (Some(1), Some("Digitalt möte"))
    );
    assert_cites_its_entry(&app, &t, &old).await;
    let new = find(&now, "digitalt-mote").unwrap();
    assert_eq!(new["version"], 2);
    assert_cites_its_entry(&app, &t, &new).await;
    // Retired services are absent once retired, present before.
    assert!(find(&then, "e-klient").is_some());
    assert!(find(&now, "e-klient").is_none());
    assert_eq!(
        then["total"].as_u64(),
        Some(now["total"].as_u64().unwrap() + 1)
    );
    // The filters of today work with as_of.
    let filtered = app
        .get_json(&list(t1, "&q=e-klient&data_type=contact-email"))
        .await;
    let ids: Vec<_> = filtered["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].clone())
        .collect();
    assert_eq!(ids, vec![Value::from("e-klient")]);
    let special = app.get_json(&list(t2, "&special_category=true")).await;
    let current = app
        .get_json("/api/v1/services?limit=500&special_category=true")
        .await;
    assert_eq!(special["total"], current["total"]);
}

#[tokio::test]
async fn a_malformed_as_of_is_a_400_naming_it() {
    let app = TestApp::spawn().await;
    let t = app.token(Role::Auditor).await;
    for path in [
        "/api/v1/services?as_of=yesterday",
        "/api/v1/services/digitalt-mote?as_of=2026-13-01",
    ] {
        let r = app.get(path, &t).await;
        assert_eq!(r.status(), 400, "{path}");
        let body: Value = r.json().await.unwrap();
        assert!(
            body["error"]["message"].as_str().unwrap().contains("as_of"),
            "{body}"
        );
    }
}

#[tokio::test]
async fn versions_recorded_before_their_index_was_kept_find_their_entry() {
    let (app, _tmp, t1, _) = changed_register().await;
    let path = format!("/api/v1/services/digitalt-mote?as_of={}", rfc3339(t1));
    let kept = app.get_json(&path).await;
    app.db
        .execute_unprepared("UPDATE register_versions SET evidence_index = NULL")
        .await
        .unwrap();
    let found = app.get_json(&path).await;
    assert_eq!(found["evidence_index"], kept["evidence_index"]);
    assert!(kept["evidence_index"].is_i64());
    assert!(cli_verify(&app).0, "versions without an index still verify");
}

#[tokio::test]
async fn a_register_row_changed_in_the_store_is_caught_by_evidence_verify() {
    let of = |kind: &str, key: &str| {
        format!(
            "entry_id = (SELECT id FROM register_entries WHERE kind = '{kind}' AND key = '{key}')"
        )
    };
    let cases = [
        (
            format!("UPDATE register_versions SET body = replace(body, 'Digitalt möte', 'Digitalt mote') WHERE version = 1 AND {}", of("service", "digitalt-mote")),
            "register version service `digitalt-mote` v1: its body does not hash",
        ),
        (
            "UPDATE register_entries SET body = replace(body, 'Digitalt möte', 'Digitalt mote') WHERE kind = 'service' AND key = 'digitalt-mote'".to_owned(),
            "register entry service `digitalt-mote`: its body does not hash",
        ),
        (
            format!("UPDATE register_versions SET body = replace(body, 'Inera AB', 'Inera') WHERE {}", of("organisation", "inera")),
            "register version organisation `inera` v1: its body does not hash",
        ),
        (
            format!("DELETE FROM register_versions WHERE {}", of("service", "medcom-vdx")),
            "register entry service `medcom-vdx`: its current version v1 is not stored",
        ),
        (
            format!("UPDATE register_versions SET retired = NOT retired WHERE version = 2 AND {}", of("service", "e-klient")),
            "register version service `e-klient` v2: evidence entry",
        ),
    ];
    for (sql, named) in cases {
        let (app, _tmp, _, _) = changed_register().await;
        assert!(cli_verify(&app).0, "an untouched register verifies");
        app.db.execute_unprepared(&sql).await.unwrap();
        let (ok, stderr) = cli_verify(&app);
        assert!(!ok, "{sql}: verify must fail");
        assert!(stderr.contains(named), "{sql}: {stderr}");
    }
}

#[tokio::test]
async fn a_version_rewritten_with_a_matching_hash_is_caught_by_its_entry() {
    let (app, _tmp, _, _) = changed_register().await;
    let body = r#"{"service":{"id":"forged"}}"#;
    let hash = gallra::register::canonical::sha256_hex(body.as_bytes());
    let sql = format!(
        "UPDATE register_versions SET body = '{body}', content_hash = '{hash}' WHERE version = 2 AND entry_id = (SELECT id FROM register_entries WHERE key = 'digitalt-mote')"
    );
    app.db.execute_unprepared(&sql).await.unwrap();
    let (ok, stderr) = cli_verify(&app);
    assert!(!ok);
    assert!(
        stderr.contains("register version service `digitalt-mote` v2: its content hash is not the one evidence entry"),
        "{stderr}"
    );
}
