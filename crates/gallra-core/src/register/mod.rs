//! The register of processing: its vocabulary, versioned entries, and the queries DPOs run.

pub mod apply;
pub mod as_of;
pub mod canonical;
pub mod history;
pub mod integrity;
pub mod listing;
pub mod query;
pub mod record;
mod service_view;
pub mod views;
pub use crate::vocabulary;
