//! The web interface through its pages and forms, as a browser without JavaScript uses it:
//! sessions, CSRF, roles, languages, and each form doing what it says.

use gallra::auth::Role;
use sea_orm::EntityTrait;

use crate::web_scenario::{Browser, Scenario, POLICY, RULE};

const PAGES: &[&str] = &[
    "/",
    "/services",
    "/services/digitalt-mote",
    "/instructions?enforced=false",
    "/retention",
    "/retention/runs",
    "/retention/rules/meeting-participants",
    "/reviews",
    "/evidence",
    "/evidence/0",
    "/exports",
];

#[tokio::test]
async fn no_page_opens_without_a_session() {
    let s = Scenario::new().await;
    let anon = Browser::new(&s.app.address);
    for path in PAGES {
        let p = anon.get(path).await;
        assert_eq!(p.status, 303, "{path}");
        assert!(
            p.location.as_deref().unwrap().starts_with("/login?next="),
            "{path}"
        );
    }
    assert_eq!(anon.get("/login").await.status, 200);
    // A forged session cookie is no session.
    let forged = Browser::new(&s.app.address);
    forged.get("/login").await;
    let p = anon
        .get_with("/", &[("cookie", "gallra_session=not-a-session")])
        .await;
    assert_eq!(p.status, 303);
}

#[tokio::test]
async fn signing_in_gives_a_private_session_cookie_and_every_page_opens() {
    let s = Scenario::new().await;
    let (_, secret) = s.token(Role::Dpo, "dpo-web").await;
    let b = Browser::new(&s.app.address);
    let done = b.sign_in(&secret).await;
    let cookie = done
        .set_cookies
        .iter()
        .find(|c| c.starts_with("gallra_session="))
        .unwrap();
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attr), "{cookie}");
    }
    assert!(!cookie.contains(&secret), "the token is never the cookie");
    for path in PAGES {
        let p = b.get(path).await;
        assert_eq!(p.status, 200, "{path}: {}", p.body);
        assert!(p.body.contains("<html lang=\"en\">"), "{path}");
        assert_eq!(p.body.matches("<h1").count(), 1, "{path}: one h1");
        assert!(p.body.contains("href=\"#main\""), "{path}: a skip link");
    }
    // A bad token is refused on the form, with the reason tied to its field.
    let other = Browser::new(&s.app.address);
    let csrf = other.get("/login").await.csrf();
    let bad = other
        .post("/login", &[("token", "gallra_nope"), ("csrf", &csrf)])
        .await;
    assert_eq!(bad.status, 401);
    assert!(bad.body.contains("aria-describedby=\"token-error\""));
    assert!(!other.has_session());
}

#[tokio::test]
async fn a_post_without_its_csrf_token_is_refused_and_changes_nothing() {
    let s = Scenario::new().await;
    let b = s.browser(Role::Dpo).await;
    let run = format!("/retention/runs/{}/approve", s.run_id);
    let holds = format!("/retention/rules/{RULE}/holds");
    let decide = format!("/reviews/{}/decisions", s.campaign_id);
    let close = format!("/reviews/{}/close", s.campaign_id);
    for (path, form) in [
        (run.as_str(), vec![("reason", "ok")]),
        (holds.as_str(), vec![("reason", "court order")]),
        (decide.as_str(), vec![("item", "1"), ("decision", "unsure")]),
        (close.as_str(), vec![]),
        ("/logout", vec![]),
    ] {
        for csrf in [None, Some("forged")] {
            let mut f = form.clone();
            if let Some(c) = csrf {
                f.push(("csrf", c));
            }
            let p = b.post(path, &f).await;
            assert!(
                p.status == 403 || p.status == 422,
                "{path} {csrf:?}: {}",
                p.status
            );
        }
    }
    let run = entity::retention_runs::Entity::find_by_id(s.run_id)
        .one(&s.app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(run.outcome, gallra::retention::Outcome::AwaitingApproval);
    assert!(gallra::retention::holds::list(&s.app.db)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(b.get("/").await.status, 200, "still signed in");
    // The sign-in form's own token: refused without it too.
    let fresh = Browser::new(&s.app.address);
    let (_, secret) = s.token(Role::Dpo, "x").await;
    assert_eq!(
        fresh
            .post("/login", &[("token", &secret), ("csrf", "guess")])
            .await
            .status,
        403
    );
}

#[tokio::test]
async fn each_role_sees_only_its_sections_and_forms_and_is_refused_the_rest() {
    let s = Scenario::new().await;
    let reviewer = s.browser(Role::Reviewer).await;
    for path in ["/retention", "/evidence", "/services"] {
        assert_eq!(reviewer.get(path).await.status, 403, "reviewer {path}");
    }
    let home = reviewer.get("/").await.body;
    assert!(home.contains("href=\"/reviews\"") && !home.contains("href=\"/retention\""));

    let auditor = s.browser(Role::Auditor).await;
    let run = auditor.get(&format!("/retention/runs/{}", s.run_id)).await;
    assert_eq!(run.status, 200);
    assert!(
        !run.body.contains("/approve\""),
        "no approval form for an auditor"
    );
    let rule = auditor.get(&format!("/retention/rules/{RULE}")).await.body;
    assert!(!rule.contains("/holds\""), "no hold form for an auditor");
    let csrf = auditor.csrf("/").await;
    let refused = auditor
        .post(
            &format!("/retention/runs/{}/approve", s.run_id),
            &[("csrf", &csrf), ("reason", "mine")],
        )
        .await;
    assert_eq!(refused.status, 403);
    let campaign = auditor
        .get(&format!("/reviews/{}", s.campaign_id))
        .await
        .body;
    assert!(
        !campaign.contains("/decisions\"") || !campaign.contains("name=\"item\""),
        "no decision form for an auditor"
    );
    assert!(!campaign.contains("/close\""));

    let operator = s.browser(Role::Operator).await;
    assert_eq!(operator.get("/reviews").await.status, 403);
    let rule = operator.get(&format!("/retention/rules/{RULE}")).await.body;
    assert!(rule.contains("/dry-run\"") && !rule.contains("/holds\""));
}

#[tokio::test]
async fn a_session_ends_when_idle_at_its_limit_and_on_sign_out() {
    let s = Scenario::new().await;
    let b = s.browser(Role::Dpo).await;
    s.app.clock.advance(chrono::TimeDelta::minutes(29));
    assert_eq!(b.get("/").await.status, 200, "in use within the idle limit");
    s.app.clock.advance(chrono::TimeDelta::minutes(29));
    assert_eq!(
        b.get("/").await.status,
        200,
        "each use restarts the idle limit"
    );
    s.app.clock.advance(chrono::TimeDelta::minutes(31));
    assert_eq!(b.get("/").await.status, 303, "idle too long");

    let b = s.browser(Role::Dpo).await;
    for _ in 0..25 {
        s.app.clock.advance(chrono::TimeDelta::minutes(29));
        b.get("/").await;
    }
    assert_eq!(
        b.get("/").await.status,
        303,
        "past the absolute limit, however busy"
    );

    let b = s.browser(Role::Dpo).await;
    let before = b.cookie_value();
    let csrf = b.csrf("/").await;
    let out = b.post("/logout", &[("csrf", &csrf)]).await;
    assert_eq!(out.status, 303);
    // The old cookie, replayed, opens nothing: the session ended on the server.
    let replay = Browser::new(&s.app.address);
    let p = replay
        .get_with("/", &[("cookie", &format!("gallra_session={before}"))])
        .await;
    assert_eq!(p.status, 303);
}

#[tokio::test]
async fn a_one_time_link_signs_in_once() {
    let s = Scenario::new().await;
    let link = s.login_link(Role::Admin).await;
    let b = Browser::new(&s.app.address);
    let first = b.get(&link).await;
    assert_eq!(first.status, 303);
    assert!(b.has_session());
    assert_eq!(b.get("/").await.status, 200);
    let again = Browser::new(&s.app.address).get(&link).await;
    assert_eq!(again.status, 403, "a used link is void");
    s.app.clock.advance(chrono::TimeDelta::hours(25));
    let late = s.login_link(Role::Admin).await;
    s.app.clock.advance(chrono::TimeDelta::hours(25));
    assert_eq!(
        Browser::new(&s.app.address).get(&late).await.status,
        403,
        "an old link is void"
    );
}

#[tokio::test]
async fn the_language_follows_the_browser_and_the_switch() {
    let s = Scenario::new().await;
    let b = s.browser(Role::Dpo).await;
    let sv = b
        .get_with(
            "/services/digitalt-mote",
            &[("accept-language", "sv-SE,sv;q=0.9,en;q=0.5")],
        )
        .await
        .body;
    assert!(sv.contains("<html lang=\"sv\">"));
    assert!(sv.contains("Personnummer") && sv.contains("Dokumenterade instruktioner"));
    // The register's own text keeps its language, marked.
    assert!(sv.contains("lang=\"sv\">Digitalt möte</h1>"));
    let switched = b.get("/lang/da?next=/services").await;
    assert_eq!(switched.status, 303);
    assert_eq!(switched.location.as_deref(), Some("/services"));
    let da = b.get("/services").await.body;
    assert!(da.contains("<html lang=\"da\">") && da.contains("Fortegnelse over behandlinger"));
    assert_eq!(b.get("/lang/xx?next=/").await.status, 404);
    // Never somewhere else after a switch.
    let away = b.get("/lang/en?next=//evil.example/").await;
    assert_eq!(away.location.as_deref(), Some("/"));
}

#[tokio::test]
async fn the_register_searches_filters_and_pages_in_the_url() {
    let s = Scenario::new().await;
    let b = s.browser(Role::Dpo).await;
    let found = b.get("/services?data_type=national-id-number").await.body;
    assert!(found.contains("href=\"/services/digitalt-mote\""));
    assert!(
        !found.contains("href=\"/services/dk-it-backup\""),
        "only services holding it"
    );
    let all = b.get("/services").await.body;
    assert!(all.contains("href=\"/services/dk-it-backup\""));
    let special = b.get("/services?special_category=true").await.body;
    assert!(special.contains("href=\"/services/digitalt-mote\""));
    let text = b.get("/services?q=digitalt").await.body;
    assert!(
        text.contains("href=\"/services/digitalt-mote\"")
            && !text.contains("href=\"/services/e-klient\"")
    );
    // The service shows its 7-day instruction enforced by its rule, with the run that waits.
    let svc = b.get("/services/digitalt-mote").await.body;
    assert!(svc.contains(&format!("href=\"/retention/rules/{RULE}\"")));
    assert!(
        svc.contains("Awaiting approval"),
        "its last run and outcome"
    );
    assert!(
        svc.contains("Art. 9 special category") || svc.contains("may contain special categories")
    );
    assert_eq!(b.get("/services/no-such-service").await.status, 404);
    // As of a day before the register was applied it held nothing; as of today, the record,
    // each version linked to the evidence entry that recorded it.
    let before = b.get("/services?as_of=2026-01-01").await.body;
    assert!(
        !before.contains("href=\"/services/digitalt-mote"),
        "nothing then"
    );
    assert_eq!(
        b.get("/services/digitalt-mote?as_of=2026-01-01")
            .await
            .status,
        404
    );
    assert_eq!(b.get("/services?as_of=yesterday").await.status, 400);
    let then = b.get("/services/digitalt-mote?as_of=2026-11-23").await.body;
    assert!(
        then.contains("role=\"status\"") && then.contains("href=\"/evidence/"),
        "{then}"
    );
    let by_term = b.get("/services?q=personnummer").await.body;
    assert!(
        by_term.contains("href=\"/services/digitalt-mote\""),
        "the vocabulary's own words find it"
    );
}

#[tokio::test]
async fn a_dpo_approves_a_guarded_run_places_and_lifts_a_hold_from_the_pages() {
    let s = Scenario::new().await;
    let b = s.browser(Role::Dpo).await;
    let run_page = format!("/retention/runs/{}", s.run_id);
    let csrf = b.csrf(&run_page).await;
    let no_reason = b
        .post(
            &format!("{run_page}/approve"),
            &[("csrf", &csrf), ("reason", " ")],
        )
        .await;
    assert_eq!(no_reason.status, 400);
    assert!(no_reason.body.contains("aria-describedby=\"reason-error\""));
    let approved = b
        .post(
            &format!("{run_page}/approve"),
            &[("csrf", &csrf), ("reason", "Checked with the controller")],
        )
        .await;
    assert_eq!(approved.status, 303, "{}", approved.body);
    let shown = b.get(approved.location.as_deref().unwrap()).await.body;
    assert!(shown.contains("Succeeded"), "{shown}");
    assert_eq!(
        s.meetings.ids().await.len(),
        20,
        "the 120 rows over age are gone"
    );

    let rule = format!("/retention/rules/{RULE}");
    let csrf = b.csrf(&rule).await;
    let placed = b
        .post(
            &format!("{rule}/holds"),
            &[
                ("csrf", &csrf),
                ("reason", "Court order 12/2026"),
                ("keys", "3\n4"),
            ],
        )
        .await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    let holds = gallra::retention::holds::list(&s.app.db).await.unwrap();
    assert_eq!(holds.len(), 1);
    assert_eq!(
        holds[0].keys.as_deref(),
        Some(&["3".to_string(), "4".to_string()][..])
    );
    let lifted = b
        .post(
            &format!("/retention/holds/{}/lift", holds[0].id),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(lifted.status, 303);
    let holds = gallra::retention::holds::list(&s.app.db).await.unwrap();
    assert!(holds[0].lifted_at.is_some());
    // A dry run from the page: a run row, nothing changed.
    let dry = b.post(&format!("{rule}/dry-run"), &[("csrf", &csrf)]).await;
    assert_eq!(dry.status, 303);
    assert_eq!(s.meetings.ids().await.len(), 20);
}

#[tokio::test]
async fn a_reviewer_decides_many_items_at_once_and_a_dpo_closes_the_campaign() {
    let s = Scenario::new().await;
    let dpo = s.browser(Role::Dpo).await;
    let page = format!("/reviews/{}", s.campaign_id);
    let detail = dpo.get(&page).await;
    assert_eq!(detail.status, 200);
    let ids: Vec<String> = detail
        .body
        .split("name=\"item\" value=\"")
        .skip(1)
        .map(|r| r[..r.find('"').unwrap()].to_owned())
        .collect();
    assert_eq!(ids.len(), 3);
    let csrf = detail.csrf();
    let decide = format!("{page}/decisions");
    let missing = dpo
        .post(
            &decide,
            &[("csrf", &csrf), ("item", &ids[0]), ("decision", "keep")],
        )
        .await;
    assert_eq!(missing.status, 400, "keep needs a justification");
    let mut form = vec![
        ("csrf", csrf.as_str()),
        ("decision", "keep"),
        ("justification", "Needs admin access for on-call"),
    ];
    form.extend(ids[..2].iter().map(|i| ("item", i.as_str())));
    assert_eq!(dpo.post(&decide, &form).await.status, 303);
    let one = dpo
        .post(
            &decide,
            &[
                ("csrf", &csrf),
                ("item", &ids[2]),
                ("decision", "revoke"),
                ("justification", "Left the team"),
            ],
        )
        .await;
    assert_eq!(one.status, 303);
    let closed = dpo
        .post(
            &format!("{page}/close"),
            &[("csrf", &csrf), ("approve", "true")],
        )
        .await;
    assert_eq!(closed.status, 303, "{}", closed.body);
    let c = entity::review_campaigns::Entity::find_by_id(s.campaign_id)
        .one(&s.app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.status, gallra::review::CampaignStatus::Closed);
    let items = gallra::review::views::campaign_detail(
        &s.app.db,
        s.campaign_id,
        &admin(&s).await,
        gallra::clock::Clock::now(&*s.app.clock),
    )
    .await
    .unwrap();
    let kept = items
        .item_list
        .iter()
        .filter(|i| i.decision == Some(gallra::review::decide::Decision::Keep))
        .count();
    assert_eq!(kept, 2);
    let _ = POLICY;
}

async fn admin(s: &Scenario) -> gallra::auth::Principal {
    let (id, _) = s.token(Role::Admin, "admin-check").await;
    let token = gallra::auth::token::list(&s.app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.id == id)
        .unwrap();
    gallra::auth::Principal { token }
}

#[tokio::test]
async fn a_session_works_on_another_replica_and_after_a_restart() {
    let s = Scenario::new().await;
    let b = s.browser(Role::Dpo).await;
    let cookie = format!("gallra_session={}", b.cookie_value());
    // A second `gallra serve` on the same store: the session is in the store, not the process.
    let (replica, _) = s.app.spawn_replica().await;
    let other = Browser::new(&replica);
    assert_eq!(
        other
            .get_with("/services", &[("cookie", &cookie)])
            .await
            .status,
        200
    );
    // Ended on one replica, it is ended on all.
    let csrf = b.csrf("/").await;
    assert_eq!(b.post("/logout", &[("csrf", &csrf)]).await.status, 303);
    assert_eq!(
        other
            .get_with("/services", &[("cookie", &cookie)])
            .await
            .status,
        303
    );
}

#[tokio::test]
async fn an_interrupted_run_says_its_rows_over_age_were_not_counted_nor_its_post_condition_checked()
{
    use gallra::clock::Clock;
    use gallra::retention::{rule, run, settle, Outcome, RunOptions};
    let s = Scenario::new().await;
    let state = &s.app.state;
    // A run row left `running` with its lock free, as a killed process leaves it.
    let r = rule::load(&s.app.db, RULE).await.unwrap().unwrap();
    let opts = RunOptions::manual(false);
    let id = run::claim(state, &r, &opts, s.app.clock.now())
        .await
        .unwrap();
    let settled = settle::dead_runs(state, RULE).await.unwrap();
    assert_eq!(settled.len(), 1);
    assert_eq!(settled[0].outcome, Outcome::Interrupted);
    assert_eq!(settled[0].remaining_over_age, None);

    let b = s.browser(Role::Dpo).await;
    let en = b.get(&format!("/retention/runs/{id}")).await;
    assert_eq!(en.status, 200);
    assert!(
        en.body.contains("not counted: the run was interrupted"),
        "{}",
        en.body
    );
    assert!(en.body.contains("not checked: the run was interrupted"));
    assert!(
        en.body.contains("Under legal hold</dt><dd>not counted"),
        "held is not shown as 0"
    );
    let sv = b
        .get_with(
            &format!("/retention/runs/{id}"),
            &[("accept-language", "sv-SE,sv;q=0.9")],
        )
        .await
        .body;
    assert!(sv.contains("inte kontrollerad: körningen avbröts"), "{sv}");
    // A finished run's page shows its counts, not these words.
    let other = b.get(&format!("/retention/runs/{}", s.run_id)).await.body;
    assert!(!other.contains("the run was interrupted"));
}
