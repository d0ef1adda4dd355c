//! A DPO's day for the web interface's tests: the seed register with a meetings datasource
//! whose 7-day purge waits for approval, an accounts table under review with an open campaign,
//! and a browser-like client that signs in through the pages.

use std::collections::HashMap;

use gallra::auth::{session, token, Role};
use gallra::clock::Clock;
use gallra::retention::{run_rule, Outcome, RunOptions};
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};

use crate::datasources::{fourteen_days, Fixture, Kind};
use crate::helpers::{seed_policies, TestApp};

pub const RULE: &str = "meeting-participants";
pub const POLICY: &str = "vdx-admin-profiles";

pub struct Scenario {
    pub app: TestApp,
    pub meetings: Fixture,
    /// Kept for its folder: the accounts table lives there.
    _accounts: Fixture,
    /// The guarded run awaiting a DPO's approval.
    pub run_id: i32,
    pub campaign_id: i32,
}

impl Scenario {
    pub async fn new() -> Self {
        let now = crate::retention::now();
        // 12 of 14 days over age: past the rule's max_percent, so the run waits for approval.
        let meetings = Fixture::participants(
            Kind::Sqlite,
            gallra::policy::spec::TimestampFormat::Sql,
            &fourteen_days(now - chrono::TimeDelta::days(5)),
        )
        .await;
        let accounts = Fixture::accounts(
            Kind::Sqlite,
            "admin_profiles",
            &[
                (1, "Anna Admin", "admin"),
                (2, "Bo Berg", "admin"),
                (3, "Cia Carlsson", "operator"),
            ],
            &[],
        )
        .await;
        let urls = HashMap::from([
            ("meetings".to_string(), meetings.url.clone()),
            ("vdx-admin".to_string(), accounts.url.clone()),
        ]);
        let app = TestApp::spawn_full(Some(&seed_policies()), urls).await;
        let report = run_rule(&app.state, RULE, RunOptions::manual(false), |_| {})
            .await
            .unwrap();
        assert_eq!(report.outcome, Outcome::AwaitingApproval);
        let campaign_id = gallra::review::open::open(&app.state, POLICY, None, None)
            .await
            .unwrap();
        Scenario {
            app,
            meetings,
            _accounts: accounts,
            run_id: report.run_id,
            campaign_id,
        }
    }

    /// A token of `role` named `name`, and its id.
    pub async fn token(&self, role: Role, name: &str) -> (i32, String) {
        let now = self.app.clock.now();
        let (view, secret) = token::create(&self.app.db, name, role, now).await.unwrap();
        (view.id, secret)
    }

    /// A browser signed in as a new token of `role`, through the sign-in form.
    pub async fn browser(&self, role: Role) -> Browser {
        let (_, secret) = self.token(role, &format!("web-{role}")).await;
        let b = Browser::new(&self.app.address);
        b.sign_in(&secret).await;
        b
    }

    /// A one-time login link's path for a new token of `role`.
    pub async fn login_link(&self, role: Role) -> String {
        let (id, _) = self.token(role, &format!("link-{role}")).await;
        let link = session::create_login_link(&self.app.db, id, self.app.clock.now())
            .await
            .unwrap();
        format!("/login/link/{link}")
    }
}

/// A client that keeps cookies the way a browser does (only those this site set), and does not
/// follow redirects, so tests see them.
pub struct Browser {
    pub base: String,
    client: reqwest::Client,
    cookies: std::sync::Mutex<HashMap<String, String>>,
}

pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub set_cookies: Vec<String>,
    pub body: String,
}

impl Page {
    /// The value of the first hidden `csrf` field.
    pub fn csrf(&self) -> String {
        let at = self
            .body
            .find("name=\"csrf\" value=\"")
            .expect("a form with a CSRF token");
        let rest = &self.body[at + "name=\"csrf\" value=\"".len()..];
        rest[..rest.find('"').unwrap()].to_owned()
    }
}

impl Browser {
    pub fn new(base: &str) -> Self {
        Browser {
            base: base.to_owned(),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: Default::default(),
        }
    }

    fn cookie_header(&self) -> String {
        let jar = self.cookies.lock().unwrap();
        jar.iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn page(&self, r: reqwest::Response) -> Page {
        let status = r.status().as_u16();
        let location = r
            .headers()
            .get(LOCATION)
            .map(|v| v.to_str().unwrap().to_owned());
        let set_cookies: Vec<String> = r
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        for c in &set_cookies {
            let pair = c.split(';').next().unwrap();
            let (k, v) = pair.split_once('=').unwrap();
            let mut jar = self.cookies.lock().unwrap();
            if v.is_empty() || c.contains("Max-Age=0") || c.contains("1970") {
                jar.remove(k);
            } else {
                jar.insert(k.to_owned(), v.to_owned());
            }
        }
        Page {
            status,
            location,
            set_cookies,
            body: r.text().await.unwrap(),
        }
    }

    pub async fn get(&self, path: &str) -> Page {
        self.get_with(path, &[]).await
    }

    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Page {
        let mut req = self
            .client
            .get(format!("{}{path}", self.base))
            .header(COOKIE, self.cookie_header());
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.page(req.send().await.unwrap()).await
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Page {
        let body: String = form
            .iter()
            .map(|(k, v)| format!("{k}={}", urlencode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .header(COOKIE, self.cookie_header())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        self.page(r).await
    }

    /// A `multipart/form-data` POST: text fields, then one file field named `file`.
    pub async fn post_file(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        file_name: &str,
        bytes: &[u8],
    ) -> Page {
        let boundary = "gallra-test-boundary-7d1f";
        let mut body = Vec::new();
        for (k, v) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\ncontent-disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(
            format!("--{boundary}\r\ncontent-disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\ncontent-type: application/octet-stream\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .header(COOKIE, self.cookie_header())
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
            .await
            .unwrap();
        self.page(r).await
    }

    pub async fn sign_in(&self, secret: &str) -> Page {
        let form = self.get("/login").await;
        assert_eq!(form.status, 200);
        let csrf = form.csrf();
        let done = self
            .post(
                "/login",
                &[("token", secret), ("csrf", &csrf), ("next", "/")],
            )
            .await;
        assert_eq!(done.status, 303, "{}", done.body);
        done
    }

    /// A page's CSRF token, read from the page as a browser's form carries it.
    pub async fn csrf(&self, path: &str) -> String {
        self.get(path).await.csrf()
    }

    /// The session cookie's value, as a thief would replay it.
    pub fn cookie_value(&self) -> String {
        self.cookies
            .lock()
            .unwrap()
            .get("gallra_session")
            .cloned()
            .unwrap_or_default()
    }

    pub fn has_session(&self) -> bool {
        self.cookies.lock().unwrap().contains_key("gallra_session")
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
