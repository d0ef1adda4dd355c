//! gallra's served edges: the JSON API (`http`), the web interface (`web`), the bounded server
//! loop (`serve`), logging (`telemetry`), and the composition root (`app`) that builds an
//! application from settings. The domain (`gallra-core`) is re-exported under its modules'
//! names, so an edge writes `crate::retention`; it cannot import these edges back.

pub mod app;
pub mod download;
pub mod http;
pub mod serve;
pub mod telemetry;
pub mod web;

pub use gallra_core::{
    auth, clock, context, crash, datasource, db, detached, digest, error, evidence, export, import,
    installation, key_file, occurrences, pause, policy, register, retention, review, scheduler,
    secrets, settings, text, vocabulary,
};
