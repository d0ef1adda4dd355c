//! The test application: its own store, a fixed clock, a bound port, tokens per role.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use std::collections::HashMap;

use gallra::app::Application;
use gallra::auth::{token, Role};
use gallra::clock::FixedClock;
use gallra::context::AppState;
use gallra::settings::Settings;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use tempfile::TempDir;

pub struct TestApp {
    pub address: String,
    pub db: DatabaseConnection,
    pub keys: gallra::evidence::Keys,
    pub state: AppState,
    pub database_url: String,
    pub clock: Arc<FixedClock>,
    pub client: reqwest::Client,
    pub dir: TempDir,
}

/// The repository's policy folder: the seed services.
pub fn seed_policies() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("policies")
}

/// A store of its own: a SQLite file in `dir`, or a new database on TEST_DATABASE_URL's server.
pub async fn fresh_database_url(dir: &Path) -> String {
    match std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        None => format!("sqlite://{}/gallra.db?mode=rwc", dir.display()),
        Some(base) => {
            let name = format!("gallra_test_{}", uuid::Uuid::new_v4().simple());
            let admin = Database::connect(&base)
                .await
                .expect("TEST_DATABASE_URL must be reachable");
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .expect("create test database");
            admin.close().await.ok();
            let (server, _) = base
                .rsplit_once('/')
                .expect("TEST_DATABASE_URL names a database");
            format!("{server}/{name}")
        }
    }
}

impl TestApp {
    /// The app with the seed policies applied.
    pub async fn spawn() -> Self {
        Self::spawn_with(Some(&seed_policies())).await
    }

    pub async fn spawn_with(policies: Option<&Path>) -> Self {
        Self::spawn_full(policies, HashMap::new()).await
    }

    /// The app with `policies` applied and datasources at the given URLs.
    pub async fn spawn_full(policies: Option<&Path>, datasources: HashMap<String, String>) -> Self {
        Self::spawn_limited(policies, datasources, Default::default()).await
    }

    /// The app with `policies` applied, datasources at the given URLs and its own HTTP limits.
    pub async fn spawn_limited(
        policies: Option<&Path>,
        datasources: HashMap<String, String>,
        http: gallra::settings::HttpLimits,
    ) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let database_url = fresh_database_url(dir.path()).await;
        let mut settings = settings(&database_url, dir.path(), policies, datasources);
        settings.http = http;
        let clock = Arc::new(FixedClock::new(
            Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap(),
        ));
        let app = Application::build(&settings, clock.clone())
            .await
            .expect("app builds");
        let address = format!("http://127.0.0.1:{}", app.port());
        let state = app.state.clone();
        tokio::spawn(app.run_until_stopped(std::future::pending()));
        TestApp {
            address,
            db: state.db.clone(),
            keys: state.keys.clone(),
            state,
            database_url,
            clock,
            client: reqwest::Client::new(),
            dir,
        }
    }

    /// A second replica on the same store and signing key, as a second `gallra serve` would be.
    pub async fn spawn_replica(&self) -> (String, AppState) {
        let urls = self.state.datasources.urls();
        let settings = settings(&self.database_url, self.dir.path(), None, urls);
        let app = Application::build(&settings, self.clock.clone())
            .await
            .expect("replica builds");
        let address = format!("http://127.0.0.1:{}", app.port());
        let state = app.state.clone();
        tokio::spawn(app.run_until_stopped(std::future::pending()));
        (address, state)
    }

    /// A new token, its creation in the evidence tree as `gallra token create` leaves it.
    pub async fn token(&self, role: Role) -> String {
        let now = gallra::clock::Clock::now(&*self.clock);
        let secret = token::create(&self.db, &format!("test-{role}"), role, now)
            .await
            .unwrap()
            .1;
        gallra::evidence::sign_checkpoint(&self.db, &self.keys, now)
            .await
            .unwrap();
        secret
    }

    pub async fn get(&self, path: &str, token: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
    }

    pub async fn post_json(
        &self,
        path: &str,
        token: &str,
        body: serde_json::Value,
    ) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.address))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .expect("request")
    }

    /// GET as an admin and parse the JSON body, asserting 200.
    pub async fn get_json(&self, path: &str) -> serde_json::Value {
        let admin = self.token(Role::Admin).await;
        let r = self.get(path, &admin).await;
        assert_eq!(r.status(), 200, "GET {path}");
        r.json().await.unwrap()
    }
}

pub fn settings(
    database_url: &str,
    dir: &Path,
    policies: Option<&Path>,
    datasource_urls: HashMap<String, String>,
) -> Settings {
    Settings {
        database_url: database_url.to_owned(),
        data_dir: dir.to_path_buf(),
        listen: "127.0.0.1:0".parse().unwrap(),
        policies: policies.map(Path::to_path_buf),
        scheduler: false,
        datasource_urls,
        webhook: None,
        http: Default::default(),
        datasources: Default::default(),
        cookie_secure: false,
        author: None,
    }
}

/// Copy a policy folder into `to`, so a test can edit it.
pub fn copy_policies(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "toml") {
            std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
        }
    }
}

/// Replace `from` with `to` in one file of a policy folder; returns the byte offset of the change.
pub fn edit(dir: &Path, file: &str, from: &str, to: &str) -> usize {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let at = text
        .find(from)
        .unwrap_or_else(|| panic!("`{from}` not in {file}"));
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    at
}

/// 1-based line and column of a byte offset in a file.
pub fn line_col(dir: &Path, file: &str, offset: usize) -> (usize, usize) {
    let text = std::fs::read_to_string(dir.join(file)).unwrap();
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    (line, col)
}
