//! `/import` in the web interface: roles, CSRF, an upload shown as draft and report side by
//! side, the download, and a bad document refused with its name.

use gallra::auth::Role;

use crate::web_scenario::{Browser, Scenario};

fn seed() -> Vec<u8> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/import/seeds/002_38b2448d49f7f0f4.txt"
    );
    std::fs::read(path).unwrap()
}

#[tokio::test]
async fn only_dpo_and_admin_may_import_and_see_the_link() {
    let s = Scenario::new().await;
    for (role, may) in [
        (Role::Dpo, true),
        (Role::Admin, true),
        (Role::Auditor, false),
        (Role::Operator, false),
        (Role::Reviewer, false),
    ] {
        let b = s.browser(role).await;
        let page = b.get("/import").await;
        assert_eq!(page.status == 200, may, "{role:?}: {}", page.status);
        let home = b.get("/").await;
        assert_eq!(
            home.body.contains("href=\"/import\""),
            may,
            "{role:?}: nav link"
        );
        if !may {
            assert_eq!(page.status, 403);
            let csrf = home.csrf();
            let post = b
                .post_file("/import", &[("csrf", &csrf)], "a.txt", &seed())
                .await;
            assert_eq!(post.status, 403, "{role:?}");
        }
    }
    let anon = Browser::new(&s.app.address);
    assert_eq!(anon.get("/import").await.status, 303);
}

#[tokio::test]
async fn an_upload_without_its_csrf_token_is_refused() {
    let s = Scenario::new().await;
    let b = s.browser(Role::Dpo).await;
    let page = b
        .post_file("/import", &[("csrf", "forged")], "002.txt", &seed())
        .await;
    assert_eq!(page.status, 403);
    assert!(!page.body.contains("keep_for"));
    let dl = b
        .post(
            "/import/download",
            &[("csrf", "forged"), ("name", "x"), ("toml", "x")],
        )
        .await;
    assert_eq!(dl.status, 403);
}

#[tokio::test]
async fn a_seed_upload_shows_the_draft_with_its_seven_day_rule_beside_the_report() {
    let s = Scenario::new().await;
    let b = s.browser(Role::Dpo).await;
    let form = b.get("/import").await;
    assert_eq!(form.body.matches("<h1").count(), 1);
    assert!(form.body.contains("enctype=\"multipart/form-data\""));
    assert!(form.body.contains("<label for=\"i-file\">"));
    let csrf = form.csrf();
    let page = b
        .post_file(
            "/import",
            &[("csrf", &csrf), ("format", "auto"), ("processor", "")],
            "002_38b2448d49f7f0f4.txt",
            &seed(),
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("keep_for = &quot;7d&quot;")
            || page.body.contains("keep_for = &#34;7d&#34;"),
        "{}",
        page.body
    );
    assert!(page.body.contains("class=\"side-by-side\""));
    assert!(
        page.body.contains("002_38b2448d49f7f0f4.txt:157"),
        "the report cites the source line"
    );
    assert!(page.body.contains("<th scope=\"col\">"));
    // The download gives back the draft as a file; nothing was applied to the register.
    let toml = "[service]\nid = \"digitalt-mote\"\n";
    let dl = b
        .post(
            "/import/download",
            &[
                ("csrf", &csrf),
                ("name", "digitalt-mote.toml"),
                ("toml", toml),
            ],
        )
        .await;
    assert_eq!(dl.status, 200);
    assert_eq!(dl.body, toml);
}

#[tokio::test]
async fn a_document_without_section_six_is_refused_with_its_name() {
    let s = Scenario::new().await;
    let b = s.browser(Role::Admin).await;
    let csrf = b.csrf("/import").await;
    let page = b
        .post_file(
            "/import",
            &[("csrf", &csrf)],
            "notes.txt",
            b"Nothing to see here.\n",
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(
        page.body.contains("notes.txt: no recognisable section 6"),
        "{}",
        page.body
    );
    let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
    let page = b
        .post_file("/import", &[("csrf", &csrf)], "locked.docx", &ole)
        .await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("locked.docx: the document is encrypted"));
}

#[tokio::test]
async fn a_deflate_bomb_upload_is_refused_with_its_name() {
    let s = Scenario::new().await;
    let b = s.browser(Role::Dpo).await;
    let csrf = b.csrf("/import").await;
    let bomb = crate::import::bomb::bomb_bytes();
    let page = b
        .post_file("/import", &[("csrf", &csrf)], "bomb.docx", &bomb)
        .await;
    assert_eq!(page.status, 422, "{}", page.body);
    assert!(
        page.body.contains(&format!(
            "bomb.docx: too large: word/document.xml inflates past {} MiB",
            gallra::import::bounded::MAX_XML >> 20
        )),
        "{}",
        page.body
    );
}
