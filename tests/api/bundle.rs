//! The audit bundle: exported after an apply, a purge, an approval, a hold and a closed review,
//! it verifies offline; each kind of tampering fails naming the bad file, row or entry.

use std::collections::HashMap;
use std::io::Write;

use gallra::auth::Role;
use gallra::evidence::Keys;
use gallra::export::bundle::{self, manifest::Manifest, BundleError, Files};
use serde_json::{json, Value};

use crate::datasources::{fourteen_days, Fixture, Kind};
use crate::helpers::{seed_policies, TestApp};
use crate::retention::{hold_71_and_140, now};
use crate::reviews::{decide, items, open, PEOPLE};

/// The seed register with a meetings purge (held rows, guard, DPO approval) and a closed
/// review of the VDX admin profiles: every kind of row a bundle has.
pub async fn scenario() -> (TestApp, Fixture) {
    let ds = Fixture::accounts(Kind::Sqlite, "admin_profiles", PEOPLE, &[1, 2]).await;
    ds.insert(&fourteen_days(now() - chrono::TimeDelta::days(5)))
        .await;
    let urls = HashMap::from([
        ("meetings".to_string(), ds.url.clone()),
        ("vdx-admin".to_string(), ds.url.clone()),
    ]);
    let app = TestApp::spawn_full(Some(&seed_policies()), urls).await;
    let dpo = hold_71_and_140(&app).await;
    let operator = app.token(Role::Operator).await;
    let run: Value = app
        .post_json(
            "/api/v1/retention/rules/meeting-participants/runs",
            &operator,
            json!({"dry_run": false}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(run["outcome"], "awaiting_approval", "{run}");
    let path = format!("/api/v1/retention/runs/{}/approval", run["run_id"]);
    let approved = app
        .post_json(&path, &dpo, json!({"reason": "Backlog confirmed"}))
        .await;
    assert_eq!(approved.status(), 200);
    let c = open(&app, "vdx-admin-profiles", &dpo).await;
    for (k, item) in items(&app, &c).await.iter().enumerate() {
        let d = if k == 3 { "revoke" } else { "keep" };
        assert_eq!(decide(&app, item, &dpo, d, Some("checked")).await, 200);
    }
    let close = format!("/api/v1/reviews/campaigns/{}/close", c["id"]);
    assert_eq!(
        app.post_json(&close, &dpo, json!({"approve": true}))
            .await
            .status(),
        200
    );
    (app, ds)
}

pub async fn download(app: &TestApp, query: &str) -> Vec<u8> {
    let auditor = app.token(Role::Auditor).await;
    let r = app
        .get(&format!("/api/v1/exports/bundle{query}"), &auditor)
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/zip");
    r.bytes().await.unwrap().to_vec()
}

pub fn unzip(bytes: &[u8]) -> Files {
    bundle::read_zip(std::io::Cursor::new(bytes.to_vec())).unwrap()
}

fn check(files: &Files, app: &TestApp) -> Result<bundle::Verified, BundleError> {
    bundle::verify(files, &app.keys.verifier_key)
}

/// The error of a bundle changed by `f`, its manifest updated to match and signed again with
/// the log's key (as a forger holding the key would): what is left to find it is the evidence.
fn forged(files: &Files, app: &TestApp, f: impl FnOnce(&mut Files)) -> String {
    let files = resummed(files, f, Some(&app.keys));
    check(&files, app).unwrap_err().to_string()
}

/// `files` changed by `f`, the manifest's sums updated; signed again with `keys` if given.
fn resummed(files: &Files, f: impl FnOnce(&mut Files), keys: Option<&Keys>) -> Files {
    let mut files = files.clone();
    f(&mut files);
    let mut m: Manifest = serde_json::from_slice(&files["manifest.json"]).unwrap();
    m.files = files
        .iter()
        .filter(|(p, _)| *p != "manifest.json" && *p != bundle::manifest::SIGNATURE)
        .map(|(p, b)| bundle::manifest::FileSum::of(p, b))
        .collect();
    let json = serde_json::to_vec(&m).unwrap();
    if let Some(keys) = keys {
        let sig = bundle::sign_manifest(keys, &keys.origin, &json).unwrap();
        files.insert(bundle::manifest::SIGNATURE.into(), sig);
    }
    files.insert("manifest.json".into(), json);
    files
}

fn json_of(files: &Files, name: &str) -> Value {
    serde_json::from_slice(&files[name]).unwrap()
}

#[tokio::test]
async fn a_bundle_after_purge_approval_hold_and_review_verifies_offline() {
    let (app, _ds) = scenario().await;
    let files = unzip(&download(&app, "").await);
    let ok = check(&files, &app).unwrap();
    let size = gallra::evidence::size(&app.db).await.unwrap();
    assert_eq!(
        (ok.span.map(|s| s.first), ok.tree_size, ok.entries as u64),
        (Some(0), size, size)
    );
    let runs = json_of(&files, "runs.json");
    // The guarded run (its evidence says awaiting approval; it is approved now), then the run
    // the approval started.
    assert_eq!(
        (runs[0]["outcome"].as_str(), runs[0]["status"].as_str()),
        (Some("awaiting_approval"), Some("approved")),
        "{runs}"
    );
    let run = &runs[1];
    assert_eq!(
        (
            run["outcome"].as_str(),
            run["trigger"].as_str(),
            run["held"].as_u64()
        ),
        (Some("succeeded"), Some("approval"), Some(2)),
        "{runs}"
    );
    assert!(run["affected"].as_u64().unwrap() > 0 && run["remaining_over_age"] == 0);
    let reviews = json_of(&files, "reviews.json");
    assert_eq!(
        (reviews[0]["kept"].as_u64(), reviews[0]["revoked"].as_u64()),
        (Some(3), Some(1)),
        "{reviews}"
    );
    assert_eq!(reviews[0]["decisions_hmac"].as_str().unwrap().len(), 64);
    let register = json_of(&files, "register/register.json");
    assert!(
        register["services"].as_array().unwrap().len() >= 2,
        "{register}"
    );
    let versions = json_of(&files, "versions.json");
    let logged = gallra::evidence::entries(&app.db, 0, size).await.unwrap();
    let logged = logged
        .iter()
        .filter(|(_, e)| e.contains("\"kind\":\"register_version\""))
        .count();
    assert_eq!(versions.as_array().unwrap().len(), logged);
    assert!(
        versions[0]["author"]
            .as_str()
            .is_some_and(|a| !a.is_empty()),
        "{versions}"
    );
    // Every kind of entry of the scenario is in the bundle.
    let m: Manifest = serde_json::from_slice(&files["manifest.json"]).unwrap();
    let bundle = files
        .iter()
        .find(|(p, _)| p.starts_with("tile/entries/"))
        .unwrap()
        .1;
    let text = String::from_utf8_lossy(bundle);
    for kind in [
        "register_version",
        "hold_placed",
        "run_approved",
        "retention_run",
        "review_closed",
    ] {
        assert!(text.contains(&format!("\"kind\":\"{kind}\"")), "{kind}");
    }
    assert_eq!(m.tree_size, size);
    assert!(files["README.txt"].starts_with(b"GALLRA"));
}

#[tokio::test]
async fn every_tampering_fails_naming_what() {
    let (app, _ds) = scenario().await;
    let files = unzip(&download(&app, "").await);
    check(&files, &app).unwrap();
    let size = gallra::evidence::size(&app.db).await.unwrap();
    let bundle = format!("tile/entries/000.p/{size}");
    let level0 = format!("tile/0/000.p/{size}");

    let e = forged(&files, &app, |f| {
        let b = f.get_mut(&bundle).unwrap();
        let at = b.windows(8).position(|w| w == b"\"held\":2").unwrap();
        b[at + 7] = b'0';
    });
    assert!(
        e.starts_with("entry ") && e.contains("does not match its leaf hash"),
        "{e}"
    );

    let e = forged(&files, &app, |f| {
        f.remove(&level0);
    });
    assert!(e.contains(&format!("{level0} is missing")), "{e}");
    let e = forged(&files, &app, |f| f.get_mut(&level0).unwrap()[5] ^= 1);
    assert!(
        e.contains(&level0) && e.contains("checkpoint's root"),
        "{e}"
    );

    let other = gallra::evidence::Keys::generate("gallra.local/evidence").unwrap();
    let e = forged(&files, &app, |f| {
        let note = signed_note::Note::from_bytes(&f["checkpoint"]).unwrap();
        let mut resigned = signed_note::Note::new(note.text(), &[]).unwrap();
        resigned.add_sigs(&[&other.signer().unwrap()]).unwrap();
        f.insert("checkpoint".into(), resigned.to_bytes());
    });
    assert!(
        e.starts_with("checkpoint: not signed by the key given"),
        "{e}"
    );

    let e = forged(&files, &app, |f| {
        let csv = String::from_utf8(f["runs.csv"].clone()).unwrap();
        let run = &json_of(f, "runs.json")[0];
        let row = csv.lines().nth(1).unwrap();
        let changed = row.replace(&format!(",{},", run["affected"]), ",1,");
        assert_ne!(row, changed);
        f.insert("runs.csv".into(), csv.replace(row, &changed).into_bytes());
    });
    assert!(e.starts_with("runs.csv row 1: affected is \"1\""), "{e}");

    let e = forged(&files, &app, |f| {
        let mut runs = json_of(f, "runs.json");
        runs[0]["affected"] = json!(runs[0]["affected"].as_u64().unwrap() - 1);
        f.insert("runs.json".into(), serde_json::to_vec(&runs).unwrap());
    });
    assert!(e.starts_with("runs.json row 1: affected is"), "{e}");

    let e = forged(&files, &app, |f| {
        f.insert("reviews.json".into(), b"[]".to_vec());
    });
    assert!(e.starts_with("reviews.json: no row for entry"), "{e}");

    let mut extra = files.clone();
    extra.insert("notes.txt".into(), b"hello".to_vec());
    assert_eq!(
        check(&extra, &app).unwrap_err().to_string(),
        "notes.txt: not listed in the manifest"
    );
    let mut changed = files.clone();
    changed.get_mut("versions.csv").unwrap().push(b'\n');
    assert_eq!(
        check(&changed, &app).unwrap_err().to_string(),
        "versions.csv: its SHA-256 or size does not match the manifest"
    );
    let mut missing = files.clone();
    missing.remove("reviews.csv");
    assert_eq!(
        check(&missing, &app).unwrap_err().to_string(),
        "reviews.csv is missing (listed in the manifest)"
    );

    // The files no entry commits to — the register's renderings, a run's free-text reason —
    // changed with their sums updated: the manifest's signature no longer holds. Signed again
    // with another key, or without its signature, the bundle is refused too.
    let sig = bundle::manifest::SIGNATURE;
    for path in [
        "register/register.html",
        "register/fideslang.yaml",
        "runs.csv",
    ] {
        let changed = resummed(
            &files,
            |f| f.get_mut(path).unwrap().extend_from_slice(b" "),
            None,
        );
        assert_eq!(
            check(&changed, &app).unwrap_err().to_string(),
            format!("{sig}: signs another manifest: manifest.json was changed after it was signed"),
            "{path}"
        );
    }
    let other = gallra::evidence::Keys::generate(&app.keys.origin).unwrap();
    let resigned = resummed(&files, |_| {}, Some(&other));
    let e = check(&resigned, &app).unwrap_err().to_string();
    assert!(
        e.starts_with(&format!("{sig}: not signed by the key given")),
        "{e}"
    );
    let mut unsigned = files.clone();
    unsigned.remove(sig);
    assert_eq!(
        check(&unsigned, &app).unwrap_err().to_string(),
        format!("{sig} is missing")
    );
}

#[tokio::test]
async fn tiles_above_level_0_prove_a_period_and_a_changed_one_is_named() {
    let app = TestApp::spawn().await;
    let now = gallra::clock::Clock::now(&*app.clock);
    let events: Vec<_> = (0..300)
        .map(|i| gallra::evidence::Event::TokenRevoked { token_id: i })
        .collect();
    let txn = gallra::db::begin_write(&app.db).await.unwrap();
    gallra::evidence::append_all(&txn, &events, now)
        .await
        .unwrap();
    txn.commit().await.unwrap();
    let files = unzip(&download(&app, "").await);
    let ok = check(&files, &app).unwrap();
    assert!(
        ok.tree_size > 300
            && files.contains_key("tile/1/000.p/1")
            && files.contains_key("tile/0/000")
    );
    let e = forged(&files, &app, |f| f.get_mut("tile/0/000").unwrap()[100] ^= 1);
    assert_eq!(e, "tile/0/000 does not match its parent tile/1/000.p/1");
    let e = forged(&files, &app, |f| {
        f.insert("tile/0/005".into(), vec![0; 8192]);
    });
    assert_eq!(e, "tile/0/005: not needed to prove the bundle's entries");
}

#[tokio::test]
async fn a_period_bounds_the_entries_and_a_bad_period_is_a_400() {
    let app = TestApp::spawn().await;
    let files = unzip(&download(&app, "?from=2026-11-23&to=2026-11-23").await);
    check(&files, &app).unwrap();
    // A period in which nothing was recorded (after the last entry, or ending before it
    // starts) is a valid, empty bundle: the register as of its end, tables without rows, and
    // a manifest saying so (issue 25 §13).
    for q in ["?from=2026-11-24", "?from=2026-11-24&to=2026-11-23"] {
        let files = unzip(&download(&app, q).await);
        let ok = check(&files, &app).unwrap();
        assert_eq!(ok.span, None, "{q}");
        let manifest = json_of(&files, "manifest.json");
        assert!(manifest["first_index"].is_null() && manifest["last_index"].is_null());
        for table in ["versions.json", "runs.json", "reviews.json"] {
            assert_eq!(json_of(&files, table), serde_json::json!([]), "{q} {table}");
        }
        assert!(json_of(&files, "register/register.json")["services"]
            .as_array()
            .is_some_and(|s| !s.is_empty()));
    }
    // A period's entries are not hidden by calling it empty: a full bundle whose manifest
    // says so (signed again, as only the key's holder could) is refused by its rows.
    let full = unzip(&download(&app, "").await);
    let hidden = forged(&full, &app, |f| {
        let mut m = json_of(f, "manifest.json");
        m["first_index"] = serde_json::Value::Null;
        m["last_index"] = serde_json::Value::Null;
        f.insert("manifest.json".into(), serde_json::to_vec(&m).unwrap());
    });
    assert!(
        hidden.contains("the manifest says the period holds no entry"),
        "{hidden}"
    );
    let auditor = app.token(Role::Auditor).await;
    for q in ["?from=yesterday", "?to=2026-13-01"] {
        let r = app
            .get(&format!("/api/v1/exports/bundle{q}"), &auditor)
            .await;
        assert_eq!(r.status(), 400, "{q}");
    }
    for (role, status) in [
        (Role::Operator, 403),
        (Role::Reviewer, 403),
        (Role::Dpo, 200),
        (Role::Admin, 200),
    ] {
        let t = app.token(role).await;
        assert_eq!(
            app.get("/api/v1/exports/bundle", &t).await.status(),
            status,
            "{role}"
        );
    }
}

#[tokio::test]
async fn corrupt_truncated_and_unsafe_archives_are_clear_errors() {
    let app = TestApp::spawn().await;
    let bytes = download(&app, "").await;
    for cut in [10, bytes.len() / 2, bytes.len() - 5] {
        let e = bundle::read_zip(std::io::Cursor::new(bytes[..cut].to_vec())).unwrap_err();
        assert!(matches!(e, BundleError::Unreadable(_)), "{e}");
    }
    for name in ["../escape", "/etc/x", "a/../../b"] {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        w.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(b"x").unwrap();
        let z = w.finish().unwrap().into_inner();
        let e = bundle::read_zip(std::io::Cursor::new(z))
            .unwrap_err()
            .to_string();
        assert!(e.contains("not a safe relative path"), "{name}: {e}");
    }
}

#[tokio::test]
async fn verify_bundle_on_the_command_line_needs_a_key_and_names_the_bad_file() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("b.zip");
    std::fs::write(&good, download(&app, "").await).unwrap();
    let key = dir.path().join("key.txt");
    std::fs::write(&key, format!("{}\n", app.keys.verifier_key)).unwrap();
    let run = |args: &[&std::path::Path]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_gallra"))
            .arg("verify-bundle")
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&[&good]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("proves nothing"));
    let out = run(&[&good, "--key".as_ref(), &key]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(": ok: ") && stdout.lines().count() == 1,
        "{stdout}"
    );
    let other = gallra::evidence::Keys::generate("gallra.local/evidence").unwrap();
    let out = run(&[&good, "--key".as_ref(), other.verifier_key.as_ref()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("manifest.sig: not signed by the key given")
    );
    let mut files = unzip(&std::fs::read(&good).unwrap());
    files.insert("extra".into(), vec![1]);
    let bad = dir.path().join("bad.zip");
    let mut w = zip::ZipWriter::new(std::fs::File::create(&bad).unwrap());
    for (p, b) in &files {
        w.start_file(p.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(b).unwrap();
    }
    w.finish().unwrap();
    let out = run(&[&bad, "--key".as_ref(), &key]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("extra: not listed in the manifest"));
}
