//! gallra's domain: the register of processing and its policies, retention runs, reviews, the
//! evidence log, exports and import, the installation's keys, the datasources and the
//! scheduler's logic. No web, template or command-line crate is a dependency: the edges (the
//! `gallra` crate) stand above it, and it cannot name them.

pub mod auth;
pub mod clock;
pub mod context;
pub mod crash;
pub mod datasource;
pub mod db;
pub mod detached;
pub mod digest;
pub mod error;
pub mod evidence;
pub mod export;
pub mod import;
pub mod installation;
pub mod key_file;
pub mod occurrences;
pub mod pause;
pub mod policy;
pub mod register;
pub mod retention;
pub mod review;
pub mod scheduler;
pub mod secrets;
pub mod settings;
pub mod text;
pub mod vocabulary;
