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
