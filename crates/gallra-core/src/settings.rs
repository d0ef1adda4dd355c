//! Configuration from the environment (the README's configuration table), optionally from
//! `gallra.toml` beneath it: read once, by `Settings::load`, and carried from there (in
//! `AppState`) to where it is used. Secrets never reach a log through `Debug`.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use serde::Deserialize;

pub use crate::datasource::env::{datasource_env, DatasourceSettings};

#[derive(Clone)]
pub struct Settings {
    pub database_url: String,
    pub data_dir: PathBuf,
    pub listen: SocketAddr,
    /// The policy folder applied at start; `None` applies nothing (tests, `migrate`).
    pub policies: Option<PathBuf>,
    pub scheduler: bool,
    /// Datasource URLs given directly (tests, demo); others come from `GALLRA_DATASOURCE_<ID>`.
    pub datasource_urls: std::collections::HashMap<String, String>,
    /// Where overdue reviews are posted (`GALLRA_REVIEW_WEBHOOK`), signed with
    /// `GALLRA_WEBHOOK_SECRET`.
    pub webhook: Option<Webhook>,
    /// What a client may hold and try: connections, header time, wrong credentials.
    pub http: HttpLimits,
    /// Datasource URLs from the environment, and how long a datasource's statement may wait.
    pub datasources: DatasourceSettings,
    /// Cookies marked `Secure` whatever the request says (`GALLRA_COOKIE_SECURE=true`).
    pub cookie_secure: bool,
    /// Who writes register versions from this process (`GALLRA_AUTHOR`, else `USER`).
    pub author: Option<String>,
}

/// Secrets shown as what they are, never their value: the webhook's secret, a database URL's
/// password, a datasource URL (which holds one).
impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("database_url", &redact_url(&self.database_url))
            .field("data_dir", &self.data_dir)
            .field("listen", &self.listen)
            .field("policies", &self.policies)
            .field("scheduler", &self.scheduler)
            .field(
                "datasource_urls",
                &self.datasource_urls.keys().collect::<Vec<_>>(),
            )
            .field("webhook", &self.webhook)
            .field("http", &self.http)
            .field("datasources", &self.datasources)
            .field("cookie_secure", &self.cookie_secure)
            .field("author", &self.author)
            .finish()
    }
}

/// A URL with its password (`user:password@`) replaced by `***`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((user, host)) if user.contains(':') => {
            let name = user.split(':').next().unwrap_or_default();
            format!("{scheme}://{name}:***@{host}")
        }
        _ => url.to_owned(),
    }
}

/// Bounds on what one client can take of the server (docs/operations.md says what a reverse
/// proxy in front should add).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpLimits {
    /// Open connections at once (`GALLRA_MAX_CONNECTIONS`); one more is answered 503 and closed.
    pub max_connections: usize,
    /// Time to send a request's headers, and to start the next request on a kept-alive
    /// connection (`GALLRA_HEADER_TIMEOUT`, seconds).
    pub header_timeout: std::time::Duration,
    /// Wrong credentials per client before 429 (`GALLRA_SIGNIN_FAILURES`: the burst).
    pub signin: crate::auth::throttle::Allowance,
    /// Proxies whose `X-Forwarded-For` names the client (`GALLRA_TRUSTED_PROXIES`, addresses).
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

impl Default for HttpLimits {
    fn default() -> Self {
        HttpLimits {
            max_connections: 1024,
            header_timeout: std::time::Duration::from_secs(10),
            signin: Default::default(),
            trusted_proxies: Vec::new(),
        }
    }
}

impl HttpLimits {
    /// The limits the environment sets (`GALLRA_MAX_CONNECTIONS`, …), for a command that
    /// builds its other settings itself (the demo).
    pub fn from_environment() -> anyhow::Result<Self> {
        Self::from_env(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
    }

    fn from_env(env: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let mut limits = HttpLimits::default();
        let number = |key: &str| -> anyhow::Result<Option<u64>> {
            env(key)
                .map(|v| {
                    v.trim()
                        .parse::<u64>()
                        .ok()
                        .filter(|n| *n > 0)
                        .with_context(|| {
                            format!("{key}: expected a whole number above 0, got `{v}`")
                        })
                })
                .transpose()
        };
        if let Some(n) = number("GALLRA_MAX_CONNECTIONS")? {
            limits.max_connections = n as usize;
        }
        if let Some(n) = number("GALLRA_HEADER_TIMEOUT")? {
            limits.header_timeout = std::time::Duration::from_secs(n);
        }
        if let Some(n) = number("GALLRA_SIGNIN_FAILURES")? {
            limits.signin.burst = u32::try_from(n)
                .ok()
                .and_then(std::num::NonZeroU32::new)
                .context("GALLRA_SIGNIN_FAILURES: too large")?;
        }
        if let Some(list) = env("GALLRA_TRUSTED_PROXIES") {
            limits.trusted_proxies = list
                .split(',')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(|a| {
                    a.parse().with_context(|| {
                        format!("GALLRA_TRUSTED_PROXIES: `{a}` is not an IP address")
                    })
                })
                .collect::<anyhow::Result<_>>()?;
        }
        Ok(limits)
    }
}

#[derive(Clone)]
pub struct Webhook {
    pub url: String,
    pub secret: String,
}

impl std::fmt::Debug for Webhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Webhook")
            .field("url", &redact_url(&self.url))
            .field("secret", &"***")
            .finish()
    }
}

/// The keys `gallra.toml` may set; the environment wins over the file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    database_url: Option<String>,
    data_dir: Option<PathBuf>,
    listen: Option<String>,
    policies: Option<PathBuf>,
    scheduler: Option<String>,
}

impl Settings {
    pub fn load() -> anyhow::Result<Self> {
        let file: FileSettings = match std::fs::read_to_string("gallra.toml") {
            Ok(text) => toml::from_str(&text).context("gallra.toml")?,
            Err(_) => FileSettings::default(),
        };
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let data_dir = env("GALLRA_DATA_DIR")
            .map(PathBuf::from)
            .or(file.data_dir)
            .unwrap_or_else(|| "./data".into());
        let database_url = env("GALLRA_DATABASE_URL")
            .or(file.database_url)
            .unwrap_or_else(|| format!("sqlite://{}/gallra.db?mode=rwc", data_dir.display()));
        let listen = env("GALLRA_LISTEN")
            .or(file.listen)
            .unwrap_or_else(|| "127.0.0.1:8080".into());
        let listen = listen.parse().with_context(|| {
            format!("GALLRA_LISTEN: `{listen}` is not an address such as 127.0.0.1:8080")
        })?;
        let policies = env("GALLRA_POLICIES")
            .map(PathBuf::from)
            .or(file.policies)
            .unwrap_or_else(|| "./policies".into());
        let scheduler = match env("GALLRA_SCHEDULER").or(file.scheduler).as_deref() {
            None | Some("on") => true,
            Some("off") => false,
            Some(other) => anyhow::bail!("GALLRA_SCHEDULER: expected `on` or `off`, got `{other}`"),
        };
        Ok(Settings {
            database_url,
            data_dir,
            listen,
            policies: Some(policies),
            scheduler,
            datasource_urls: Default::default(),
            webhook: webhook(env("GALLRA_REVIEW_WEBHOOK"), env("GALLRA_WEBHOOK_SECRET"))?,
            http: HttpLimits::from_env(env)?,
            datasources: DatasourceSettings::from_env()?,
            cookie_secure: env("GALLRA_COOKIE_SECURE").is_some_and(|v| v == "true"),
            author: env("GALLRA_AUTHOR").or_else(|| env("USER")),
        })
    }
}

/// The review webhook, if one is set: never without a secret, or anyone could sign its posts.
fn webhook(url: Option<String>, secret: Option<String>) -> anyhow::Result<Option<Webhook>> {
    match (url, secret.filter(|s| !s.trim().is_empty())) {
        (None, _) => Ok(None),
        (Some(url), Some(secret)) => Ok(Some(Webhook { url, secret })),
        (Some(_), None) => anyhow::bail!(
            "GALLRA_REVIEW_WEBHOOK is set but GALLRA_WEBHOOK_SECRET is not: the webhook's posts are signed with it"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::webhook;

    #[test]
    fn no_secret_is_shown_by_debug() {
        let mut s = super::Settings {
            database_url: "postgres://gallra:hunter2@db.example/gallra".into(),
            data_dir: "./data".into(),
            listen: "127.0.0.1:8080".parse().unwrap(),
            policies: None,
            scheduler: false,
            datasource_urls: [("meetings".to_string(), "mysql://u:pw1@h/m".to_string())].into(),
            webhook: webhook(Some("https://h/x".into()), Some("s3cret".into())).unwrap(),
            http: Default::default(),
            datasources: Default::default(),
            cookie_secure: false,
            author: None,
        };
        s.datasources
            .from_env
            .insert(super::datasource_env("x"), "postgres://a:pw2@h/x".into());
        let shown = format!("{s:?}");
        for secret in ["hunter2", "pw1", "pw2", "s3cret"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(
            shown.contains("postgres://gallra:***@db.example/gallra"),
            "{shown}"
        );
    }

    #[test]
    fn a_review_webhook_without_a_secret_is_refused() {
        let url = || Some("http://127.0.0.1:9/hook".to_string());
        let refused = webhook(url(), None).err().unwrap().to_string();
        assert!(refused.contains("GALLRA_WEBHOOK_SECRET"), "{refused}");
        assert!(webhook(url(), Some("  ".into())).is_err());
        assert!(webhook(None, None).unwrap().is_none());
        let set = webhook(url(), Some("s3cret".into())).unwrap().unwrap();
        assert_eq!(set.secret, "s3cret");
    }
}
