//! Who decides a review campaign: identities (a role, a token's id), never a token's name.

use std::path::Path;

use gallra::auth::Role;
use gallra::clock::Clock;
use serde_json::json;

use crate::helpers::{copy_policies, edit, line_col, seed_policies, TestApp};
use crate::reviews::{decide, items};
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
