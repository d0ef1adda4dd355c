//! A page shows a rule's breach state as the last check or run recorded it: rendering it asks
//! no datasource (a datasource gone since keeps the page as it was, until a check says so).

use std::collections::HashMap;

use chrono::TimeDelta;
use gallra::auth::Role;
use gallra::policy::spec::TimestampFormat;
use gallra::retention::{run_rule, Outcome, RunOptions};
use sea_orm::ConnectionTrait;

use crate::datasources::{Fixture, Kind};
use crate::helpers::{seed_policies, TestApp};
use crate::web_scenario::Browser;

const RULE: &str = "meeting-participants";

fn rule_cell(page: &str) -> &str {
    let at = page
        .find(&format!("/retention/rules/{RULE}"))
        .expect("the rule's row");
    &page[at..at + page[at..].find("</tr>").unwrap()]
}

#[tokio::test]
async fn the_retention_page_shows_the_recorded_breach_state_and_asks_no_datasource() {
    let now = crate::retention::now();
    // 30 participants of the last days and 2 over age: within every guard.
    let mut rows: Vec<_> = (1..=30).map(|i| (i, now - TimeDelta::hours(i))).collect();
    rows.extend([
        (31, now - TimeDelta::days(9)),
        (32, now - TimeDelta::days(10)),
    ]);
    let meetings = Fixture::participants(Kind::Sqlite, TimestampFormat::Sql, &rows).await;
    let urls = HashMap::from([("meetings".to_string(), meetings.url.clone())]);
    let app = TestApp::spawn_full(Some(&seed_policies()), urls).await;
    let dpo = app.token(Role::Dpo).await;
    let browser = Browser::new(&app.address);
    browser.sign_in(&dpo).await;

    // Never checked: the page says so rather than counting.
    let page = browser.get("/retention").await.body;
    assert!(
        rule_cell(&page).contains("Not checked"),
        "{}",
        rule_cell(&page)
    );

    let report = run_rule(&app.state, RULE, RunOptions::manual(false), |_| {})
        .await
        .unwrap();
    assert_eq!(report.outcome, Outcome::Succeeded);
    let page = browser.get("/retention").await.body;
    assert!(
        rule_cell(&page).contains("Compliant"),
        "{}",
        rule_cell(&page)
    );

    // The datasource's table goes away: the page still shows what the run found.
    meetings
        .db
        .execute_unprepared("DROP TABLE participants")
        .await
        .unwrap();
    let page = browser.get("/retention").await.body;
    assert!(
        rule_cell(&page).contains("Compliant"),
        "{}",
        rule_cell(&page)
    );
    let overview = browser.get("/").await;
    assert_eq!(overview.status, 200);

    // A check (asked for through the API) records what it finds, and the page follows.
    let breaches = app.get_json("/api/v1/retention/breaches").await;
    let checked = breaches
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["rule"] == RULE)
        .unwrap();
    assert!(checked["error"].is_string(), "{checked}");
    let page = browser.get("/retention").await.body;
    assert!(
        rule_cell(&page).contains("Not checked"),
        "{}",
        rule_cell(&page)
    );
}
