//! gallra's benchmarks (`gallra bench …`, BENCHMARKS.md) and the demo's synthetic datasources:
//! a crate of their own, so a deployment's library carries neither. They build whole
//! applications, so they stand above the served edges (`gallra-server`), whose modules and the
//! domain's are re-exported here under their names.

pub mod bench;
pub mod demo_data;

pub use gallra_core::{
    auth, clock, context, crash, datasource, db, detached, digest, error, evidence, export, import,
    installation, key_file, occurrences, pause, policy, register, retention, review, scheduler,
    secrets, settings, text, vocabulary,
};
pub use gallra_server::{app, download, http, serve, telemetry, web};
