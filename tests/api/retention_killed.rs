//! Nothing deleted without its evidence, whatever is killed when: a real `gallra purge` child is
//! killed (SIGKILL) at each point of a purge (`GALLRA_TEST_PAUSE`); the next purge settles the
//! cut-off run from its journal and completes. Rows deleted = rows in evidence, each digest is
//! over exactly the keys its run deleted, the log verifies, no run is left `running`. And one
//! run of a rule at a time: a second purge (or API run) beside a working one is refused.

use std::collections::BTreeSet;
use std::process::Output;

use chrono::{TimeDelta, Utc};
use entity::retention_runs;
use gallra::policy::spec::TimestampFormat;
use sea_orm::{ColumnTrait, Database, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::datasources::{kinds, Fixture, Kind};
use crate::helpers::{fresh_database_url, seed_policies};
use crate::retention::digest_of;

pub(crate) const RULE: &str = "meeting-participants";
/// 110 recent rows and 90 over age (45%: within the seed rule's guards), 10 a batch.
pub(crate) const BATCH: &str = "10";

pub(crate) struct Setup {
    pub(crate) dir: tempfile::TempDir,
    pub(crate) database_url: String,
    pub(crate) ds: Fixture,
    pub(crate) vdx: Option<Fixture>,
}

impl Setup {
    pub(crate) async fn new(kind: Kind) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let database_url = fresh_database_url(dir.path()).await;
        let now = Utc::now();
        let mut rows: Vec<_> = (1..=110)
            .map(|i| (i, now - TimeDelta::minutes(10 * i)))
            .collect();
        rows.extend((111..=200).map(|i| (i, now - TimeDelta::days(8) - TimeDelta::minutes(i))));
        let ds = Fixture::participants(kind, TimestampFormat::Sql, &rows).await;
        let s = Setup {
            dir,
            database_url,
            ds,
            vdx: None,
        };
        ok(&s.run(&["apply"], None).await, "apply");
        s
    }

    pub(crate) fn command(&self, args: &[&str], pause: Option<&str>) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_gallra"));
        c.args(args)
            .current_dir(self.dir.path())
            .env("GALLRA_DATABASE_URL", &self.database_url)
            .env("GALLRA_DATA_DIR", self.dir.path().join("data"))
            .env("GALLRA_POLICIES", seed_policies())
            .env("GALLRA_DATASOURCE_MEETINGS", &self.ds.url)
            .env("GALLRA_SCHEDULER", "off")
            .env("GALLRA_LISTEN", "127.0.0.1:0")
            .env("GALLRA_LOG_FORMAT", "json")
            .env("RUST_LOG", "warn")
            .env_remove("GALLRA_EVIDENCE_KEY")
            .env_remove("GALLRA_INSTALLATION_KEY")
            .env_remove("GALLRA_TEST_PAUSE")
            .kill_on_drop(true);
        if let Some(p) = pause {
            c.env("GALLRA_TEST_PAUSE", p);
        }
        if let Some(vdx) = &self.vdx {
            c.env("GALLRA_DATASOURCE_VDX_ADMIN", &vdx.url);
        }
        c
    }

    pub(crate) async fn run(&self, args: &[&str], pause: Option<&str>) -> Output {
        self.command(args, pause).output().await.unwrap()
    }

    /// `gallra purge` paused at `point`: the child, once it printed its marker.
    pub(crate) async fn paused_purge(&self, point: &str) -> Child {
        self.paused(&["purge", RULE, "--json", "--batch", BATCH], point)
            .await
    }

    /// `gallra <args>` paused at `point`: the child, once it printed its marker.
    pub(crate) async fn paused(&self, args: &[&str], point: &str) -> Child {
        let mut c = self.command(args, Some(point));
        c.stdout(std::process::Stdio::null());
        paused(c, point).await
    }
}

/// `c` spawned, once it printed that it paused at `point`.
pub(crate) async fn paused(mut c: Command, point: &str) -> Child {
    let mut child = c.stderr(std::process::Stdio::piped()).spawn().unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut seen = Vec::new();
    while let Some(line) = lines.next_line().await.unwrap() {
        if line.starts_with("GALLRA_PAUSED ") {
            tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
            return child;
        }
        seen.push(line);
    }
    let status = child.wait().await.unwrap();
    panic!("purge never paused at {point} ({status:?}): {seen:#?}");
}

impl Setup {
    pub(crate) async fn store(&self) -> DatabaseConnection {
        Database::connect(&self.database_url).await.unwrap()
    }

    pub(crate) async fn ids(&self) -> BTreeSet<i64> {
        self.ds.ids().await.into_iter().collect()
    }
}

pub(crate) fn ok(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what} failed ({:?}): {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Each run of the rule, in order, with its evidence entry.
pub(crate) async fn runs(
    store: &DatabaseConnection,
) -> Vec<(retention_runs::Model, serde_json::Value)> {
    let rows = retention_runs::Entity::find()
        .filter(retention_runs::Column::RuleId.eq(RULE))
        .order_by_asc(retention_runs::Column::Id)
        .all(store)
        .await
        .unwrap();
    let mut out = Vec::new();
    for r in rows {
        let index = r.evidence_index.expect("every run has its evidence") as u64;
        let entry = gallra::evidence::entry(store, index)
            .await
            .unwrap()
            .unwrap();
        out.push((r, serde_json::from_str(&entry).unwrap()));
    }
    out
}

const POINTS: &[&str] = &[
    "before-first-batch",
    "batch-changed:1",
    "batch-changed:3",
    "batch-journaled:1",
    "batch-journaled:4",
    "batch-committed:1",
    "batch-committed:5",
    "after-last-batch",
    "before-evidence",
];

#[tokio::test]
async fn a_purge_killed_at_any_point_is_settled_exactly_and_the_rerun_completes() {
    for kind in kinds() {
        for &point in POINTS {
            let what = format!("{kind:?} killed at {point}");
            let s = Setup::new(kind).await;
            let before = s.ids().await;
            let mut child = s.paused_purge(point).await;
            child.start_kill().unwrap();
            child.wait().await.unwrap();
            let store = s.store().await;
            let cut = retention_runs::Entity::find()
                .filter(retention_runs::Column::RuleId.eq(RULE))
                .all(&store)
                .await
                .unwrap();
            assert_eq!(cut.len(), 1, "{what}");
            assert_eq!(
                cut[0].outcome,
                gallra::retention::Outcome::Running,
                "{what}"
            );
            let after_kill = s.ids().await;

            let rerun = s
                .run(&["purge", RULE, "--json", "--batch", BATCH], None)
                .await;
            ok(&rerun, &what);
            let report: serde_json::Value = serde_json::from_slice(&rerun.stdout).unwrap();
            assert_eq!(report["outcome"], "succeeded", "{what}: {report}");
            let left = s.ids().await;
            assert_eq!(left.len(), 110, "{what}: every row over age is gone");

            let runs = runs(&store).await;
            assert_eq!(runs.len(), 2, "{what}");
            let (first, first_entry) = &runs[0];
            let (second, second_entry) = &runs[1];
            assert_eq!(
                first.outcome,
                gallra::retention::Outcome::Interrupted,
                "{what}"
            );
            assert_eq!(first_entry["outcome"], "interrupted", "{what}");
            assert_eq!(
                second.outcome,
                gallra::retention::Outcome::Succeeded,
                "{what}"
            );
            let by_first: Vec<i64> = before.difference(&after_kill).copied().collect();
            let by_second: Vec<i64> = after_kill.difference(&left).copied().collect();
            assert_eq!(
                first_entry["affected"],
                serde_json::json!(by_first.len()),
                "{what}: {first_entry}"
            );
            assert_eq!(
                first_entry["keys_sha256"],
                serde_json::json!(digest_of(by_first)),
                "{what}"
            );
            assert_eq!(
                second_entry["affected"],
                serde_json::json!(by_second.len()),
                "{what}: {second_entry}"
            );
            assert_eq!(
                second_entry["keys_sha256"],
                serde_json::json!(digest_of(by_second)),
                "{what}"
            );
            ok(&s.run(&["evidence", "verify"], None).await, &what);
            let journal = entity::run_journal::Entity::find()
                .all(&store)
                .await
                .unwrap();
            assert!(journal.is_empty(), "{what}: the store keeps no keys");
            store.close().await.ok();
        }
    }
}

#[tokio::test]
async fn a_second_purge_beside_a_working_one_is_refused_naming_it() {
    let s = Setup::new(Kind::Sqlite).await;
    let mut first = s.paused_purge("batch-committed:2").await;
    let store = s.store().await;
    let working = retention_runs::Entity::find()
        .filter(retention_runs::Column::RuleId.eq(RULE))
        .one(&store)
        .await
        .unwrap()
        .unwrap();

    let second = s.run(&["purge", RULE, "--json"], None).await;
    assert!(!second.status.success());
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(
        err.contains(&format!("already being run (run {})", working.id)),
        "{err}"
    );

    // The API says the same, with 409.
    let token = s
        .run(&["token", "create", "--role", "admin", "--name", "t"], None)
        .await;
    ok(&token, "token create");
    let token = String::from_utf8_lossy(&token.stdout).trim().to_owned();
    let (mut server, base) = serve(&s).await;
    let res = reqwest::Client::new()
        .post(format!("{base}/api/v1/retention/rules/{RULE}/runs"))
        .bearer_auth(&token)
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    let body: serde_json::Value = res.json().await.unwrap();
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains(&format!("run {}", working.id)), "{body}");
    server.kill().await.unwrap();

    // Once its process is gone, the next purge settles it and goes on at once.
    first.start_kill().unwrap();
    first.wait().await.unwrap();
    let rerun = s.run(&["purge", RULE, "--json"], None).await;
    ok(&rerun, "purge after the first was killed");
    let runs = runs(&store).await;
    let outcomes: Vec<&str> = runs.iter().map(|(r, _)| r.outcome.as_str()).collect();
    assert_eq!(outcomes, ["interrupted", "succeeded"]);
    assert_eq!(runs[0].1["affected"], 20, "two committed batches");
}

/// `gallra serve` once it listens, and its address.
pub(crate) async fn serve(s: &Setup) -> (Child, String) {
    listening(s.command(&["serve"], None)).await
}

/// `c`, a `gallra serve`, once it listens, and its address.
pub(crate) async fn listening(mut c: Command) -> (Child, String) {
    let mut child = c
        .env("RUST_LOG", "info")
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
            tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
            return (child, format!("http://{addr}"));
        }
    }
    panic!("serve stopped before listening");
}

pub(crate) const REVOKED: i64 = 8;

/// A campaign on 20 admin accounts of `kind`'s VDX source (`s.vdx`), opened and decided:
/// accounts 1..=REVOKED revoked, the rest kept. Its id.
pub(crate) async fn decided_campaign(s: &mut Setup, kind: Kind, what: &str) -> i32 {
    use entity::{review_campaigns, review_items};
    use sea_orm::sea_query::Expr;
    let accounts: Vec<(i64, String)> = (1..=20).map(|i| (i, format!("Konto {i}"))).collect();
    let rows: Vec<(i64, &str, &str)> = accounts
        .iter()
        .map(|(i, n)| (*i, n.as_str(), "admin"))
        .collect();
    s.vdx = Some(Fixture::accounts(kind, "admin_profiles", &rows, &[]).await);
    ok(
        &s.run(&["review", "open", "vdx-admin-profiles"], None).await,
        what,
    );
    let store = s.store().await;
    let c = review_campaigns::Entity::find()
        .one(&store)
        .await
        .unwrap()
        .unwrap();
    for (decision, keys) in [("revoke", 1..=REVOKED), ("keep", REVOKED + 1..=20)] {
        let keys: Vec<String> = keys.map(|k| k.to_string()).collect();
        review_items::Entity::update_many()
            .col_expr(review_items::Column::Decision, Expr::value(Some(decision)))
            .col_expr(
                review_items::Column::Justification,
                Expr::value(Some("test")),
            )
            .col_expr(review_items::Column::DecidedBy, Expr::value(Some("test")))
            .filter(review_items::Column::CampaignId.eq(c.id))
            .filter(review_items::Column::AccountKey.is_in(keys))
            .exec(&store)
            .await
            .unwrap();
    }
    store.close().await.ok();
    c.id
}

/// Campaign `id` is closed, its evidence says it revoked exactly REVOKED accounts (finishing a
/// close before it), the source agrees, and the log verifies.
pub(crate) async fn closed_exactly(s: &Setup, id: i32, what: &str) {
    use entity::review_campaigns;
    let store = s.store().await;
    let c = review_campaigns::Entity::find_by_id(id)
        .one(&store)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.status, gallra::review::CampaignStatus::Closed, "{what}");
    let entry = gallra::evidence::entry(&store, c.evidence_index.unwrap() as u64)
        .await
        .unwrap()
        .unwrap();
    let entry: serde_json::Value = serde_json::from_str(&entry).unwrap();
    let disabled = s.vdx.as_ref().unwrap().disabled("admin_profiles").await;
    let applied = disabled.iter().filter(|(_, d)| *d == 1).count();
    assert_eq!(applied as i64, REVOKED, "{what}");
    assert_eq!(entry["revocations_applied"], REVOKED, "{what}: {entry}");
    assert_eq!(entry["revocations_failed"], 0, "{what}: {entry}");
    assert_eq!(entry["resumed"], true, "{what}: {entry}");
    ok(&s.run(&["evidence", "verify"], None).await, what);
    store.close().await.ok();
}

#[tokio::test]
async fn a_review_close_killed_part_way_is_finished_exactly_by_the_next() {
    for kind in kinds() {
        for point in [
            "revocation-changed:3",
            "revocation-journaled:3",
            "revocation-committed:3",
            "before-close-evidence",
        ] {
            let what = format!("{kind:?} close killed at {point}");
            let mut s = Setup::new(kind).await;
            let id = decided_campaign(&mut s, kind, &what).await.to_string();
            let mut child = s.paused(&["review", "close", &id], point).await;
            child.start_kill().unwrap();
            child.wait().await.unwrap();

            ok(&s.run(&["review", "close", &id], None).await, &what);
            closed_exactly(&s, id.parse().unwrap(), &what).await;
        }
    }
}
