//! The web's error pages speak the reader's language, whichever error made them.

use gallra::auth::Role;

use crate::helpers::TestApp;
use crate::web_scenario::Browser;

#[tokio::test]
async fn an_error_page_is_in_the_language_of_the_reader() {
    let app = TestApp::spawn().await;
    let dpo = app.token(Role::Dpo).await;
    let browser = Browser::new(&app.address);
    browser.sign_in(&dpo).await;
    for (accept, lang, title) in [
        ("sv-SE,sv;q=0.9", "sv", "Något gick fel"),
        ("da", "da", "Noget gik galt"),
        ("en-GB", "en", "Something went wrong"),
    ] {
        // A campaign that is not there: an error the domain raised, rendered far from the
        // handler's own translations.
        let page = browser
            .get_with("/reviews/999999", &[("accept-language", accept)])
            .await;
        assert_eq!(page.status, 404, "{accept}");
        assert!(
            page.body.contains(&format!("<html lang=\"{lang}\">")),
            "{accept}: {}",
            page.body
        );
        assert!(page.body.contains(title), "{accept}: {}", page.body);
    }
}
