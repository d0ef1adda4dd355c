//! The edge: health, OpenAPI, Swagger UI, JSON errors for bad requests, request ids.

use gallra::auth::Role;

use crate::helpers::TestApp;

#[tokio::test]
async fn health_and_readiness_need_no_token() {
    let app = TestApp::spawn_with(None).await;
    for path in ["/healthz", "/readyz"] {
        let r = app
            .client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{path}");
    }
}

#[tokio::test]
async fn openapi_document_and_swagger_ui_are_served() {
    let app = TestApp::spawn_with(None).await;
    let doc: serde_json::Value = app
        .client
        .get(format!("{}/api/openapi.json", app.address))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for path in [
        "/api/v1/services",
        "/api/v1/services/{id}",
        "/api/v1/services/{id}/versions",
        "/api/v1/instructions",
    ] {
        assert!(
            doc["paths"][path].is_object(),
            "{path} missing from OpenAPI"
        );
    }
    let ui = app
        .client
        .get(format!("{}/api/docs/", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(ui.status(), 200);
    assert!(ui.text().await.unwrap().contains("swagger"));
}

#[tokio::test]
async fn bad_requests_get_json_errors_with_4xx() {
    let app = TestApp::spawn().await;
    let t = app.token(Role::Dpo).await;
    let cases = [
        ("/api/v1/services?limit=abc", 400, "bad_request"),
        ("/api/v1/services?limit=0", 400, "bad_request"),
        (
            "/api/v1/services?special_category=maybe",
            400,
            "bad_request",
        ),
        ("/api/v1/services/no-such-service", 404, "not_found"),
        (
            "/api/v1/services/no-such-service/versions",
            404,
            "not_found",
        ),
        ("/api/v1/no-such-route", 404, "not_found"),
        ("/api/v1/evidence/entries/abc", 400, "bad_request"),
        ("/api/v1/evidence/entries/999999", 404, "not_found"),
        ("/api/v1/reviews/campaigns/x", 400, "bad_request"),
        (
            "/api/v1/retention/runs?offset=9223372036854775808",
            400,
            "bad_request",
        ),
        (
            "/api/v1/evidence/entries?from=9223372036854775808",
            400,
            "bad_request",
        ),
        (
            "/api/v1/evidence/proof/inclusion?index=5&size=2",
            404,
            "not_found",
        ),
    ];
    for (path, status, code) in cases {
        let r = app.get(path, &t).await;
        assert_eq!(r.status(), status, "{path}");
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["error"]["code"], code, "{path}");
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{path}"
        );
    }
    let admin = app.token(Role::Admin).await;
    let r = app
        .post_json(
            "/api/v1/tokens",
            &admin,
            serde_json::json!({"name": "x", "role": "root"}),
        )
        .await;
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn responses_carry_a_request_id() {
    let app = TestApp::spawn_with(None).await;
    let r = app
        .client
        .get(format!("{}/healthz", app.address))
        .send()
        .await
        .unwrap();
    assert!(r
        .headers()
        .get("x-request-id")
        .is_some_and(|v| !v.is_empty()));
}

#[test]
fn the_demo_purges_its_synthetic_participants_and_serves() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gallra"))
        .args(["demo", "--listen", "127.0.0.1:0", "--dir"])
        .arg(dir.path().join("demo"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = Vec::new();
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        let done = line.contains("token:");
        lines.push(line);
        if done {
            break;
        }
    }
    child.kill().ok();
    child.wait().ok();
    let out = lines.join("\n");
    assert!(out.contains("meeting-participants: succeeded"), "{out}");
    assert!(out.contains("920 deleted"), "{out}");
    for policy in [
        "vdx-admin-profiles",
        "e-klient-contacts",
        "rjh-user-accounts",
    ] {
        assert!(
            out.contains(&format!("{policy}: campaign")),
            "{policy}: {out}"
        );
    }
    assert!(out.contains("token:     gallra_"), "{out}");
}

#[tokio::test]
async fn a_hold_on_no_keys_or_on_more_keys_than_a_rule_may_list_is_a_400() {
    let app = TestApp::spawn().await;
    let dpo = app.token(Role::Dpo).await;
    let path = "/api/v1/retention/rules/meeting-participants/holds";
    let many: Vec<String> = (0..=gallra::retention::holds::MAX_HELD_KEYS)
        .map(|k| k.to_string())
        .collect();
    for (keys, says) in [(vec![], "at least one key"), (many, "at most")] {
        let r = app
            .post_json(
                path,
                &dpo,
                serde_json::json!({"keys": keys, "reason": "Case 7"}),
            )
            .await;
        assert_eq!(r.status(), 400);
        let body: serde_json::Value = r.json().await.unwrap();
        assert!(
            body["error"]["message"].as_str().unwrap().contains(says),
            "{body}"
        );
    }
    let r = app
        .post_json(
            path,
            &dpo,
            serde_json::json!({"keys": ["71"], "reason": "Case 7"}),
        )
        .await;
    assert_eq!(r.status(), 201, "a hold within the limit is placed");
}
