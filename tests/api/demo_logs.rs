//! `gallra demo` at `RUST_LOG=debug`: none of its synthetic people (names, personnummer, keys)
//! appear in what it logs or prints, while it runs its jobs, opens its reviews and serves.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database, Statement};

/// Every text value of every table of the SQLite files in `dir`.
async fn texts_in(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_none_or(|x| x != "db") {
            continue;
        }
        let db = Database::connect(format!("sqlite://{}?mode=ro", path.display()))
            .await
            .unwrap();
        let b = db.get_database_backend();
        let tables = db
            .query_all_raw(Statement::from_string(
                b,
                "SELECT name FROM sqlite_master WHERE type = 'table'",
            ))
            .await
            .unwrap();
        for t in tables {
            let table: String = t.try_get("", "name").unwrap();
            let rows = db
                .query_all_raw(Statement::from_string(
                    b,
                    format!("SELECT * FROM \"{table}\""),
                ))
                .await
                .unwrap();
            for r in rows {
                for col in r.column_names() {
                    if let Ok(v) = r.try_get::<String>("", &col) {
                        out.push(v);
                    }
                }
            }
        }
        db.close().await.ok();
    }
    out
}

#[tokio::test]
async fn the_demo_logs_none_of_its_people_at_debug() {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo");
    let mut child = Command::new(env!("CARGO_BIN_EXE_gallra"))
        .args(["demo", "--dir"])
        .arg(&demo)
        .args(["--listen", "127.0.0.1:0"])
        .env("RUST_LOG", "debug")
        .env_remove("GALLRA_EVIDENCE_KEY")
        .env_remove("GALLRA_INSTALLATION_KEY")
        .env_remove("GALLRA_LOG_FORMAT")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let logs = std::thread::spawn(move || {
        let mut s = String::new();
        stderr.read_to_string(&mut s).ok();
        s
    });
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let stdout = child.stdout.take().unwrap();
    let printed = std::thread::spawn(move || {
        let mut all = String::new();
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            all.push_str(&line);
            all.push('\n');
            tx.send(line).ok();
        }
        all
    });

    let deadline = Instant::now() + Duration::from_secs(120);
    let (mut base, mut token) = (None, None);
    while token.is_none() || base.is_none() {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = rx.recv_timeout(left).expect("the demo prints its token");
        if let Some(rest) = line.trim().strip_prefix("API docs:") {
            base = Some(rest.trim().trim_end_matches("/api/docs").to_owned());
        }
        if let Some(rest) = line.trim().strip_prefix("token:") {
            token = Some(rest.trim().to_owned());
        }
    }
    let (base, token) = (base.unwrap(), token.unwrap());
    let client = reqwest::Client::new();
    for path in [
        "/api/v1/services/digitalt-mote",
        "/api/v1/services?data_type=national-id-number",
        "/api/v1/retention/runs",
        "/api/v1/reviews/campaigns",
        "/api/v1/reviews/campaigns/1",
        "/readyz",
    ] {
        let r = client
            .get(format!("{base}{path}"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{path}: {}", r.status());
        r.bytes().await.unwrap();
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let logs = logs.join().unwrap();
    let printed = printed.join().unwrap();
    assert!(
        logs.contains("DEBUG"),
        "the demo logged at debug: {logs:.300}"
    );

    // The people: those the datasources still hold, and the participants the purge removed,
    // made again as the demo made them (names and personnummer do not depend on the day).
    let again = dir.path().join("again");
    gallra::demo_data::meetings(
        &again,
        chrono::Utc::now(),
        gallra::demo_data::MEETING_DAYS,
        gallra::demo_data::MEETINGS_PER_DAY,
    )
    .await
    .unwrap();
    let mut people: Vec<String> = texts_in(&demo.join("datasources")).await;
    people.extend(texts_in(&again).await);
    // Names (a space between two words), personnummer (with and without the dash).
    let mut needles: Vec<String> = Vec::new();
    for v in people {
        let is_name = v.split(' ').count() == 2
            && v.chars().all(|c| c.is_alphabetic() || c == ' ' || c == '-');
        let is_pnr = v.len() == 13
            && v.as_bytes()[8] == b'-'
            && v.replace('-', "").chars().all(|c| c.is_ascii_digit());
        if is_pnr {
            needles.push(v.replace('-', ""));
        }
        if is_name || is_pnr || v.contains('@') {
            needles.push(v);
        }
    }
    needles.sort();
    needles.dedup();
    assert!(needles.len() > 1000, "the demo's people: {}", needles.len());
    for n in &needles {
        assert!(!logs.contains(n.as_str()), "the logs hold `{n}`");
        assert!(!printed.contains(n.as_str()), "the summary holds `{n}`");
    }
}
