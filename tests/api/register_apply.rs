//! Applying policy sets: unchanged → no version; one edit → one version; removal → retired.

use chrono::TimeDelta;
use gallra::app::apply_dir;
use gallra::register::apply::{Author, ChangeKind};

use crate::helpers::{copy_policies, edit, seed_policies, TestApp};

fn author() -> Author {
    Author {
        name: "test".into(),
        reason: "test".into(),
    }
}

async fn versions(app: &TestApp, id: &str) -> Vec<serde_json::Value> {
    app.get_json(&format!("/api/v1/services/{id}/versions"))
        .await
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn reapplying_an_unchanged_set_writes_no_version() {
    let app = TestApp::spawn().await;
    let report = apply_dir(
        &app.db,
        &app.keys,
        &seed_policies(),
        &author(),
        gallra::clock::Clock::now(&*app.clock),
    )
    .await
    .unwrap();
    assert!(report.changes.is_empty(), "{:?}", report.changes);
    assert!(report.unchanged > 0);
    assert_eq!(versions(&app, "digitalt-mote").await.len(), 1);
}

#[tokio::test]
async fn one_edit_makes_exactly_one_new_version_of_that_service() {
    let tmp = tempfile::tempdir().unwrap();
    copy_policies(&seed_policies(), tmp.path());
    let app = TestApp::spawn_with(Some(tmp.path())).await;
    let before = versions(&app, "digitalt-mote").await;
    edit(
        tmp.path(),
        "digitalt-mote.toml",
        "keep_for = \"7d\"",
        "keep_for = \"8d\"",
    );
    app.clock.advance(TimeDelta::hours(1));
    let author = Author {
        name: "dpo@example".into(),
        reason: "controller changed instruction 6.2 p.4".into(),
    };
    let report = apply_dir(
        &app.db,
        &app.keys,
        tmp.path(),
        &author,
        gallra::clock::Clock::now(&*app.clock),
    )
    .await
    .unwrap();

    assert_eq!(report.changes.len(), 1, "{:?}", report.changes);
    assert_eq!(report.changes[0].key, "digitalt-mote");
    assert_eq!(report.changes[0].change, ChangeKind::Changed);
    let after = versions(&app, "digitalt-mote").await;
    assert_eq!(after.len(), 2);
    assert_ne!(after[0]["content_hash"], after[1]["content_hash"]);
    assert_eq!(after[0]["content_hash"], before[0]["content_hash"]);
    assert_eq!(after[1]["author"], "dpo@example");
    assert_eq!(after[1]["reason"], "controller changed instruction 6.2 p.4");
    assert_eq!(after[1]["source_file"], "digitalt-mote.toml");
    assert_eq!(versions(&app, "e-klient").await.len(), 1);
    let detail = app.get_json("/api/v1/services/digitalt-mote").await;
    assert_eq!(detail["version"], 2);
    assert_eq!(detail["content_hash"], after[1]["content_hash"]);
}

#[tokio::test]
async fn a_removed_service_is_retired_with_its_history_kept() {
    let tmp = tempfile::tempdir().unwrap();
    copy_policies(&seed_policies(), tmp.path());
    let app = TestApp::spawn_with(Some(tmp.path())).await;
    // Listed before: the list's snapshot must notice the apply below, made outside the API.
    let before = app.get_json("/api/v1/services?limit=500").await;
    assert!(before["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["id"] == "e-klient"));
    std::fs::remove_file(tmp.path().join("e-klient.toml")).unwrap();
    let report = apply_dir(
        &app.db,
        &app.keys,
        tmp.path(),
        &author(),
        gallra::clock::Clock::now(&*app.clock),
    )
    .await
    .unwrap();

    let retired: Vec<_> = report
        .changes
        .iter()
        .filter(|c| c.change == ChangeKind::Retired)
        .collect();
    assert_eq!(retired.len(), 1, "{:?}", report.changes);
    assert_eq!(retired[0].key, "e-klient");
    let history = versions(&app, "e-klient").await;
    assert_eq!(history.len(), 2);
    assert_eq!(history[1]["retired"], true);
    let list = app.get_json("/api/v1/services?limit=500").await;
    let items = list["items"].as_array().unwrap();
    assert!(items.iter().all(|s| s["id"] != "e-klient"));
    // The count leaves the retired service out too.
    assert_eq!(list["total"].as_u64(), Some(items.len() as u64));
    let services = std::fs::read_dir(seed_policies())
        .unwrap()
        .filter(|f| {
            let name = f.as_ref().unwrap().file_name();
            !matches!(
                name.to_str(),
                Some("organisations.toml" | "datasources.toml")
            )
        })
        .count();
    assert_eq!(items.len(), services - 1);
    assert_eq!(
        app.get_json("/api/v1/services/e-klient").await["retired"],
        true
    );
    let unenforced = app.get_json("/api/v1/instructions").await;
    assert!(unenforced
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["service"] != "e-klient"));
}

#[tokio::test]
async fn a_failing_set_leaves_the_register_as_it_was() {
    let tmp = tempfile::tempdir().unwrap();
    copy_policies(&seed_policies(), tmp.path());
    let app = TestApp::spawn_with(Some(tmp.path())).await;
    // One good change and one bad one: the good one must not land either.
    edit(tmp.path(), "e-klient.toml", "[service]", "[service]\n");
    edit(
        tmp.path(),
        "digitalt-mote.toml",
        "keep_for = \"7d\"",
        "keep_for = \"8d\"",
    );
    edit(
        tmp.path(),
        "digitalt-mote.toml",
        "\"Europe/Stockholm\"",
        "\"Mars/Olympus\"",
    );
    let result = apply_dir(
        &app.db,
        &app.keys,
        tmp.path(),
        &author(),
        gallra::clock::Clock::now(&*app.clock),
    )
    .await;
    assert!(result.is_err());
    assert_eq!(versions(&app, "digitalt-mote").await.len(), 1);
}

#[tokio::test]
async fn the_server_refuses_to_start_on_an_invalid_set() {
    let tmp = tempfile::tempdir().unwrap();
    copy_policies(&seed_policies(), tmp.path());
    edit(
        tmp.path(),
        "digitalt-mote.toml",
        "\"Europe/Stockholm\"",
        "\"Mars/Olympus\"",
    );
    let data = tempfile::tempdir().unwrap();
    let settings = gallra::settings::Settings {
        database_url: crate::helpers::fresh_database_url(data.path()).await,
        data_dir: data.path().to_path_buf(),
        listen: "127.0.0.1:0".parse().unwrap(),
        policies: Some(tmp.path().to_path_buf()),
        scheduler: false,
        datasource_urls: Default::default(),
        webhook: None,
        http: Default::default(),
        datasources: Default::default(),
        cookie_secure: false,
        author: None,
    };
    let clock = std::sync::Arc::new(gallra::clock::SystemClock);
    let err = gallra::app::Application::build(&settings, clock)
        .await
        .err()
        .expect("refuses to start");
    let invalid = err
        .downcast_ref::<gallra::app::InvalidPolicies>()
        .expect("names the policy errors");
    assert!(
        invalid.0.to_string().contains("digitalt-mote.toml:"),
        "{invalid}"
    );
    assert!(
        invalid
            .0
            .to_string()
            .contains("unknown time zone `Mars/Olympus`"),
        "{invalid}"
    );
}
