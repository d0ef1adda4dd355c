//! The application's shared state, below every edge: the store, the clock, the keys, the
//! datasources, the evidence sequencer. The JSON API, the web UI, the CLI and the scheduler all
//! work through it; it knows none of them.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::clock::Clock;
use crate::datasource::Datasources;
use crate::evidence::{Keys, Sequencer};
use crate::register::listing::Listing;
use crate::secrets::InstallationKey;
use crate::settings::{Settings, Webhook};

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub clock: Arc<dyn Clock>,
    pub keys: Keys,
    /// Groups this process's integrations of queued evidence.
    pub sequencer: Sequencer,
    pub datasources: Datasources,
    pub installation_key: InstallationKey,
    pub webhook: Option<Webhook>,
    /// The register list's snapshot of this store.
    pub listing: Listing,
    /// The log's last full verification (at start, then every 15 minutes while serving).
    pub log_health: crate::evidence::health::Health,
    /// Wrong credentials counted per client address.
    pub throttle: crate::auth::throttle::Throttle,
    /// Proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Arc<[std::net::IpAddr]>,
    /// Cookies marked `Secure` whatever the request says (`GALLRA_COOKIE_SECURE`).
    pub cookie_secure: bool,
    /// Who writes register versions from this process.
    pub author: Option<String>,
}

/// Open the store (migrated, both keys made or checked: [`crate::installation::open`]) and the
/// state around it.
pub async fn open(settings: &Settings, clock: Arc<dyn Clock>) -> anyhow::Result<AppState> {
    let store = crate::installation::open(&settings.database_url, &settings.data_dir).await?;
    Ok(AppState {
        db: store.db,
        clock,
        keys: store.keys,
        datasources: Datasources::new(settings.datasource_urls.clone(), &settings.datasources),
        installation_key: store.installation_key,
        webhook: settings.webhook.clone(),
        listing: Default::default(),
        sequencer: Default::default(),
        log_health: Default::default(),
        throttle: crate::auth::throttle::Throttle::new(settings.http.signin),
        trusted_proxies: settings.http.trusted_proxies.clone().into(),
        cookie_secure: settings.cookie_secure,
        author: settings.author.clone(),
    })
}
