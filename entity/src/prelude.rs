//! Re-exports of every entity under its table name.

pub use super::api_tokens::Entity as ApiTokens;
pub use super::instructions::Entity as Instructions;
pub use super::register_entries::Entity as RegisterEntries;
pub use super::register_versions::Entity as RegisterVersions;
pub use super::rules::Entity as Rules;
pub use super::service_terms::Entity as ServiceTerms;
