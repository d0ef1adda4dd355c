//! What the environment says of datasources — the variable that names a datasource's URL,
//! the URLs set at start, the statement timeout — read once by the settings and used by the
//! datasources.

use std::time::Duration;

/// The environment variable that holds a datasource's URL: `meetings` → `GALLRA_DATASOURCE_MEETINGS`.
pub fn datasource_env(id: &str) -> String {
    format!("GALLRA_DATASOURCE_{}", id.to_uppercase().replace('-', "_"))
}

/// The datasources' part of the configuration.
#[derive(Clone, PartialEq, Eq)]
pub struct DatasourceSettings {
    /// `GALLRA_DATASOURCE_<ID>` variables as set at start: variable name → URL.
    pub from_env: std::collections::HashMap<String, String>,
    /// `GALLRA_DATASOURCE_TIMEOUT`.
    pub timeout: std::time::Duration,
}

impl Default for DatasourceSettings {
    fn default() -> Self {
        DatasourceSettings {
            from_env: Default::default(),
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

impl DatasourceSettings {
    pub fn from_env() -> anyhow::Result<Self> {
        let from_env = std::env::vars()
            .filter(|(k, v)| {
                k.starts_with("GALLRA_DATASOURCE_")
                    && k != "GALLRA_DATASOURCE_TIMEOUT"
                    && !v.is_empty()
            })
            .collect();
        let timeout = timeout_from_env().map_err(anyhow::Error::msg)?;
        Ok(DatasourceSettings { from_env, timeout })
    }
}

impl std::fmt::Debug for DatasourceSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatasourceSettings")
            .field("from_env", &self.from_env.keys().collect::<Vec<_>>())
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// How long a statement on a datasource may wait (for a lock, or at all) when
/// `GALLRA_DATASOURCE_TIMEOUT` does not say.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// `GALLRA_DATASOURCE_TIMEOUT`: whole seconds, at least 1.
pub fn timeout_from_env() -> Result<Duration, String> {
    match std::env::var("GALLRA_DATASOURCE_TIMEOUT") {
        Ok(v) if !v.trim().is_empty() => parse_timeout(&v),
        _ => Ok(DEFAULT_TIMEOUT),
    }
}

fn parse_timeout(text: &str) -> Result<Duration, String> {
    match text.trim().parse::<u64>() {
        Ok(s) if (1..=86_400).contains(&s) => Ok(Duration::from_secs(s)),
        _ => Err(format!(
            "GALLRA_DATASOURCE_TIMEOUT: expected whole seconds between 1 and 86400, got `{text}`"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_datasource_timeout_is_whole_seconds() {
        assert_eq!(parse_timeout("5").unwrap(), Duration::from_secs(5));
        assert_eq!(parse_timeout(" 60 ").unwrap(), DEFAULT_TIMEOUT);
        for bad in ["0", "-1", "1.5", "1m", "", "86401"] {
            let e = parse_timeout(bad).unwrap_err();
            assert!(e.contains("GALLRA_DATASOURCE_TIMEOUT"), "{e}");
        }
    }
}
