//! Review campaigns: opened on schedule once, decided by assigned reviewers with justifications,
//! closed with revocations (guarded) and evidence without names; differential, exit and CSV.

use std::collections::HashMap;

use chrono::{TimeDelta, TimeZone, Utc};
use gallra::auth::Role;
use sea_orm::ConnectionTrait;
use serde_json::{json, Value};

use crate::datasources::{kinds, Fixture, Kind};
use crate::helpers::{copy_policies, edit, seed_policies, TestApp};
use crate::reviews_assignment::{add_reviewer, apply};

const POLICY: &str = "vdx-admin-profiles";
pub(crate) const PEOPLE: &[(i64, &str, &str)] = &[
    (1, "Anna Admin", "admin"),
    (2, "Bo Berg", "admin"),
    (3, "Cia Carlsson", "operator"),
    (4, "Dan Dahl", "admin"),
];

async fn app_with(kind: Kind, policies: &std::path::Path) -> (TestApp, Fixture) {
    let ds = Fixture::accounts(kind, "admin_profiles", PEOPLE, &[1, 2]).await;
    let urls = HashMap::from([
        ("vdx-admin".to_string(), ds.url.clone()),
        ("rjh-accounts".to_string(), ds.url.clone()),
    ]);
    (TestApp::spawn_full(Some(policies), urls).await, ds)
}

pub(crate) async fn open(app: &TestApp, policy: &str, token: &str) -> Value {
    let r = app
        .post_json(
            &format!("/api/v1/reviews/policies/{policy}/campaigns"),
            token,
            json!({}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    r.json().await.unwrap()
}

pub(crate) async fn items(app: &TestApp, campaign: &Value) -> Vec<Value> {
    let detail = app
        .get_json(&format!("/api/v1/reviews/campaigns/{}", campaign["id"]))
        .await;
    detail["item_list"].as_array().unwrap().clone()
}

pub(crate) async fn decide(
    app: &TestApp,
    item: &Value,
    token: &str,
    decision: &str,
    why: Option<&str>,
) -> reqwest::StatusCode {
    app.post_json(
        &format!("/api/v1/reviews/items/{}/decision", item["id"]),
        token,
        json!({"decision": decision, "justification": why}),
    )
    .await
    .status()
}

#[tokio::test]
async fn a_campaign_is_decided_with_justifications_closed_and_its_evidence_holds_no_names() {
    for kind in kinds() {
        let (app, ds) = app_with(kind, &seed_policies()).await;
        let dpo = app.token(Role::Dpo).await;
        let c = open(&app, POLICY, &dpo).await;
        assert_eq!(
            (
                c["items"].as_u64(),
                c["undecided"].as_u64(),
                c["kind"].as_str()
            ),
            (Some(4), Some(4), Some("snapshot"))
        );
        let list = items(&app, &c).await;

        let stranger = app.token(Role::Reviewer).await; // not among the policy's reviewers (role:dpo)
        assert_eq!(
            decide(&app, &list[0], &stranger, "keep", Some("x")).await,
            403
        );
        assert_eq!(
            decide(&app, &list[0], &dpo, "keep", None).await,
            400,
            "keep needs a justification"
        );
        assert_eq!(
            decide(&app, &list[0], &dpo, "revoke", Some("  ")).await,
            400,
            "revoke needs a justification"
        );
        assert_eq!(
            decide(
                &app,
                &list[0],
                &dpo,
                "keep",
                Some("Drifts the video server: work-related need")
            )
            .await,
            200
        );
        assert_eq!(
            decide(&app, &list[1], &dpo, "keep", Some("Security contact")).await,
            200
        );
        assert_eq!(decide(&app, &list[2], &dpo, "unsure", None).await, 200);
        let close_path = format!("/api/v1/reviews/campaigns/{}/close", c["id"]);
        let close = |approve: bool| app.post_json(&close_path, &dpo, json!({"approve": approve}));
        assert_eq!(close(false).await.status(), 409, "one item is undecided");
        assert_eq!(
            decide(
                &app,
                &list[3],
                &dpo,
                "revoke",
                Some("Left the organisation in October")
            )
            .await,
            200
        );
        let r = close(false).await;
        assert_eq!(r.status(), 200, "{kind:?}");
        let tally: Value = r.json().await.unwrap();
        assert_eq!(
            (
                tally["kept"].as_u64(),
                tally["revoked"].as_u64(),
                tally["unsure"].as_u64(),
                tally["revocations_applied"].as_u64()
            ),
            (Some(2), Some(1), Some(1), Some(1))
        );
        assert_eq!(
            ds.disabled("admin_profiles").await,
            vec![(1, 0), (2, 0), (3, 0), (4, 1)],
            "{kind:?}: the revoked profile is disabled"
        );
        assert_eq!(
            decide(&app, &list[0], &dpo, "revoke", Some("late")).await,
            409,
            "closed campaigns take no decisions"
        );

        let detail = app
            .get_json(&format!("/api/v1/reviews/campaigns/{}", c["id"]))
            .await;
        let index = detail["evidence_index"].as_u64().unwrap();
        let entry = gallra::evidence::entry(&app.db, index)
            .await
            .unwrap()
            .unwrap();
        let v: Value = serde_json::from_str(&entry).unwrap();
        assert_eq!(v["kind"], "review_closed");
        assert_eq!(v["decisions_hmac"].as_str().unwrap().len(), 64);
        for secret in ["Anna", "Dan", "Dahl", "Left the organisation", "\"4\""] {
            assert!(!entry.contains(secret), "{secret} in {entry}");
        }
    }
}

#[tokio::test]
async fn two_closes_at_once_close_once_and_no_decision_changes_after() {
    let (app, _ds) = app_with(Kind::Sqlite, &seed_policies()).await;
    let dpo = app.token(Role::Dpo).await;
    let c = open(&app, POLICY, &dpo).await;
    let list = items(&app, &c).await;
    for item in &list {
        assert_eq!(decide(&app, item, &dpo, "keep", Some("On call")).await, 200);
    }
    let path = format!("/api/v1/reviews/campaigns/{}/close", c["id"]);
    let (a, b) = tokio::join!(
        app.post_json(&path, &dpo, json!({"approve": true})),
        app.post_json(&path, &dpo, json!({"approve": false}))
    );
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 409]);
    let n = gallra::evidence::size(&app.db).await.unwrap();
    let closed = gallra::evidence::entries(&app.db, 0, n)
        .await
        .unwrap()
        .iter()
        .filter(|(_, e)| e.contains("\"review_closed\""))
        .count();
    assert_eq!(closed, 1, "one close, one entry");
    assert_eq!(
        decide(&app, &list[0], &dpo, "revoke", Some("Left")).await,
        409,
        "no decision after the close"
    );
}

#[tokio::test]
async fn revocations_beyond_the_guard_need_a_dpo_approval_to_close() {
    let (app, ds) = app_with(Kind::Sqlite, &seed_policies()).await;
    let dpo = app.token(Role::Dpo).await;
    let c = open(&app, POLICY, &dpo).await;
    for item in items(&app, &c).await {
        assert_eq!(
            decide(&app, &item, &dpo, "revoke", Some("No work-related need")).await,
            200
        );
    }
    let path = format!("/api/v1/reviews/campaigns/{}/close", c["id"]);
    let r = app.post_json(&path, &dpo, json!({})).await;
    assert_eq!(r.status(), 409);
    assert!(r.text().await.unwrap().contains("max_percent"));
    let first = &items(&app, &c).await[0];
    assert_eq!(
        decide(&app, first, &dpo, "revoke", Some("Still no need")).await,
        200,
        "a close its guard refused leaves the campaign open"
    );
    assert!(
        ds.disabled("admin_profiles")
            .await
            .iter()
            .all(|(_, d)| *d == 0),
        "nothing revoked before approval"
    );
    assert_eq!(
        app.post_json(
            &path,
            &app.token(Role::Operator).await,
            json!({"approve": true})
        )
        .await
        .status(),
        403
    );
    assert_eq!(
        app.post_json(&path, &dpo, json!({"approve": true}))
            .await
            .status(),
        200
    );
    assert!(ds
        .disabled("admin_profiles")
        .await
        .iter()
        .all(|(_, d)| *d == 1));
}

#[tokio::test]
async fn a_differential_campaign_shows_only_what_changed_since_the_last_closed_one() {
    let tmp = tempfile::tempdir().unwrap();
    copy_policies(&seed_policies(), tmp.path());
    let at = "id = \"vdx-admin-profiles\"";
    edit(
        tmp.path(),
        "medcom-vdx.toml",
        at,
        &format!("{at}\nkind = \"differential\""),
    );
    let text = std::fs::read_to_string(tmp.path().join("medcom-vdx.toml")).unwrap();
    std::fs::write(
        tmp.path().join("medcom-vdx.toml"),
        text.replacen("kind = \"snapshot\"\n", "", 1),
    )
    .unwrap();
    let (app, ds) = app_with(Kind::Sqlite, tmp.path()).await;
    let dpo = app.token(Role::Dpo).await;
    let first = open(&app, POLICY, &dpo).await;
    assert_eq!(
        first["items"], 4,
        "the first differential campaign reviews everyone"
    );
    for item in items(&app, &first).await {
        decide(&app, &item, &dpo, "keep", Some("Needed")).await;
    }
    app.post_json(
        &format!("/api/v1/reviews/campaigns/{}/close", first["id"]),
        &dpo,
        json!({}),
    )
    .await;
    ds.db
        .execute_unprepared("UPDATE admin_profiles SET role = 'admin' WHERE id = 3")
        .await
        .unwrap();
    ds.db
        .execute_unprepared("DELETE FROM admin_profiles WHERE id = 2")
        .await
        .unwrap();
    ds.db.execute_unprepared("INSERT INTO admin_profiles (id, name, role, last_login) VALUES (5, 'Eva Ek', 'admin', '2026-11-20')").await.unwrap();
    let second = open(&app, POLICY, &dpo).await;
    let changes: Vec<(String, String)> = items(&app, &second)
        .await
        .iter()
        .map(|i| {
            (
                i["account_key"].as_str().unwrap().to_owned(),
                i["change"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        vec![
            ("3".into(), "changed".into()),
            ("5".into(), "added".into()),
            ("2".into(), "removed".into())
        ]
    );
    for item in items(&app, &second).await {
        decide(&app, &item, &dpo, "keep", Some("Needed")).await;
    }
    let close = format!("/api/v1/reviews/campaigns/{}/close", second["id"]);
    assert_eq!(app.post_json(&close, &dpo, json!({})).await.status(), 200);
    // Nothing changed since the second: the third, against both before it, lists no one.
    let third = open(&app, POLICY, &dpo).await;
    assert_eq!(third["items"], 0, "{:?}", items(&app, &third).await);
}

#[tokio::test]
async fn an_exit_campaign_lists_accounts_with_no_match_in_the_roster() {
    let tmp = tempfile::tempdir().unwrap();
    copy_policies(&seed_policies(), tmp.path());
    let file = tmp.path().join("rjh-anvandaradministration.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let text = text.replacen("kind = \"snapshot\"", "kind = \"exit\"\nroster = { datasource = \"rjh-accounts\", table = \"staff_roster\", key = \"person_id\" }", 1);
    std::fs::write(
        &file,
        text.replace("table = \"user_accounts\"", "table = \"admin_profiles\""),
    )
    .unwrap();
    let (app, _ds) = app_with(Kind::Sqlite, tmp.path()).await;
    let c = open(&app, "rjh-user-accounts", &app.token(Role::Dpo).await).await;
    let keys: Vec<String> = items(&app, &c)
        .await
        .iter()
        .map(|i| i["account_key"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(keys, vec!["3", "4"], "1 and 2 are in the roster");
    assert!(items(&app, &c)
        .await
        .iter()
        .all(|i| i["change"] == "not_in_roster"));
}

#[tokio::test]
async fn a_csv_policy_opens_from_an_uploaded_list() {
    let tmp = tempfile::tempdir().unwrap();
    copy_policies(&seed_policies(), tmp.path());
    let file = tmp.path().join("e-klient.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let start = text
        .find("source = { datasource = \"e-klient-kontaktlista\"")
        .unwrap();
    let end = start + text[start..].find('\n').unwrap();
    let text = format!(
        "{}source = {{ csv = true }}{}",
        &text[..start],
        &text[end..]
    )
    .replace("revoke = { action = \"delete\" }\n", "");
    std::fs::write(&file, text).unwrap();
    let app = TestApp::spawn_with(Some(tmp.path())).await;
    let dpo = app.token(Role::Dpo).await;
    let post = |body: &'static str| {
        app.client
            .post(format!(
                "{}/api/v1/reviews/policies/e-klient-contacts/campaigns",
                app.address
            ))
            .bearer_auth(&dpo)
            .header("content-type", "text/csv")
            .body(body)
            .send()
    };
    assert_eq!(
        post("key,role\n1,x\n").await.unwrap().status(),
        400,
        "display is required"
    );
    let r = post(
        "key,display,role,last_activity\nk1,Karin Kund,Region X,2026-10-01\nk2,Lars Leverantör,,\n",
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 201);
    let c: Value = r.json().await.unwrap();
    assert_eq!(c["items"], 2);
}

#[tokio::test]
async fn campaigns_open_on_schedule_once_and_overdue_ones_are_flagged_and_notified_once() {
    let (app, _ds) = app_with(Kind::Sqlite, &seed_policies()).await;
    let (_, replica) = app.spawn_replica().await;
    // Quarterly at 06:00 Copenhagen on the 1st: 1 January 2027.
    app.clock
        .set(Utc.with_ymd_and_hms(2027, 1, 1, 5, 30, 0).unwrap());
    let since = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
    let (a, b) = tokio::join!(
        gallra::scheduler::reviews::open_due(&app.state, since),
        gallra::scheduler::reviews::open_due(&replica, since)
    );
    let opened: Vec<i32> = a.unwrap().into_iter().chain(b.unwrap()).collect();
    let campaigns = app
        .get_json(&format!("/api/v1/reviews/campaigns?policy={POLICY}"))
        .await;
    assert_eq!(
        campaigns.as_array().unwrap().len(),
        1,
        "one campaign for the occurrence"
    );
    assert!(!opened.is_empty());
    assert_eq!(campaigns[0]["trigger"], "schedule");
    assert_eq!(campaigns[0]["overdue"], false);

    app.clock.advance(TimeDelta::days(31));
    let overdue = app
        .get_json("/api/v1/reviews/campaigns?status=overdue")
        .await;
    assert!(overdue
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["policy"] == POLICY));
    let (a, b) = tokio::join!(
        gallra::scheduler::reviews::notify_overdue(&app.state),
        gallra::scheduler::reviews::notify_overdue(&replica)
    );
    let notified: Vec<i32> = a.unwrap().into_iter().chain(b.unwrap()).collect();
    let mut unique = notified.clone();
    unique.dedup();
    assert_eq!(
        notified.len(),
        unique.len(),
        "each overdue campaign is notified once"
    );
    assert!(
        gallra::scheduler::reviews::notify_overdue(&app.state)
            .await
            .unwrap()
            .is_empty(),
        "not twice"
    );
    assert_eq!(
        app.get_json("/api/v1/reviews/campaigns?status=overdue")
            .await
            .as_array()
            .unwrap()
            .len(),
        overdue.as_array().unwrap().len(),
        "still overdue until closed"
    );
}

#[test]
fn webhook_signatures_are_hmac_sha256_of_the_body() {
    let s = gallra::scheduler::reviews::signature(
        b"key",
        b"The quick brown fox jumps over the lazy dog",
    );
    assert_eq!(
        s,
        "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
    );
}

#[tokio::test]
async fn an_overdue_campaign_is_posted_to_the_webhook_with_a_verifiable_signature() {
    use std::sync::{Arc, Mutex};
    let received: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let sink = received.clone();
    let hook = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: axum::http::HeaderMap, body: String| {
            let sink = sink.clone();
            async move {
                let sig = headers
                    .get("x-gallra-signature")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_owned();
                sink.lock().unwrap().push((sig, body));
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, hook).await });

    let (app, _ds) = app_with(Kind::Sqlite, &seed_policies()).await;
    open(&app, POLICY, &app.token(Role::Dpo).await).await;
    app.clock.advance(TimeDelta::days(31));
    let mut state = app.state.clone();
    state.webhook = Some(gallra::settings::Webhook {
        url,
        secret: "s3cret".into(),
    });
    let notified = gallra::scheduler::reviews::notify_overdue(&state)
        .await
        .unwrap();
    assert_eq!(notified.len(), 1);
    let got = received.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    let (sig, body) = &got[0];
    assert_eq!(
        sig,
        &format!(
            "sha256={}",
            gallra::scheduler::reviews::signature(b"s3cret", body.as_bytes())
        )
    );
    let v: Value = serde_json::from_str(body).unwrap();
    assert_eq!(
        (v["event"].as_str(), v["policy"].as_str()),
        (Some("review_overdue"), Some(POLICY))
    );
}

#[tokio::test]
async fn a_reviewer_named_in_the_policy_decides_and_a_revoked_contact_is_deleted_via_the_cli() {
    for kind in kinds() {
        let tmp = tempfile::tempdir().unwrap();
        copy_policies(&seed_policies(), tmp.path());
        let ds = Fixture::accounts(kind, "contacts", &[], &[]).await;
        ds.db
            .execute_unprepared("DROP TABLE contacts")
            .await
            .unwrap();
        ds.db.execute_unprepared("CREATE TABLE contacts (id BIGINT PRIMARY KEY, name VARCHAR(100), organisation VARCHAR(100), updated_at VARCHAR(40))").await.unwrap();
        for (id, name) in [
            (1, "Karin Kund"),
            (2, "Lars Leverantör"),
            (3, "Maja Mäklare"),
            (4, "Nils Nord"),
            (5, "Olle Ost"),
        ] {
            ds.db
                .execute_unprepared(&format!(
                    "INSERT INTO contacts VALUES ({id}, '{name}', 'Region X', '2026-10-01')"
                ))
                .await
                .unwrap();
        }
        let app = TestApp::spawn_full(
            Some(tmp.path()),
            HashMap::from([("e-klient-kontaktlista".to_string(), ds.url.clone())]),
        )
        .await;
        // The policy names its reviewer by the token's id; the token's name counts for nothing.
        let (named, secret) =
            gallra::auth::token::create(&app.db, "kontakt-granskare", Role::Reviewer, Utc::now())
                .await
                .unwrap();
        add_reviewer(tmp.path(), "e-klient.toml", &format!("token:{}", named.id));
        apply(&app, tmp.path()).await;
        let named = secret;
        let other =
            gallra::auth::token::create(&app.db, "annan-granskare", Role::Reviewer, Utc::now())
                .await
                .unwrap()
                .1;
        let c = open(&app, "e-klient-contacts", &app.token(Role::Dpo).await).await;
        let list = items(&app, &c).await;
        assert_eq!(
            decide(&app, &list[0], &other, "keep", Some("x")).await,
            403,
            "{kind:?}"
        );
        assert_eq!(
            decide(&app, &list[0], &named, "revoke", Some("Slutat hos kunden")).await,
            200,
            "{kind:?}"
        );
        for item in &list[1..] {
            assert_eq!(
                decide(&app, item, &named, "keep", Some("Aktuell kontakt")).await,
                200
            );
        }
        let cli = |args: &[&str]| {
            std::process::Command::new(env!("CARGO_BIN_EXE_gallra"))
                .args(args)
                .env("GALLRA_DATABASE_URL", &app.database_url)
                .env("GALLRA_DATA_DIR", app.dir.path())
                .env("GALLRA_DATASOURCE_E_KLIENT_KONTAKTLISTA", &ds.url)
                .output()
                .unwrap()
        };
        let listed = String::from_utf8(cli(&["review", "list"]).stdout).unwrap();
        assert!(
            listed.contains("e-klient-contacts") && listed.contains("0 undecided"),
            "{listed}"
        );
        let closed = cli(&["review", "close", &c["id"].to_string()]);
        assert!(
            closed.status.success(),
            "{}",
            String::from_utf8_lossy(&closed.stderr)
        );
        assert!(String::from_utf8_lossy(&closed.stdout).contains("1 revoked (1 applied, 0 failed)"));
        let left = ds
            .db
            .query_all_raw(sea_orm::Statement::from_string(
                ds.db.get_database_backend(),
                "SELECT id FROM contacts ORDER BY id",
            ))
            .await
            .unwrap();
        let ids: Vec<i64> = left
            .iter()
            .map(|r| r.try_get_by_index::<i64>(0).unwrap())
            .collect();
        assert_eq!(ids.len(), 4, "{kind:?}: the revoked contact is deleted");
        assert!(!ids.contains(
            &list[0]["account_key"]
                .as_str()
                .unwrap()
                .parse::<i64>()
                .unwrap()
        ));
    }
}

#[tokio::test]
async fn a_campaign_whose_datasource_fails_is_a_502_that_names_it() {
    // The seed register without datasource URLs: `vdx-admin` is unset.
    let app = TestApp::spawn().await;
    let dpo = app.token(Role::Dpo).await;
    let r = app
        .post_json(
            &format!("/api/v1/reviews/policies/{POLICY}/campaigns"),
            &dpo,
            json!({}),
        )
        .await;
    assert_eq!(r.status(), 502);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "datasource");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("GALLRA_DATASOURCE_VDX_ADMIN"), "{message}");
}

#[tokio::test]
async fn a_csv_is_refused_for_a_policy_that_reads_its_datasource() {
    let (app, _ds) = app_with(Kind::Sqlite, &seed_policies()).await;
    let dpo = app.token(Role::Dpo).await;
    let r = app
        .client
        .post(format!(
            "{}/api/v1/reviews/policies/{POLICY}/campaigns",
            app.address
        ))
        .bearer_auth(&dpo)
        .header("content-type", "text/csv")
        .body("key,display,role,last_activity\n9,Nils Ny,admin,\n")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("CSV policies"));
}

#[tokio::test]
async fn a_reviewer_sees_the_items_of_the_policies_it_reviews_only() {
    let (app, _ds) = app_with(Kind::Sqlite, &seed_policies()).await;
    let dpo = app.token(Role::Dpo).await;
    let c = open(&app, POLICY, &dpo).await;
    let path = format!("/api/v1/reviews/campaigns/{}", c["id"]);
    // The seed policy is reviewed by `role:dpo`: a reviewer token is not among its reviewers.
    let reviewer = app.token(Role::Reviewer).await;
    assert_eq!(
        app.get(&path, &reviewer).await.status(),
        404,
        "as if it did not exist"
    );
    assert_eq!(app.get(&path, &dpo).await.status(), 200);
}

/// Campaign `id` as a close left it that took it and stopped (the process ended) `ago` before now.
async fn cut_off(app: &TestApp, id: i32, ago: TimeDelta) {
    use entity::review_campaigns;
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
    let row = review_campaigns::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut row: review_campaigns::ActiveModel = row.into();
    row.status = Set(gallra::review::CampaignStatus::Closing);
    row.closing_by = Set(Some("a-close-that-stopped".into()));
    row.closing_at = Set(Some(gallra::clock::Clock::now(&*app.clock) - ago));
    row.update(&app.db).await.unwrap();
}

#[tokio::test]
async fn a_close_cut_off_is_taken_over_at_once_and_one_holding_its_lock_is_not() {
    let (app, _ds) = app_with(Kind::Sqlite, &seed_policies()).await;
    let dpo = app.token(Role::Dpo).await;
    let c = open(&app, POLICY, &dpo).await;
    for item in items(&app, &c).await {
        assert_eq!(
            decide(&app, &item, &dpo, "keep", Some("On call")).await,
            200
        );
    }
    let id = c["id"].as_i64().unwrap() as i32;
    let path = format!("/api/v1/reviews/campaigns/{id}/close");
    let close = |approve: bool| app.post_json(&path, &dpo, json!({ "approve": approve }));
    cut_off(&app, id, TimeDelta::minutes(10)).await;
    let lock = gallra::review::close::close_lock(id);
    let held = gallra::retention::lock::try_lock(&app.db, &lock)
        .await
        .unwrap()
        .expect("free");
    assert_eq!(close(true).await.status(), 409, "its close still works");
    held.release().await;
    assert_eq!(
        close(false).await.status(),
        200,
        "its process is gone: taken over at once"
    );
    assert_eq!(close(true).await.status(), 409, "closed once");
}
