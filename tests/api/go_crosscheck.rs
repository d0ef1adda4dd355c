//! An independent implementation accepts the log: Go's sumdb/note opens the checkpoint with the
//! served key, and sumdb/tlog checks every inclusion proof and a consistency proof.
//! Needs `go` and golang.org/x/mod (Debian: golang-go, golang-golang-x-mod-dev); `.ci/run`
//! installs them, and under CI=true their absence fails the test.

use base64::Engine;
use gallra::auth::Role;
use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
async fn go_sumdb_note_and_tlog_accept_the_checkpoint_and_every_proof() {
    if std::process::Command::new("go")
        .arg("version")
        .output()
        .is_err()
    {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "go is required in CI for the cross-check"
        );
        eprintln!("go not installed: cross-check not run");
        return;
    }
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin).await;
    let old = gallra::evidence::latest_checkpoint(&app.db)
        .await
        .unwrap()
        .unwrap();
    let created = app
        .post_json(
            "/api/v1/tokens",
            &admin,
            json!({"name": "later", "role": "auditor"}),
        )
        .await;
    assert_eq!(created.status(), 201);
    let root = base64::engine::general_purpose::STANDARD.encode(
        base64::engine::general_purpose::STANDARD
            .decode(&old.root_hash)
            .unwrap(),
    );
    let cache = tempfile::tempdir().unwrap();
    let address = app.address.clone();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new("go")
            .args([
                "run",
                "crosscheck.go",
                &address,
                &admin,
                &old.tree_size.to_string(),
                &root,
            ])
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/go"))
            .env("GO111MODULE", "off")
            .env("GOPATH", "/usr/share/gocode")
            .env("GOCACHE", cache.path())
            .env("GOFLAGS", "")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.starts_with("OK: gallra.local/evidence"), "{stdout}");
}

/// `go` and x/mod are present (or, outside CI, the test is skipped).
fn go_available() -> bool {
    if std::process::Command::new("go")
        .arg("version")
        .output()
        .is_ok()
    {
        return true;
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "go is required in CI for the cross-check"
    );
    eprintln!("go not installed: cross-check not run");
    false
}

/// Run tests/go/bundle.go on an unzipped bundle.
fn go_bundle(dir: &std::path::Path, key: &std::path::Path) -> std::process::Output {
    let cache = tempfile::tempdir().unwrap();
    std::process::Command::new("go")
        .args(["run", "bundle.go"])
        .arg(dir)
        .arg(key)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/go"))
        .env("GO111MODULE", "off")
        .env("GOPATH", "/usr/share/gocode")
        .env("GOCACHE", cache.path())
        .env("GOFLAGS", "")
        .output()
        .unwrap()
}

/// A day of entries between others: the bundle of that day proves its entries (and the rest of
/// their entry bundles) through tiles of two levels, and holds no tile Go does not read.
#[tokio::test]
async fn go_sumdb_tlog_proves_every_entry_of_a_bundle_through_its_tiles() {
    if !go_available() {
        return;
    }
    let app = TestApp::spawn().await;
    for (days, n) in [(1, 600), (2, 100)] {
        app.clock.advance(chrono::TimeDelta::days(days));
        let now = gallra::clock::Clock::now(&*app.clock);
        let events: Vec<_> = (0..n)
            .map(|i| gallra::evidence::Event::TokenRevoked { token_id: i })
            .collect();
        let txn = gallra::db::begin_write(&app.db).await.unwrap();
        gallra::evidence::append_all(&txn, &events, now)
            .await
            .unwrap();
        txn.commit().await.unwrap();
    }
    let bytes = crate::bundle::download(&app, "?from=2026-11-24&to=2026-11-24").await;
    let files = crate::bundle::unzip(&bytes);
    let ok = gallra::export::bundle::verify(&files, &app.keys.verifier_key).unwrap();
    assert!(
        ok.span.is_some_and(|s| s.first > 0 && s.entries() == 600),
        "{ok:?}"
    );
    let dir = tempfile::tempdir().unwrap();
    for (path, data) in &files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, data).unwrap();
    }
    // The key is published out of band: not in the bundle's folder.
    let published = tempfile::tempdir().unwrap();
    let key = published.path().join("published-key");
    std::fs::write(&key, &app.keys.verifier_key).unwrap();
    let (d, k) = (dir.path().to_owned(), key.clone());
    let out = tokio::task::spawn_blocking(move || go_bundle(&d, &k))
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.starts_with(&format!(
            "OK: gallra.local/evidence, {} entries proven",
            ok.entries
        )),
        "{stdout}"
    );

    // The printable register changed and its sum in the manifest with it, the signature left:
    // Go refuses the bundle, by the manifest's signature.
    let html = dir.path().join("register/register.html");
    let manifest = dir.path().join("manifest.json");
    let (html_was, manifest_was) = (
        std::fs::read(&html).unwrap(),
        std::fs::read(&manifest).unwrap(),
    );
    let mut forged = files.clone();
    forged
        .get_mut("register/register.html")
        .unwrap()
        .extend_from_slice(b"<p>x</p>");
    let mut m: serde_json::Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
    for f in m["files"].as_array_mut().unwrap() {
        if f["path"] == "register/register.html" {
            let sum = gallra::export::bundle::manifest::FileSum::of(
                "register/register.html",
                &forged["register/register.html"],
            );
            *f = serde_json::to_value(sum).unwrap();
        }
    }
    std::fs::write(&html, &forged["register/register.html"]).unwrap();
    std::fs::write(&manifest, serde_json::to_vec(&m).unwrap()).unwrap();
    let (d, k) = (dir.path().to_owned(), key.clone());
    let out = tokio::task::spawn_blocking(move || go_bundle(&d, &k))
        .await
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("manifest.sig signs another manifest"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(&html, html_was).unwrap();
    std::fs::write(&manifest, manifest_was).unwrap();

    // A changed hash tile, or one missing, and Go refuses the bundle.
    let level0 = dir.path().join("tile/0/001");
    let mut data = std::fs::read(&level0).unwrap();
    data[7] ^= 1;
    std::fs::write(&level0, &data).unwrap();
    let (d, k) = (dir.path().to_owned(), key.clone());
    let out = tokio::task::spawn_blocking(move || go_bundle(&d, &k))
        .await
        .unwrap();
    assert!(!out.status.success());
    std::fs::remove_file(&level0).unwrap();
    let (d, k) = (dir.path().to_owned(), key);
    let out = tokio::task::spawn_blocking(move || go_bundle(&d, &k))
        .await
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("tile/0/001"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
