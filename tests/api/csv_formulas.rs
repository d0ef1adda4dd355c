//! Formula injection: policy text, an author and a reason beginning `=`, `+`, `-`, `@`, a tab or
//! a carriage return come out of every CSV gallra writes — the register's, from the API and the
//! CLI, and the bundle's tables — with a leading `'`, and the bundle still verifies.

use chrono::{SecondsFormat, TimeDelta};
use gallra::app::apply_dir;
use gallra::auth::Role;
use gallra::clock::Clock;
use gallra::export::bundle;
use gallra::register::apply::Author;

use crate::bundle::{download, unzip};
use crate::helpers::{copy_policies, edit, seed_policies, TestApp};

const CALC: &str = "cmd|' /C calc'!A0";

/// Every cell of a CSV, by column name.
fn cells(bytes: &[u8]) -> Vec<(String, String)> {
    let mut r = csv::ReaderBuilder::new().from_reader(bytes);
    let header = r.headers().unwrap().clone();
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        out.extend(
            header
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.into(), v.into())),
        );
    }
    out
}

/// No cell of the CSV would start a formula (a plain number may start with `-`).
fn assert_defused(name: &str, bytes: &[u8]) {
    for (column, cell) in cells(bytes) {
        let number = cell.parse::<f64>().is_ok() && !cell.contains(['e', 'E', 'i', 'n', 'N']);
        assert!(
            number || !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "{name}: {column} is {cell:?}"
        );
    }
}

fn has(name: &str, bytes: &[u8], column: &str, want: &str) {
    let cells = cells(bytes);
    assert!(
        cells.iter().any(|(c, v)| c == column && v == want),
        "{name}: no {column} {want:?} in {:?}",
        cells
            .iter()
            .filter(|(c, _)| c == column)
            .collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn formula_starts_are_escaped_in_every_csv_and_the_bundle_still_verifies() {
    let tmp = tempfile::tempdir().unwrap();
    copy_policies(&seed_policies(), tmp.path());
    let file = "digitalt-mote.toml";
    edit(
        tmp.path(),
        file,
        "\"Digitalt möte\"",
        &format!("\"={CALC}\""),
    );
    edit(tmp.path(), file, "\"Tjänsten.\"", &format!("\"+{CALC}\""));
    edit(
        tmp.path(),
        file,
        "\"Att administrera digitala möten med säker autentisering\"",
        // A second purpose after a tab (TOML's `\t`): inside the cell, not at its start.
        &format!("\"-{CALC}\", \"\\t={CALC}\""),
    );
    let app = TestApp::spawn_with(Some(tmp.path())).await;
    // Two more versions, by an author and for reasons a spreadsheet would run.
    for (author, reason, name) in [
        (format!("@{CALC}"), format!("\t={CALC}"), "\"E-klient 2\""),
        (format!("\r={CALC}"), format!("-{CALC}"), "\"E-klient 3\""),
    ] {
        let from = std::fs::read_to_string(tmp.path().join("e-klient.toml")).unwrap();
        let at = from.find("name = \"E-klient").unwrap();
        let old = from[at..].lines().next().unwrap().to_owned();
        edit(tmp.path(), "e-klient.toml", &old, &format!("name = {name}"));
        app.clock.advance(TimeDelta::hours(1));
        let author = Author {
            name: author,
            reason,
        };
        apply_dir(&app.db, &app.keys, tmp.path(), &author, app.clock.now())
            .await
            .unwrap();
    }

    // The register's CSV from the API, plain and for spreadsheets.
    let at = app.clock.now().to_rfc3339_opts(SecondsFormat::Secs, true);
    let auditor = app.token(Role::Auditor).await;
    let r = app
        .get(
            &format!("/api/v1/exports/register?format=csv&as_of={at}"),
            &auditor,
        )
        .await;
    assert_eq!(r.status(), 200);
    let served = r.bytes().await.unwrap().to_vec();
    let name = "register csv";
    assert_defused(name, &served);
    has(name, &served, "service_name", &format!("'={CALC}"));
    has(name, &served, "subject_matter", &format!("'+{CALC}"));
    let purposes = cells(&served)
        .into_iter()
        .find(|(c, v)| c == "purposes" && v.contains(CALC))
        .unwrap()
        .1;
    assert!(purposes.starts_with(&format!("'-{CALC}")), "{purposes:?}");

    // The CLI writes the same bytes.
    let out = app.dir.path().join("register.csv");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_gallra"))
        .args([
            "export", "register", "--format", "csv", "--as-of", &at, "--out",
        ])
        .arg(&out)
        .env("GALLRA_DATABASE_URL", &app.database_url)
        .env("GALLRA_DATA_DIR", app.dir.path())
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(std::fs::read(&out).unwrap(), served);

    // The bundle's tables and register, and it verifies.
    let files = unzip(&download(&app, "").await);
    for (name, bytes) in files.iter().filter(|(p, _)| p.ends_with(".csv")) {
        assert_defused(name, bytes);
    }
    let versions = &files["versions.csv"];
    has("versions.csv", versions, "author", &format!("'@{CALC}"));
    has("versions.csv", versions, "reason", &format!("'\t={CALC}"));
    has("versions.csv", versions, "author", &format!("'\r={CALC}"));
    has("versions.csv", versions, "reason", &format!("'-{CALC}"));
    let register = &files["register/register.csv"];
    has(
        "register/register.csv",
        register,
        "service_name",
        &format!("'={CALC}"),
    );
    let ok = bundle::verify(&files, &app.keys.verifier_key).unwrap();
    assert!(ok.rows > 0);
}
