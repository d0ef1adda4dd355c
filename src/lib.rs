//! gallra: a GDPR processor's register of processing that runs the controllers' instructions.
//! This crate holds the edges — the JSON API (`http`), the web interface (`web`), the command
//! line (`cli`) — the server loop, and the composition root (`app`); the domain is the
//! `gallra-core` crate (crates/gallra-core), whose modules are re-exported here under the same
//! names, so `crate::retention` in an edge and `gallra::retention` in a test are the domain's.
//! The domain cannot import an edge: it is another crate, below this one.

pub mod app;
pub mod bench;
pub mod cli;
pub mod demo;
pub mod demo_data;
pub mod download;
pub mod http;
pub mod serve;
pub mod telemetry;
pub mod web;

pub use gallra_core::{
    auth, clock, context, crash, datasource, db, detached, error, evidence, export, import,
    installation, pause, policy, register, retention, review, scheduler, secrets, settings, text,
};
