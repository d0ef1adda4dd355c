//! sea-orm entities for gallra's store, in generated style: data only, no logic.

pub mod api_tokens;
pub mod breach_checks;
pub mod evidence_checkpoints;
pub mod evidence_entries;
pub mod evidence_hashes;
pub mod evidence_queue;
pub mod instructions;
pub mod legal_holds;
pub mod login_links;
pub mod prelude;
pub mod register_entries;
pub mod register_versions;
pub mod retention_runs;
pub mod review_campaigns;
pub mod review_items;
pub mod rules;
pub mod run_journal;
pub mod service_terms;
pub mod web_sessions;
