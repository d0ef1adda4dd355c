//! Hostile clients at the HTTP edges: redirects off the site, control characters and huge
//! texts, trickled and idle connections, connection hoarding, guessing, private answers cached,
//! and refusals that are not the documented JSON.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::time::Duration;

use gallra::auth::throttle::Allowance;
use gallra::auth::Role;
use gallra::settings::HttpLimits;
use reqwest::header::{CACHE_CONTROL, LOCATION, RETRY_AFTER, SET_COOKIE};
use reqwest::StatusCode;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::TestApp;

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The sign-in form's CSRF cookie and token, as a browser holds them.
async fn login_form(app: &TestApp, client: &reqwest::Client) -> (String, String) {
    let r = client
        .get(format!("{}/login", app.address))
        .send()
        .await
        .unwrap();
    let cookie = r
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .find(|c| c.starts_with("gallra_login_csrf="))
        .expect("the form sets its CSRF cookie");
    let body = r.text().await.unwrap();
    let at = body.find("name=\"csrf\" value=\"").unwrap() + "name=\"csrf\" value=\"".len();
    let csrf = body[at..at + body[at..].find('"').unwrap()].to_owned();
    (cookie, csrf)
}

async fn post_login(
    app: &TestApp,
    client: &reqwest::Client,
    form: &(String, String),
    token: &str,
    next: &str,
    from: &str,
) -> reqwest::Response {
    client
        .post(format!("{}/login", app.address))
        .header("cookie", &form.0)
        .header("x-forwarded-for", from)
        .form(&[("token", token), ("csrf", &form.1), ("next", next)])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn redirects_go_only_to_paths_of_this_site_and_control_characters_are_no_500() {
    let app = TestApp::spawn_with(None).await;
    let client = no_redirects();
    for next in [
        "/%09/evil.example",
        "/%0a",
        "/%0d",
        "/%00",
        "/%7f",
        "/%20/evil.example",
        "%2F%2Fevil.example",
        "/%5Cevil.example",
        "https://evil.example/",
    ] {
        let r = client
            .get(format!("{}/lang/en?next={next}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "next={next}");
        assert_eq!(r.headers()[LOCATION], "/", "next={next}");
    }
    let kept = client
        .get(format!("{}/lang/sv?next=/services%3Fq%3Dx", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(kept.headers()[LOCATION], "/services?q=x");

    // After a sign-in, the same rule: the form never carries a foreign `next`, and a forged
    // post of one goes home.
    let page = client
        .get(format!("{}/login?next=/%09/evil.example", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains("evil.example"), "{page}");
    let admin = app.token(Role::Admin).await;
    let form = login_form(&app, &client).await;
    let r = post_login(
        &app,
        &client,
        &form,
        &admin,
        "/\t/evil.example",
        "192.0.2.1",
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()[LOCATION], "/");
}

#[tokio::test]
async fn every_text_a_person_gives_is_bounded_in_characters_and_free_of_control_characters() {
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin).await;
    let dpo = app.token(Role::Dpo).await;

    // Characters, not bytes: 26 emoji are 104 bytes and a fine name.
    let emoji = "😀".repeat(26);
    let r = app
        .post_json(
            "/api/v1/tokens",
            &admin,
            json!({"name": emoji, "role": "auditor"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let refused = [
        "😀".repeat(101),
        "a\u{0}b".into(),
        "\u{1b}[31mred".into(),
        "two\nlines".into(),
        "mirror\u{202e}txt".into(),
    ];
    for name in &refused {
        let r = app
            .post_json(
                "/api/v1/tokens",
                &admin,
                json!({"name": name, "role": "auditor"}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{name:?}");
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["error"]["code"], "bad_request", "{body}");
        assert!(body["error"]["message"].as_str().unwrap().contains("name"));
    }
    // The command line goes through the same check.
    let now = gallra::clock::Clock::now(&*app.clock);
    let cli = gallra::auth::token::create(&app.db, "\u{1b}]0;owned\u{7}", Role::Dpo, now).await;
    assert!(cli.unwrap_err().to_string().contains("control"));

    let megabyte = "x".repeat(1024 * 1024);
    let big_justification = "y".repeat(1_900_000);
    let cases = [
        (
            "/api/v1/retention/rules/meeting-participants/holds",
            json!({"reason": megabyte}),
        ),
        (
            "/api/v1/retention/rules/meeting-participants/holds",
            json!({"reason": "ok", "keys": ["a\u{0}"]}),
        ),
        (
            "/api/v1/retention/runs/999/approval",
            json!({"reason": megabyte}),
        ),
        (
            "/api/v1/reviews/items/999/decision",
            json!({"decision": "keep", "justification": big_justification}),
        ),
        (
            "/api/v1/reviews/items/999/decision",
            json!({"decision": "keep", "justification": "bell\u{7}"}),
        ),
    ];
    for (path, body) in cases {
        let r = app.post_json(path, &dpo, body).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{path}");
    }
    let holds = app.get_json("/api/v1/retention/holds").await;
    assert_eq!(holds.as_array().unwrap().len(), 0, "nothing was placed");

    // The web form: the same bound.
    let scenario = crate::web_scenario::Browser::new(&app.address);
    scenario.sign_in(&dpo).await;
    let csrf = scenario.csrf("/retention/rules/meeting-participants").await;
    let page = scenario
        .post(
            "/retention/rules/meeting-participants/holds",
            &[("csrf", &csrf), ("reason", &"z".repeat(2001)), ("keys", "")],
        )
        .await;
    assert_eq!(page.status, 400, "{}", page.body);
    assert!(page.body.contains("2000"), "the page says the bound");
}

/// Read until the server closes the connection; what it sent before.
async fn until_closed(stream: &mut TcpStream) -> Vec<u8> {
    let mut got = Vec::new();
    let read = async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(20), read)
        .await
        .expect("the server closes the connection");
    got
}

fn host(app: &TestApp) -> String {
    app.address.trim_start_matches("http://").to_owned()
}

#[tokio::test]
async fn connections_that_trickle_or_idle_are_closed() {
    let limits = HttpLimits {
        header_timeout: Duration::from_secs(1),
        ..Default::default()
    };
    let app = TestApp::spawn_limited(None, HashMap::new(), limits).await;

    let mut trickle = TcpStream::connect(host(&app)).await.unwrap();
    trickle
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: 1")
        .await
        .unwrap();
    let sent = until_closed(&mut trickle).await;
    assert!(!String::from_utf8_lossy(&sent).contains("200 OK"));

    let mut idle = TcpStream::connect(host(&app)).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let answered = until_closed(&mut idle).await;
    assert!(
        String::from_utf8_lossy(&answered).starts_with("HTTP/1.1 200"),
        "served, then closed once idle"
    );
}

#[tokio::test]
async fn connections_past_the_limit_are_refused_without_harming_those_served() {
    let limits = HttpLimits {
        max_connections: 3,
        header_timeout: Duration::from_secs(60),
        ..Default::default()
    };
    let app = TestApp::spawn_limited(None, HashMap::new(), limits).await;
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(TcpStream::connect(host(&app)).await.unwrap());
    }
    let mut extra = TcpStream::connect(host(&app)).await.unwrap();
    let refused = String::from_utf8(until_closed(&mut extra).await).unwrap();
    assert!(refused.starts_with("HTTP/1.1 503"), "{refused}");
    assert!(refused.contains("retry-after: 1"));
    assert!(refused.contains("\"code\":\"unavailable\""));

    held[0]
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let served = String::from_utf8(until_closed(&mut held[0]).await).unwrap();
    assert!(served.starts_with("HTTP/1.1 200"), "{served}");
}

#[tokio::test]
async fn guessing_is_limited_per_client_address_and_never_locks_out_a_credential() {
    let limits = HttpLimits {
        signin: Allowance {
            burst: NonZeroU32::new(3).unwrap(),
            refill_every: Duration::from_secs(3600),
        },
        // The test's requests come through a "proxy" (127.0.0.1) that names each client.
        trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
        ..Default::default()
    };
    let app = TestApp::spawn_limited(None, HashMap::new(), limits).await;
    let dpo = app.token(Role::Dpo).await;
    let client = no_redirects();

    // Sign-in: three wrong tokens, then 429 for that address, right token or not.
    let form = login_form(&app, &client).await;
    for _ in 0..3 {
        let r = post_login(&app, &client, &form, "gallra_wrong", "/", "198.51.100.1").await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    let r = post_login(&app, &client, &form, "gallra_wrong", "/", "198.51.100.1").await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = r.headers()[RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert!(wait >= 1);
    let r = post_login(&app, &client, &form, &dpo, "/", "198.51.100.1").await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    // The credential itself is not locked: from another client it signs in.
    let r = post_login(&app, &client, &form, &dpo, "/", "198.51.100.2").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // Bearer tokens: the same, answered in JSON.
    let bearer = |token: &str, from: &str| {
        client
            .get(format!("{}/api/v1/services", app.address))
            .bearer_auth(token)
            .header("x-forwarded-for", from)
            .send()
    };
    for _ in 0..3 {
        assert_eq!(
            bearer("gallra_guess", "198.51.100.3")
                .await
                .unwrap()
                .status(),
            401
        );
    }
    let r = bearer("gallra_guess", "198.51.100.3").await.unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers().contains_key(RETRY_AFTER));
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "too_many_requests");
    assert_eq!(bearer(&dpo, "198.51.100.4").await.unwrap().status(), 200);

    // One-time links.
    let link = |from: &str| {
        client
            .get(format!("{}/login/link/not-a-link", app.address))
            .header("x-forwarded-for", from)
            .send()
    };
    for _ in 0..3 {
        assert_eq!(link("198.51.100.5").await.unwrap().status(), 403);
    }
    assert_eq!(link("198.51.100.5").await.unwrap().status(), 429);
    assert_eq!(link("198.51.100.6").await.unwrap().status(), 403);
}

#[tokio::test]
async fn private_answers_are_not_stored_and_every_refusal_under_the_api_is_json() {
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin).await;
    let client = no_redirects();

    let api = app.get("/api/v1/services", &admin).await;
    assert_eq!(api.headers()[CACHE_CONTROL], "no-store");
    let browser = crate::web_scenario::Browser::new(&app.address);
    browser.sign_in(&admin).await;
    let r = client
        .get(format!("{}/reviews", app.address))
        .header(
            "cookie",
            format!("gallra_session={}", browser.cookie_value()),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()[CACHE_CONTROL], "no-store");
    let css = client
        .get(format!("{}/static/gallra.css", app.address))
        .send()
        .await
        .unwrap();
    assert!(css.headers()[CACHE_CONTROL]
        .to_str()
        .unwrap()
        .contains("public"));

    let docs = client
        .get(format!("{}/api/docs/", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(docs.status(), 200);
    let csp = docs.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(docs.headers()["x-frame-options"], "DENY");

    let too_large = client
        .post(format!("{}/api/v1/tokens", app.address))
        .bearer_auth(&admin)
        .header("content-type", "application/json")
        .body(format!(
            r#"{{"name":"{}","role":"dpo"}}"#,
            "n".repeat(3 << 20)
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(too_large.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: serde_json::Value = too_large.json().await.unwrap();
    assert_eq!(body["error"]["code"], "payload_too_large");

    // serde reads a struct from an array too; the document says object, and so does the server.
    let array = client
        .post(format!(
            "{}/api/v1/retention/rules/meeting-participants/runs",
            app.address
        ))
        .bearer_auth(&admin)
        .json(&json!([]))
        .send()
        .await
        .unwrap();
    assert_eq!(array.status(), StatusCode::BAD_REQUEST);
    let runs = app.get_json("/api/v1/retention/runs").await;
    assert_eq!(runs["total"], 0, "nothing ran: {runs}");

    let wrong_method = client
        .delete(format!("{}/api/v1/services", app.address))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_method.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(wrong_method.headers().contains_key("allow"));
    let body: serde_json::Value = wrong_method.json().await.unwrap();
    assert_eq!(body["error"]["code"], "method_not_allowed");
}

#[tokio::test]
async fn the_openapi_document_declares_the_413_of_every_body() {
    let app = TestApp::spawn_with(None).await;
    let doc: serde_json::Value = reqwest::get(format!("{}/api/openapi.json", app.address))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut bodies = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if op.get("requestBody").is_some() {
                bodies += 1;
                assert!(
                    op["responses"].get("413").is_some(),
                    "{method} {path} declares no 413"
                );
            }
        }
    }
    assert!(bodies >= 5, "{bodies}");
}
