//! `gallra policies check` and `gallra apply` on invalid sets: exit 1, `path:line:column: message`,
//! and nothing applied.

use std::process::Command;

use entity::register_entries;
use sea_orm::{EntityTrait, PaginatorTrait};

use crate::helpers::{copy_policies, edit, fresh_database_url, line_col, seed_policies};

const GALLRA: &str = env!("CARGO_BIN_EXE_gallra");
const FILE: &str = "digitalt-mote.toml";

struct Case {
    name: &'static str,
    from: &'static str,
    to: &'static str,
    /// Bytes from the start of `from` to where the error points.
    shift: usize,
    message: &'static str,
}

const CASES: &[Case] = &[
    Case {
        name: "unknown field",
        from: "subject_matter =",
        to: "subject_mater =",
        shift: 0,
        message: "unknown field `subject_mater`",
    },
    Case {
        name: "unknown data type with suggestion",
        from: "\"national-id-number\", \"session-id\", \"meeting-content\"",
        to: "\"personnummer\", \"session-id\", \"meeting-content\"",
        shift: 0,
        message: "unknown personal-data type `personnummer`; did you mean `national-id-number`?",
    },
    Case {
        name: "dangling processor",
        from: "processor = \"inera\"",
        to: "processor = \"inera-ab\"",
        shift: 12,
        message: "unknown organisation `inera-ab`",
    },
    Case {
        name: "dangling enforced_by",
        from: "\"retention:meeting-participants\"",
        to: "\"retention:meeting-participant\"",
        shift: 0,
        message: "`enforced_by` names retention `meeting-participant`, which no service declares",
    },
    Case {
        name: "bad cron",
        from: "\"30 2 * * *\"",
        to: "\"30 25 * * *\"",
        shift: 0,
        message: "invalid cron expression `30 25 * * *`",
    },
    Case {
        name: "bad time zone",
        from: "\"Europe/Stockholm\"",
        to: "\"Europe/Stokholm\"",
        shift: 0,
        message: "unknown time zone `Europe/Stokholm`",
    },
    Case {
        name: "negative duration",
        from: "keep_for = \"7d\"",
        to: "keep_for = \"-7d\"",
        shift: 11,
        message: "duration must be positive, got `-7d`",
    },
    Case {
        name: "unknown subject category",
        from: "category = \"residents\"",
        to: "category = \"resident\"",
        shift: 11,
        message: "unknown data-subject category `resident`; did you mean `residents`",
    },
];

fn check(dir: &std::path::Path) -> (i32, String) {
    let out = Command::new(GALLRA)
        .args(["policies", "check"])
        .arg(dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_seed_policies_are_valid() {
    let out = Command::new(GALLRA)
        .args(["policies", "check"])
        .arg(seed_policies())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn each_invalid_set_names_file_line_and_column() {
    for case in CASES {
        let tmp = tempfile::tempdir().unwrap();
        copy_policies(&seed_policies(), tmp.path());
        let at = edit(tmp.path(), FILE, case.from, case.to);
        let (line, col) = line_col(tmp.path(), FILE, at + case.shift);
        let (code, stderr) = check(tmp.path());
        assert_eq!(code, 1, "{}: {stderr}", case.name);
        let expected = format!(
            "{}:{line}:{col}: {}",
            tmp.path().join(FILE).display(),
            case.message
        );
        assert!(
            stderr.lines().any(|l| l.starts_with(&expected)),
            "{}: expected `{expected}` in\n{stderr}",
            case.name
        );
    }
}

#[test]
fn a_syntax_error_names_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    copy_policies(&seed_policies(), tmp.path());
    let at = edit(tmp.path(), FILE, "keep_for = \"7d\"", "keep_for = \"7d");
    let (line, _) = line_col(tmp.path(), FILE, at);
    let (code, stderr) = check(tmp.path());
    assert_eq!(code, 1);
    let prefix = format!("{}:{line}:", tmp.path().join(FILE).display());
    assert!(
        stderr.lines().any(|l| l.starts_with(&prefix)),
        "expected `{prefix}` in\n{stderr}"
    );
}

#[test]
fn a_duplicate_service_id_points_at_the_first_definition() {
    let tmp = tempfile::tempdir().unwrap();
    copy_policies(&seed_policies(), tmp.path());
    std::fs::copy(tmp.path().join(FILE), tmp.path().join("zz-copy.toml")).unwrap();
    let (code, stderr) = check(tmp.path());
    assert_eq!(code, 1);
    let first = format!("{}:2:6", tmp.path().join(FILE).display());
    let expected = format!(
        "{}:2:6: duplicate service id `digitalt-mote`: first defined at {first}",
        tmp.path().join("zz-copy.toml").display()
    );
    assert!(
        stderr.contains(&expected),
        "expected `{expected}` in\n{stderr}"
    );
}

#[tokio::test]
async fn apply_of_an_invalid_set_exits_1_and_applies_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let policies = tmp.path().join("policies");
    copy_policies(&seed_policies(), &policies);
    edit(&policies, FILE, "keep_for = \"7d\"", "keep_for = \"-7d\"");
    let url = fresh_database_url(tmp.path()).await;
    let out = Command::new(GALLRA)
        .arg("apply")
        .arg(&policies)
        .env("GALLRA_DATABASE_URL", &url)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("duration must be positive"), "{stderr}");
    let db = gallra::db::connect(&url).await.unwrap();
    assert_eq!(
        register_entries::Entity::find().count(&db).await.unwrap(),
        0
    );
}

#[tokio::test]
async fn apply_of_a_valid_set_prints_what_changed() {
    let tmp = tempfile::tempdir().unwrap();
    let url = fresh_database_url(tmp.path()).await;
    let run = || {
        Command::new(GALLRA)
            .arg("apply")
            .arg(seed_policies())
            .arg("--json")
            .env("GALLRA_DATABASE_URL", &url)
            .output()
            .unwrap()
    };
    let first: serde_json::Value = serde_json::from_slice(&run().stdout).unwrap();
    assert!(first["changes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["key"] == "digitalt-mote" && c["change"] == "added"));
    let second: serde_json::Value = serde_json::from_slice(&run().stdout).unwrap();
    assert_eq!(second["changes"].as_array().unwrap().len(), 0);
    assert_eq!(
        second["unchanged"],
        first["changes"].as_array().unwrap().len()
    );
}

#[tokio::test]
async fn check_with_datasources_finds_a_missing_url_or_table_at_the_rule() {
    let now = chrono::Utc::now();
    let ds = crate::datasources::Fixture::participants(
        crate::datasources::Kind::Sqlite,
        gallra::policy::spec::TimestampFormat::Sql,
        &crate::datasources::fourteen_days(now),
    )
    .await;
    let file = seed_policies().join(FILE);
    let text = std::fs::read_to_string(&file).unwrap();
    let at = text.find("datasource = \"meetings\"").unwrap() + "datasource = ".len();
    let (line, col) = line_col(&seed_policies(), FILE, at);
    let run = |url: Option<&str>| {
        let mut cmd = Command::new(GALLRA);
        cmd.args(["policies", "check", "--datasources"])
            .arg(seed_policies())
            .env_remove("GALLRA_DATASOURCE_MEETINGS");
        if let Some(u) = url {
            cmd.env("GALLRA_DATASOURCE_MEETINGS", u);
        }
        cmd.output().unwrap()
    };
    let out = run(None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains(&format!(
            "{}:{line}:{col}: rule `meeting-participants`: datasource `meetings` has no URL",
            file.display()
        )),
        "{stderr}"
    );
    assert!(run(Some(&ds.url)).status.success());
    let empty = tempfile::tempdir().unwrap();
    let out = run(Some(&format!(
        "sqlite://{}/empty.db?mode=rwc",
        empty.path().display()
    )));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("table `participants`"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
