//! Who decides and who sees a review campaign: identities (a role, a token's id), never a
//! token's name; a reviewer sees its own campaigns only, in the API and on the web alike.

use std::collections::HashMap;
use std::path::Path;

use gallra::auth::{token, Role};
use gallra::clock::Clock;
use serde_json::{json, Value};

use crate::datasources::{Fixture, Kind};
use crate::helpers::{copy_policies, edit, line_col, seed_policies, TestApp};
use crate::reviews::{decide, items, open, PEOPLE};
use crate::web_scenario::{Browser, Scenario};

/// Add `reviewer` to the review policy of `file` (whose reviewers are `["role:dpo"]`).
pub(crate) fn add_reviewer(dir: &Path, file: &str, reviewer: &str) -> usize {
    edit(
        dir,
        file,
        "reviewers = [\"role:dpo\"]",
        &format!("reviewers = [\"role:dpo\", \"{reviewer}\"]"),
    )
}

/// Apply the policy folder `dir` to the running app, as `gallra apply` does.
pub(crate) async fn apply(app: &TestApp, dir: &Path) {
    let set = gallra::policy::load_dir(dir).unwrap_or_else(|e| panic!("{e}"));
    let author = gallra::register::apply::Author {
        name: "test".into(),
        reason: "assign a reviewer".into(),
    };
    gallra::register::apply::apply(&app.db, &set, &author, app.clock.now())
        .await
        .unwrap();
}

async fn browser(app: &TestApp, secret: &str) -> Browser {
    let b = Browser::new(&app.address);
    b.sign_in(secret).await;
    b
}

fn ids(campaigns: &Value) -> Vec<i64> {
    let list = campaigns.as_array().expect("a list");
    list.iter().map(|c| c["id"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn a_token_named_like_a_role_selector_decides_nothing_and_a_real_dpo_does() {
    // The seed's `vdx-admin-profiles` is reviewed by `role:dpo`.
    let s = Scenario::new().await;
    let app = &s.app;
    let (_, named) = s.token(Role::Reviewer, "role:dpo").await;
    let (_, dpo) = s.token(Role::Dpo, "the-dpo").await;
    let list = items(app, &json!({ "id": s.campaign_id })).await;
    let page = format!("/reviews/{}", s.campaign_id);
    let item = |i: usize| list[i]["id"].to_string();

    assert_eq!(decide(app, &list[0], &named, "keep", Some("x")).await, 403);
    let b = browser(app, &named).await;
    let (csrf, first) = (b.csrf("/").await, item(0));
    let form = [
        ("csrf", csrf.as_str()),
        ("item", first.as_str()),
        ("decision", "keep"),
        ("justification", "On call"),
    ];
    assert_eq!(
        b.post(&format!("{page}/decisions"), &form).await.status,
        403
    );
    assert!(
        items(app, &json!({ "id": s.campaign_id }))
            .await
            .iter()
            .all(|i| i["decision"].is_null()),
        "nothing decided"
    );

    assert_eq!(
        decide(app, &list[0], &dpo, "keep", Some("On call")).await,
        200
    );
    let d = browser(app, &dpo).await;
    let csrf = d.csrf("/").await;
    let mine = item(1);
    let form = [
        ("csrf", csrf.as_str()),
        ("item", mine.as_str()),
        ("decision", "keep"),
        ("justification", "On call"),
    ];
    assert_eq!(
        d.post(&format!("{page}/decisions"), &form).await.status,
        303
    );
    let decided = items(app, &json!({ "id": s.campaign_id })).await;
    assert_eq!(
        decided.iter().filter(|i| i["decision"] == "keep").count(),
        2
    );
}

#[test]
fn a_reviewer_by_token_name_is_refused_by_policies_check_at_its_place() {
    let tmp = tempfile::tempdir().unwrap();
    copy_policies(&seed_policies(), tmp.path());
    let file = "e-klient.toml";
    let at = add_reviewer(tmp.path(), file, "kontakt-granskare");
    let (line, col) = line_col(tmp.path(), file, at + "reviewers = [\"role:dpo\", ".len());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gallra"))
        .args(["policies", "check"])
        .arg(tmp.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let expected = format!(
        "{}:{line}:{col}: unknown reviewer `kontakt-granskare`",
        tmp.path().join(file).display()
    );
    assert!(
        stderr.lines().any(|l| l.starts_with(&expected)),
        "expected `{expected}` in\n{stderr}"
    );
    assert!(stderr.contains("token:<id>"), "{stderr}");
}

#[tokio::test]
async fn a_reviewer_sees_only_its_own_campaigns_in_the_api_and_on_the_web() {
    let vdx = Fixture::accounts(Kind::Sqlite, "admin_profiles", PEOPLE, &[]).await;
    let rjh = Fixture::accounts(Kind::Sqlite, "user_accounts", PEOPLE, &[]).await;
    let tmp = tempfile::tempdir().unwrap();
    copy_policies(&seed_policies(), tmp.path());
    let urls = HashMap::from([
        ("vdx-admin".to_string(), vdx.url.clone()),
        ("rjh-accounts".to_string(), rjh.url.clone()),
    ]);
    let app = TestApp::spawn_full(Some(tmp.path()), urls).await;
    let now = app.clock.now();
    let (reviewer, secret) = token::create(&app.db, "rjh-granskare", Role::Reviewer, now)
        .await
        .unwrap();
    // `rjh-user-accounts` gets this reviewer; `vdx-admin-profiles` stays the DPO's alone.
    add_reviewer(
        tmp.path(),
        "rjh-anvandaradministration.toml",
        &format!("token:{}", reviewer.id),
    );
    apply(&app, tmp.path()).await;
    let dpo = app.token(Role::Dpo).await;
    let theirs = open(&app, "vdx-admin-profiles", &dpo).await["id"]
        .as_i64()
        .unwrap();
    let mine = open(&app, "rjh-user-accounts", &dpo).await["id"]
        .as_i64()
        .unwrap();

    let list = |who: String, query: &'static str| {
        let app = &app;
        async move {
            let r = app
                .get(&format!("/api/v1/reviews/campaigns{query}"), &who)
                .await;
            assert_eq!(r.status(), 200);
            ids(&r.json().await.unwrap())
        }
    };
    assert_eq!(list(secret.clone(), "").await, vec![mine]);
    assert_eq!(
        list(secret.clone(), "?policy=vdx-admin-profiles").await,
        Vec::<i64>::new()
    );
    let detail = |id: i64| format!("/api/v1/reviews/campaigns/{id}");
    assert_eq!(app.get(&detail(theirs), &secret).await.status(), 404);
    assert_eq!(app.get(&detail(mine), &secret).await.status(), 200);
    let missing = app.get(&detail(theirs + 1000), &secret).await;
    assert_eq!(
        missing.status(),
        404,
        "the same answer as for a missing one"
    );

    let web = browser(&app, &secret).await;
    let page = web.get("/reviews").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&format!("href=\"/reviews/{mine}\"")));
    assert!(!page.body.contains(&format!("href=\"/reviews/{theirs}\"")));
    assert_eq!(web.get(&format!("/reviews/{theirs}")).await.status, 404);
    assert_eq!(web.get(&format!("/reviews/{mine}")).await.status, 200);
    let home = web.get("/").await.body;
    assert!(
        home.contains("status=open\">Open</a></dt><dd>1</dd>"),
        "the overview counts its one open campaign: {home}"
    );
    // It decides its own campaign's items, and none of the other's.
    let (own, other) = (
        items(&app, &json!({ "id": mine })).await,
        items(&app, &json!({ "id": theirs })).await,
    );
    assert_eq!(decide(&app, &own[0], &secret, "unsure", None).await, 200);
    assert_eq!(decide(&app, &other[0], &secret, "unsure", None).await, 403);

    // Who reads reviews as a whole sees both, at both edges.
    for role in [Role::Dpo, Role::Admin, Role::Auditor] {
        let t = app.token(role).await;
        assert_eq!(list(t.clone(), "").await, vec![mine, theirs], "{role}");
        let b = browser(&app, &t).await;
        let page = b.get("/reviews").await.body;
        for id in [mine, theirs] {
            assert!(page.contains(&format!("href=\"/reviews/{id}\"")), "{role}");
        }
        let home = b.get("/").await.body;
        assert!(
            home.contains("status=open\">Open</a></dt><dd>2</dd>"),
            "{role}"
        );
    }
}
