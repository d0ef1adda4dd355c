//! A new installation works whatever command comes first: each command that opens a new store
//! makes or checks both keys the same way, so `serve` and a purge succeed after any of them.
//! And a store whose keys are lost for good is recovered with `gallra keys rekey`.

use std::path::PathBuf;
use std::process::Output;

use chrono::{TimeDelta, Utc};
use gallra::policy::spec::TimestampFormat;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::datasources::{Fixture, Kind};
use crate::helpers::{fresh_database_url, seed_policies};

/// A new store and data folder, and the datasources the seed rules and reviews name.
struct Installation {
    dir: tempfile::TempDir,
    database_url: String,
    meetings: Fixture,
    vdx: Fixture,
}

impl Installation {
    async fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let database_url = fresh_database_url(dir.path()).await;
        // 30 participants from the last three days and 2 over age: within every guard.
        let now = Utc::now();
        let mut rows: Vec<_> = (1..=30)
            .map(|i| (i, now - TimeDelta::hours(2 * i)))
            .collect();
        rows.extend([
            (31, now - TimeDelta::days(9)),
            (32, now - TimeDelta::days(10)),
        ]);
        let meetings = Fixture::participants(Kind::Sqlite, TimestampFormat::Sql, &rows).await;
        let vdx = Fixture::accounts(
            Kind::Sqlite,
            "admin_profiles",
            &[(1, "Admin Ett", "admin"), (2, "Admin Två", "operator")],
            &[],
        )
        .await;
        Installation {
            dir,
            database_url,
            meetings,
            vdx,
        }
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_gallra"));
        c.args(args)
            .current_dir(self.dir.path())
            .env("GALLRA_DATABASE_URL", &self.database_url)
            .env("GALLRA_DATA_DIR", self.data_dir())
            .env("GALLRA_POLICIES", seed_policies())
            .env("GALLRA_DATASOURCE_MEETINGS", &self.meetings.url)
            .env("GALLRA_DATASOURCE_VDX_ADMIN", &self.vdx.url)
            .env("GALLRA_SCHEDULER", "off")
            .env("GALLRA_LISTEN", "127.0.0.1:0")
            .env("GALLRA_LOG_FORMAT", "json")
            .env("RUST_LOG", "info")
            .env_remove("GALLRA_EVIDENCE_KEY")
            .env_remove("GALLRA_INSTALLATION_KEY")
            .kill_on_drop(true);
        c
    }

    async fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().await.unwrap()
    }

    /// `gallra serve`, once it listens, and its address.
    async fn serve(&self) -> (Child, String) {
        let mut child = self
            .command(&["serve"])
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        while let Some(line) = lines.next_line().await.unwrap() {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) else {
                continue;
            };
            if v["fields"]["message"] == "listening" {
                let addr = v["fields"]["addr"].as_str().unwrap().to_owned();
                // Keep reading its log, so the server never blocks on a full pipe.
                tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
                return (child, format!("http://{addr}"));
            }
        }
        let out = child.wait_with_output().await.unwrap();
        panic!("serve stopped before listening: {:?}", out.status);
    }

    /// `serve` answers ready, and a purge beside it succeeds.
    async fn serve_and_purge(&self, after: &str) {
        let (mut server, base) = self.serve().await;
        let ready = reqwest::get(format!("{base}/readyz")).await.unwrap();
        assert_eq!(ready.status(), 200, "after {after}: serve is not ready");
        let purge = self.run(&["purge", "meeting-participants", "--json"]).await;
        assert_success(&purge, &format!("purge after {after}"));
        let report: serde_json::Value = serde_json::from_slice(&purge.stdout).unwrap();
        assert_eq!(report["outcome"], "succeeded", "after {after}: {report}");
        server.kill().await.unwrap();
    }
}

fn assert_success(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Whether the stderr of a failed command is about keys (which it must never be on a new store).
fn about_keys(out: &Output) -> bool {
    let err = String::from_utf8_lossy(&out.stderr);
    err.contains("key") && (err.contains("rekey") || err.contains("first used"))
}

#[tokio::test]
async fn any_first_command_leaves_a_store_that_serve_and_purge_open() {
    let cases: &[&[&str]] = &[
        &["apply"],
        &["token", "create", "--role", "dpo", "--name", "first"],
        &["purge", "meeting-participants", "--dry-run"],
        &["review", "open", "vdx-admin-profiles"],
        &["evidence", "verify"],
        &["evidence", "checkpoint"],
        &["migrate"],
        &["serve"],
    ];
    for &first in cases {
        let i = Installation::new().await;
        let name = first.join(" ");
        if first == ["serve"] {
            let (mut server, _) = i.serve().await;
            server.kill().await.unwrap();
        } else {
            let out = i.run(first).await;
            // A purge or a review of a register not yet applied names the unknown rule; it must
            // not fail on, or leave anything wrong with, the keys.
            let unknown = matches!(first[0], "purge" | "review");
            assert!(
                out.status.success() || (unknown && !about_keys(&out)),
                "{name} on a new store: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        assert!(i.data_dir().join("installation.key").exists(), "{name}");
        assert!(i.data_dir().join("evidence-signing.key").exists(), "{name}");
        i.serve_and_purge(&name).await;
        assert_success(&i.run(&["evidence", "verify"]).await, &name);
    }
}

#[tokio::test]
async fn a_store_whose_keys_are_lost_is_rekeyed_with_evidence_and_verifies() {
    let i = Installation::new().await;
    assert_success(&i.run(&["apply"]).await, "apply");
    i.serve_and_purge("apply").await;
    let old_key = i.run(&["evidence", "key"]).await;
    assert_success(&old_key, "evidence key");
    for f in ["installation.key", "evidence-signing.key"] {
        std::fs::remove_file(i.data_dir().join(f)).unwrap();
    }
    // Lost: every command is refused, and says what to do.
    let refused = i.run(&["evidence", "verify"]).await;
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("gallra keys rekey --installation"), "{err}");
    assert!(!i.data_dir().join("installation.key").exists());

    let reason = "the data disk was lost with no backup of the keys";
    let rekeyed = i
        .run(&[
            "keys",
            "rekey",
            "--installation",
            "--evidence",
            "--reason",
            reason,
        ])
        .await;
    assert_success(&rekeyed, "keys rekey");

    // The store opens again, its whole log verifies (checkpoints before the replacement under
    // the old key), and a purge runs.
    assert_success(&i.run(&["evidence", "verify"]).await, "verify after rekey");
    i.serve_and_purge("rekey").await;
    let new_key = i.run(&["evidence", "key"]).await;
    assert_ne!(old_key.stdout, new_key.stdout);

    // The replacements are evidence: which key, old and new, the reason's hash and never the reason.
    let show = i.run(&["keys", "show"]).await;
    assert_success(&show, "keys show");
    let show = String::from_utf8_lossy(&show.stdout);
    let old_key = String::from_utf8_lossy(&old_key.stdout);
    assert!(
        show.contains("evidence-signing at evidence entry"),
        "{show}"
    );
    assert!(show.contains(old_key.trim()), "{show}");
    let db = sea_orm::Database::connect(&i.database_url).await.unwrap();
    let replaced = gallra::evidence::replacements(&db).await.unwrap();
    assert_eq!(
        replaced.iter().map(|r| r.key.as_str()).collect::<Vec<_>>(),
        ["installation", "evidence-signing"]
    );
    for r in &replaced {
        let body = gallra::evidence::entry(&db, r.index as u64)
            .await
            .unwrap()
            .unwrap();
        assert!(
            body.contains(&hex::encode(Sha256::digest(reason))),
            "{body}"
        );
        assert!(!body.contains("data disk"), "{body}");
    }

    // A key that is there is not lost: a second rekey is refused and changes nothing.
    let again = i
        .run(&["keys", "rekey", "--installation", "--reason", "again"])
        .await;
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("is not lost"));
    assert_eq!(gallra::evidence::replacements(&db).await.unwrap().len(), 2);
}
