//! Integration tests: each test gets its own store (an SQLite file, or a fresh PostgreSQL
//! database when TEST_DATABASE_URL is set), real migrations and a fixed clock.

mod datasources;
mod demo_logs;
mod helpers;

mod auth;
mod breach_recorded;
mod browser;
mod bundle;
mod bundle_archive;
mod csv_formulas;
mod evidence;
mod evidence_writers;
mod exports_register;
mod faults;
mod first_command;
mod go_crosscheck;
mod hostile;
mod http_edge;
mod import;
mod import_web;
mod policies_check;
mod proptests;
mod readme_config;
mod register_api;
mod register_apply;
mod register_asof;
mod retention;
mod retention_cut;
mod retention_dropped;
mod retention_formats;
mod retention_keys;
mod retention_killed;
mod retention_unguarded;
mod reviews;
mod reviews_assignment;
mod scheduler;
mod store_files;
mod tiles;
mod web;
mod web_errors;
mod web_scenario;
