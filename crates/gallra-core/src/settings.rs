//! Configuration from the environment (CONTRACT), optionally from `gallra.toml` beneath it.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use serde::Deserialize;

pub use crate::datasource::env::datasource_env;

#[derive(Debug, Clone)]
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

#[derive(Debug, Clone)]
pub struct Webhook {
    pub url: String,
    pub secret: String,
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
        crate::datasource::timeout_from_env().map_err(anyhow::Error::msg)?;
        Ok(Settings {
            database_url,
            data_dir,
            listen,
            policies: Some(policies),
            scheduler,
            datasource_urls: Default::default(),
            webhook: webhook(env("GALLRA_REVIEW_WEBHOOK"), env("GALLRA_WEBHOOK_SECRET"))?,
            http: HttpLimits::from_env(env)?,
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
