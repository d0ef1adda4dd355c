//! gallra: a GDPR processor's register of processing that runs the controllers' instructions.
//! This crate is the command line (`cli`, and the `gallra` binary in `src/main.rs`) and the
//! demo (`demo`); it re-exports the workspace's crates under their modules' names, so a test
//! writes `gallra::retention` or `gallra::app`:
//! - `gallra-core` (crates/gallra-core): the domain, with no web, template or CLI crate;
//! - `gallra-server` (crates/gallra-server): the JSON API, the web interface, the server loop
//!   and the composition root;
//! - `gallra-bench` (crates/gallra-bench): the benchmarks and the demo's synthetic data.
//!
//! Each crate stands above the ones it uses and cannot name those above it.

pub mod cli;
pub mod demo;

pub use gallra_bench::{bench, demo_data};
pub use gallra_core::{
    auth, clock, context, crash, datasource, db, detached, digest, error, evidence, export, import,
    installation, key_file, occurrences, pause, policy, register, retention, review, scheduler,
    secrets, settings, text, vocabulary,
};
pub use gallra_server::{app, download, http, serve, telemetry, web};
