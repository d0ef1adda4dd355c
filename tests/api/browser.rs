//! A DPO in a real browser (headless Chromium through WebDriver): signs in with the one-time
//! link, finds Digitalt möte by searching for personnummer, sees its 7-day purge enforced,
//! approves the guarded run, places and lifts a hold, decides a campaign by keyboard alone and
//! closes it, switches to Swedish and Danish, and downloads the audit bundle. Every page it
//! visits is checked with axe-core (WCAG 2.1 A/AA: no violation), and no request leaves the
//! origin. Needs `chromium`, `chromedriver` (Debian: chromium, chromium-driver) and axe-core
//! (`npm install` in tests/browser); `.ci/run` installs them, and under CI=true their absence
//! fails the test.

use std::path::PathBuf;

use base64::Engine;
use fantoccini::{Client, ClientBuilder, Locator};
use gallra::auth::Role;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, BufReader};

use crate::web_scenario::{Scenario, RULE};

/// The browser's tools, or why the test cannot run here.
fn tools() -> Option<(PathBuf, String)> {
    let axe = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/browser/node_modules/axe-core/axe.min.js");
    let found = which("chromedriver").is_some()
        && (which("chromium").is_some() || which("chromium-browser").is_some());
    match (found, std::fs::read_to_string(&axe)) {
        (true, Ok(source)) => Some((axe, source)),
        _ => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "chromium, chromedriver and tests/browser's axe-core are required in CI"
            );
            eprintln!("chromium, chromedriver or axe-core missing: browser test not run");
            None
        }
    }
}

fn which(cmd: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(cmd))
            .find(|p| p.is_file())
    })
}

/// chromedriver on a port of its own, once it says it listens.
async fn driver() -> (tokio::process::Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = tokio::process::Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("chromedriver starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    while let Some(line) = lines.next_line().await.unwrap() {
        if line.contains("started successfully") {
            tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
            return (child, format!("http://127.0.0.1:{port}"));
        }
    }
    panic!("chromedriver stopped before it listened");
}

async fn browser(webdriver: &str, downloads: &std::path::Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,1000",
                     "--disable-dev-shm-usage"],
            "prefs": {"download.default_directory": downloads.to_str().unwrap(), "download.prompt_for_download": false}
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(webdriver)
        .await
        .expect("a WebDriver session")
}

/// The page in the browser now, checked: axe-core finds no WCAG 2.1 A/AA violation, and every
/// resource it loaded came from its own origin. Saves a screenshot under target/screenshots.
async fn check(c: &Client, axe: &str, name: &str) {
    c.execute(axe, vec![]).await.expect("axe-core loads");
    let found = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
                .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
                .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .unwrap();
    let url = c.current_url().await.unwrap();
    assert_eq!(found, json!([]), "axe-core on {url}");
    let foreign = c
        .execute("return performance.getEntriesByType('resource').map(e => e.name).filter(n => !n.startsWith(location.origin));", vec![])
        .await
        .unwrap();
    assert_eq!(foreign, json!([]), "requests off the origin from {url}");
    let shots = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    std::fs::write(
        shots.join(format!("{name}.png")),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
}

/// Wait for the page a click or key led to: until `xpath` matches (a DOM condition the browser
/// reports, polled by WebDriver's own wait, never a fixed sleep).
async fn arrived(c: &Client, xpath: &str) {
    c.wait()
        .at_most(std::time::Duration::from_secs(30))
        .for_element(Locator::XPath(xpath))
        .await
        .unwrap_or_else(|e| panic!("no {xpath}: {e}"));
}

async fn text(c: &Client) -> String {
    c.find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// Press Tab until the element `css` has the focus (at most `limit` times): how a keyboard
/// user gets there.
async fn tab_to(c: &Client, css: &str, limit: usize) {
    let target = c.find(Locator::Css(css)).await.unwrap();
    for _ in 0..limit {
        let active = c.active_element().await.unwrap();
        if active.element_id() == target.element_id() {
            return;
        }
        active
            .send_keys(&fantoccini::key::Key::Tab.to_string())
            .await
            .unwrap();
    }
    panic!("{css} is not reachable by Tab");
}

async fn press(c: &Client, keys: &str) {
    c.active_element()
        .await
        .unwrap()
        .send_keys(keys)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_dpo_does_the_days_work_in_a_browser_by_keyboard_and_in_three_languages() {
    let Some((_, axe)) = tools() else { return };
    let s = Scenario::new().await;
    let (_driver, webdriver) = driver().await;
    let downloads = tempfile::tempdir().unwrap();
    let c = browser(&webdriver, downloads.path()).await;
    let base = &s.app.address;

    // Signs in with the one-time link, and lands on the overview.
    c.goto(&format!("{base}{}", s.login_link(Role::Dpo).await))
        .await
        .unwrap();
    assert!(text(&c).await.contains("Compliance overview"));
    check(&c, &axe, "en-overview").await;
    // The check itself fails on a violation: an image without a text alternative is found.
    c.execute("const i = document.createElement('img'); i.src = '/static/gallra.css'; document.querySelector('main').appendChild(i);", vec![]).await.unwrap();
    let caught = std::panic::AssertUnwindSafe(check(&c, &axe, "en-overview-broken"));
    let caught = futures_util::FutureExt::catch_unwind(caught).await;
    assert!(caught.is_err(), "axe-core must catch an image without alt");
    c.refresh().await.unwrap();

    // Searches the register for personnummer and opens Digitalt möte.
    c.goto(&format!("{base}/services")).await.unwrap();
    let q = c.find(Locator::Id("f-q")).await.unwrap();
    q.send_keys("personnummer").await.unwrap();
    q.send_keys(&fantoccini::key::Key::Enter.to_string())
        .await
        .unwrap();
    arrived(&c, "//a[text()='Digitalt möte']").await;
    check(&c, &axe, "en-register").await;
    c.find(Locator::LinkText("Digitalt möte"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    arrived(&c, "//h1[text()='Digitalt möte']").await;
    let service = text(&c).await;
    assert!(
        service.contains("Gallra uppgifter om mötesdeltagare"),
        "the 7-day instruction"
    );
    assert!(
        service.contains(&format!("retention rule {RULE}"))
            && service.contains("Awaiting approval"),
        "{service}"
    );
    check(&c, &axe, "en-service").await;

    // Approves the guarded run with a reason.
    c.goto(&format!("{base}/retention/runs/{}", s.run_id))
        .await
        .unwrap();
    check(&c, &axe, "en-run-awaiting").await;
    c.find(Locator::Id("reason"))
        .await
        .unwrap()
        .send_keys("Checked with the controller's DPO")
        .await
        .unwrap();
    c.find(Locator::Css("#approve ~ form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    arrived(&c, "//strong[text()='Succeeded']").await;
    let after = text(&c).await;
    assert!(after.contains("Succeeded"), "{after}");
    assert_eq!(s.meetings.ids().await.len(), 20);
    check(&c, &axe, "en-run-succeeded").await;

    // Places a hold on two keys and lifts it.
    c.goto(&format!("{base}/retention/rules/{RULE}"))
        .await
        .unwrap();
    c.find(Locator::Id("hold-reason"))
        .await
        .unwrap()
        .send_keys("Court order 12/2026")
        .await
        .unwrap();
    c.find(Locator::Id("hold-keys"))
        .await
        .unwrap()
        .send_keys("3\n4")
        .await
        .unwrap();
    c.find(Locator::Css("form[action$='/holds'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    arrived(&c, "//td[text()='Court order 12/2026']").await;
    assert!(text(&c).await.contains("Court order 12/2026"));
    check(&c, &axe, "en-rule-hold").await;
    c.find(Locator::Css("form[action$='/lift'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    arrived(&c, "//td[contains(., 'lifted')]").await;
    assert!(text(&c).await.contains("lifted"));
    assert!(gallra::retention::holds::list(&s.app.db).await.unwrap()[0]
        .lifted_at
        .is_some());

    // Decides the campaign by keyboard alone, from the first item to the close.
    c.goto(&format!("{base}/reviews/{}", s.campaign_id))
        .await
        .unwrap();
    check(&c, &axe, "en-campaign").await;
    let boxes = c.find_all(Locator::Css("input[name=item]")).await.unwrap();
    let ids: Vec<String> = futures_util::future::try_join_all(boxes.iter().map(|b| b.attr("id")))
        .await
        .unwrap()
        .into_iter()
        .flatten()
        .collect();
    for id in &ids {
        tab_to(&c, &format!("#{id}"), 60).await;
        press(&c, " ").await;
    }
    tab_to(&c, "#d-keep", 10).await;
    press(&c, " ").await;
    tab_to(&c, "#justification", 10).await;
    press(&c, "Work-related need confirmed by the unit manager").await;
    tab_to(&c, "fieldset button[type=submit]", 5).await;
    press(&c, &fantoccini::key::Key::Enter.to_string()).await;
    arrived(&c, "//p[@role='status']").await;
    assert!(text(&c).await.contains("The decisions are saved."));
    tab_to(&c, "#approve", 80).await;
    tab_to(&c, "form[action$='/close'] button", 5).await;
    press(&c, &fantoccini::key::Key::Enter.to_string()).await;
    arrived(&c, "//p[@role='status' and contains(., 'closed')]").await;
    check(&c, &axe, "en-campaign-closed").await;

    // The evidence and exports pages.
    c.goto(&format!("{base}/evidence")).await.unwrap();
    check(&c, &axe, "en-evidence").await;
    c.goto(&format!("{base}/evidence/1")).await.unwrap();
    assert!(text(&c)
        .await
        .contains("The proof checks against the checkpoint's root"));
    check(&c, &axe, "en-entry").await;
    c.goto(&format!("{base}/exports")).await.unwrap();
    check(&c, &axe, "en-exports").await;

    // Importing a document: the form, then the draft beside its report.
    c.goto(&format!("{base}/import")).await.unwrap();
    check(&c, &axe, "en-import").await;
    let seed = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/import/seeds/002_38b2448d49f7f0f4.txt"
    );
    c.find(Locator::Css("#i-file"))
        .await
        .unwrap()
        .send_keys(seed)
        .await
        .unwrap();
    c.find(Locator::Css("form[action='/import'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    arrived(&c, "//h2[@id='report-h']").await;
    assert!(text(&c).await.contains("keep_for = \"7d\""));
    check(&c, &axe, "en-import-draft").await;

    // The audit bundle downloads, and verifies.
    let zip = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch('/exports/bundle').then(r => r.arrayBuffer()).then(b => {
               let s = ''; const u = new Uint8Array(b); for (let i = 0; i < u.length; i++) s += String.fromCharCode(u[i]);
               done(btoa(s)); }).catch(e => done('failed: ' + e));",
            vec![],
        )
        .await
        .unwrap();
    let zip = base64::engine::general_purpose::STANDARD
        .decode(zip.as_str().unwrap())
        .unwrap();
    let files = gallra::export::bundle::read_zip(std::io::Cursor::new(zip)).unwrap();
    let verified = gallra::export::bundle::verify(&files, &s.app.keys.verifier_key);
    assert!(verified.is_ok(), "{verified:?}");

    // Swedish, then Danish: every page in its language, and still accessible.
    for (lang, link, title, pages) in [
        (
            "sv",
            "Svenska",
            "Översikt över efterlevnaden",
            ["sv-overview", "sv-service", "sv-campaign"],
        ),
        (
            "da",
            "Dansk",
            "Overblik over overholdelse",
            ["da-overview", "da-service", "da-campaign"],
        ),
    ] {
        c.goto(&format!("{base}/")).await.unwrap();
        c.find(Locator::LinkText(link))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        arrived(&c, &format!("//html[@lang='{lang}']")).await;
        let html_lang = c
            .find(Locator::Css("html"))
            .await
            .unwrap()
            .attr("lang")
            .await
            .unwrap();
        assert_eq!(html_lang.as_deref(), Some(lang));
        assert!(text(&c).await.contains(title));
        check(&c, &axe, pages[0]).await;
        c.goto(&format!("{base}/services/digitalt-mote"))
            .await
            .unwrap();
        check(&c, &axe, pages[1]).await;
        c.goto(&format!("{base}/reviews/{}", s.campaign_id))
            .await
            .unwrap();
        check(&c, &axe, pages[2]).await;
    }
    c.close().await.unwrap();
}
