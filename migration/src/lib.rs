//! Schema migrations for gallra's own store, the same steps on SQLite and PostgreSQL.

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_register;
mod m20261123_000002_api_tokens;
mod m20261123_000003_evidence;
mod m20261123_000004_retention;
mod m20261123_000005_reviews;
mod m20261123_000006_register_listing;
mod m20261129_000007_evidence_queue;
mod m20261129_000008_work_in_progress;
mod m20261129_000009_installation;
mod m20261203_000010_verifier_key;
mod m20261203_000011_register_evidence_index;
mod m20261203_000012_web_sessions;
mod m20261203_000013_run_journal;
mod m20261203_000014_run_rule_body;
mod m20261204_000015_breach_checks;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_register::Migration),
            Box::new(m20261123_000002_api_tokens::Migration),
            Box::new(m20261123_000003_evidence::Migration),
            Box::new(m20261123_000004_retention::Migration),
            Box::new(m20261123_000005_reviews::Migration),
            Box::new(m20261123_000006_register_listing::Migration),
            Box::new(m20261129_000007_evidence_queue::Migration),
            Box::new(m20261129_000008_work_in_progress::Migration),
            Box::new(m20261129_000009_installation::Migration),
            Box::new(m20261203_000010_verifier_key::Migration),
            Box::new(m20261203_000011_register_evidence_index::Migration),
            Box::new(m20261203_000012_web_sessions::Migration),
            Box::new(m20261203_000013_run_journal::Migration),
            Box::new(m20261203_000014_run_rule_body::Migration),
            Box::new(m20261204_000015_breach_checks::Migration),
        ]
    }
}
