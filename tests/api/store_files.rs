//! The SQLite store's files changed under a running `gallra serve`: never a silent death, and a
//! key file others can read is said at start. Always a SQLite store: these are its files.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::helpers::seed_policies;

/// A running `gallra serve`: the process, its address, its log until it listened, and the
/// rest of its stderr once it ends.
struct Served {
    child: Child,
    base: String,
    log: Vec<String>,
    rest: tokio::task::JoinHandle<String>,
}

/// `gallra serve` on a SQLite store in `dir`, once it listens.
async fn serve(dir: &Path) -> Served {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gallra"))
        .arg("serve")
        .current_dir(dir)
        .env(
            "GALLRA_DATABASE_URL",
            format!("sqlite://{}/data/gallra.db?mode=rwc", dir.display()),
        )
        .env("GALLRA_DATA_DIR", dir.join("data"))
        .env("GALLRA_POLICIES", seed_policies())
        .env("GALLRA_SCHEDULER", "off")
        .env("GALLRA_LISTEN", "127.0.0.1:0")
        .env("GALLRA_LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .env_remove("GALLRA_EVIDENCE_KEY")
        .env_remove("GALLRA_INSTALLATION_KEY")
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut seen = Vec::new();
    while let Some(line) = lines.next_line().await.unwrap() {
        seen.push(line.clone());
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        if v["fields"]["message"] == "listening" {
            let addr = v["fields"]["addr"].as_str().unwrap().to_owned();
            // Read on, so the server never blocks on a full pipe; the text is kept for the test.
            let rest = tokio::spawn(async move {
                let mut rest = String::new();
                while let Ok(Some(l)) = lines.next_line().await {
                    rest.push_str(&l);
                    rest.push('\n');
                }
                rest
            });
            return Served {
                child,
                base: format!("http://{addr}"),
                log: seen,
                rest,
            };
        }
    }
    panic!("serve stopped before listening: {seen:?}");
}

#[tokio::test]
async fn a_truncated_shm_file_stops_serve_with_a_message_not_a_silent_death() {
    let dir = tempfile::tempdir().unwrap();
    let Served {
        mut child,
        base,
        rest,
        ..
    } = serve(dir.path()).await;
    assert_eq!(
        reqwest::get(format!("{base}/readyz"))
            .await
            .unwrap()
            .status(),
        200
    );
    let shm = dir.path().join("data/gallra.db-shm");
    assert!(shm.exists(), "the store runs in WAL mode");
    std::fs::OpenOptions::new()
        .write(true)
        .open(&shm)
        .unwrap()
        .set_len(0)
        .unwrap();
    // The next read of the store touches the mapping; the answer never comes.
    let _ = reqwest::get(format!("{base}/readyz")).await;
    let status = tokio::time::timeout(Duration::from_secs(30), child.wait())
        .await
        .expect("serve stops")
        .unwrap();
    assert_eq!(
        status.code(),
        Some(gallra::crash::SIGBUS_EXIT),
        "{status:?}"
    );
    let said = rest.await.unwrap();
    assert!(said.contains("SIGBUS") && said.contains("-shm"), "{said}");
}

#[tokio::test]
async fn a_key_file_readable_by_others_is_said_at_start() {
    let dir = tempfile::tempdir().unwrap();
    serve(dir.path()).await.child.kill().await.unwrap();
    let key = dir.path().join("data/evidence-signing.key");
    assert_eq!(
        std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
        0o600
    );
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let mut second = serve(dir.path()).await;
    second.child.kill().await.unwrap();
    let warned = second.log.iter().any(|l| {
        l.contains("readable by others") && l.contains("evidence-signing.key") && l.contains("644")
    });
    assert!(warned, "{:#?}", second.log);
}
