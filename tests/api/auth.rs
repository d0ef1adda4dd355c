//! The permission matrix: 401 without a valid token, 403 for a role that may not.

use gallra::auth::{token, Role};
use sea_orm::EntityTrait;

use crate::helpers::TestApp;

#[tokio::test]
async fn api_without_a_valid_token_is_401_with_a_json_error() {
    let app = TestApp::spawn().await;
    for path in [
        "/api/v1/services",
        "/api/v1/services/digitalt-mote",
        "/api/v1/instructions",
        "/api/v1/tokens",
        "/api/v1/nope",
    ] {
        let r = app
            .client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401, "{path}");
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["error"]["code"], "unauthorized", "{path}");
        assert_eq!(
            app.get(path, "gallra_not-a-token").await.status(),
            401,
            "{path}"
        );
    }
}

#[tokio::test]
async fn each_role_gets_what_the_matrix_allows() {
    let app = TestApp::spawn().await;
    // (path, roles allowed)
    let matrix: &[(&str, &[Role])] = &[
        (
            "/api/v1/services",
            &[Role::Admin, Role::Dpo, Role::Auditor, Role::Operator],
        ),
        (
            "/api/v1/services/digitalt-mote/versions",
            &[Role::Admin, Role::Dpo, Role::Auditor, Role::Operator],
        ),
        (
            "/api/v1/instructions?enforced=false",
            &[Role::Admin, Role::Dpo, Role::Auditor, Role::Operator],
        ),
        ("/api/v1/tokens", &[Role::Admin]),
        (
            "/api/v1/retention/rules",
            &[Role::Admin, Role::Dpo, Role::Auditor, Role::Operator],
        ),
        (
            "/api/v1/retention/runs",
            &[Role::Admin, Role::Dpo, Role::Auditor, Role::Operator],
        ),
        (
            "/api/v1/retention/holds",
            &[Role::Admin, Role::Dpo, Role::Auditor, Role::Operator],
        ),
        (
            "/api/v1/evidence/checkpoint",
            &[Role::Admin, Role::Dpo, Role::Auditor, Role::Operator],
        ),
        (
            "/api/v1/evidence/key",
            &[Role::Admin, Role::Dpo, Role::Auditor, Role::Operator],
        ),
        (
            "/api/v1/reviews/campaigns",
            &[Role::Admin, Role::Dpo, Role::Auditor, Role::Reviewer],
        ),
    ];
    for role in Role::ALL {
        let t = app.token(role).await;
        for (path, allowed) in matrix {
            let status = app.get(path, &t).await.status();
            let want = if allowed.contains(&role) { 200 } else { 403 };
            assert_eq!(status, want, "{role} GET {path}");
        }
        // Writes: running a rule (operators, DPOs, admins), holds (DPOs, admins), reviews (DPOs, admins).
        let run = app
            .post_json(
                "/api/v1/retention/rules/meeting-participants/runs",
                &t,
                serde_json::json!({"dry_run": true}),
            )
            .await
            .status();
        assert_eq!(
            run == 403,
            !matches!(role, Role::Admin | Role::Dpo | Role::Operator),
            "{role} run: {run}"
        );
        let hold = app
            .post_json(
                "/api/v1/retention/rules/no-such-rule/holds",
                &t,
                serde_json::json!({"reason": "x"}),
            )
            .await
            .status();
        assert_eq!(
            hold == 403,
            !matches!(role, Role::Admin | Role::Dpo),
            "{role} hold: {hold}"
        );
        let open = app
            .post_json(
                "/api/v1/reviews/policies/no-such-policy/campaigns",
                &t,
                serde_json::json!({}),
            )
            .await
            .status();
        assert_eq!(
            open == 403,
            !matches!(role, Role::Admin | Role::Dpo),
            "{role} open: {open}"
        );
    }
}

#[tokio::test]
async fn a_revoked_token_is_refused_and_secrets_are_stored_only_as_hashes() {
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin).await;
    let r = app
        .post_json(
            "/api/v1/tokens",
            &admin,
            serde_json::json!({"name": "auditor-1", "role": "auditor"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let created: serde_json::Value = r.json().await.unwrap();
    let secret = created["secret"].as_str().unwrap().to_owned();
    assert_eq!(app.get("/api/v1/services", &secret).await.status(), 200);

    let rows = entity::api_tokens::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    assert!(rows
        .iter()
        .all(|t| t.token_hash != secret && !t.token_hash.contains(&secret)));
    assert!(rows.iter().any(|t| t.token_hash == token::hash(&secret)));

    let id = created["id"].as_i64().unwrap();
    let r = app
        .client
        .delete(format!("{}/api/v1/tokens/{id}", app.address))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(app.get("/api/v1/services", &secret).await.status(), 401);
}

#[tokio::test]
async fn token_create_on_the_command_line_prints_only_the_token() {
    let app = TestApp::spawn().await;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gallra"))
        .args(["token", "create", "--role", "dpo", "--name", "dpo-cli"])
        .env("GALLRA_DATABASE_URL", &app.database_url)
        .env("GALLRA_DATA_DIR", app.dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let secret = stdout.trim();
    assert_eq!(stdout.lines().count(), 1);
    assert_eq!(app.get("/api/v1/services", secret).await.status(), 200);
    assert_eq!(app.get("/api/v1/tokens", secret).await.status(), 403);
}
