//! Periodic reviews: campaigns that snapshot accounts, collect keep / revoke / unsure decisions
//! with justifications, run revocations, and close with evidence that holds no names.

pub mod accounts;
pub mod close;
pub mod decide;
pub mod error;
pub mod open;
pub mod policy;
mod revoke;
pub mod views;
pub mod visible;

pub use entity::review_campaigns::CampaignStatus;
pub use error::ReviewError;
pub use views::{CampaignView, ItemView};
pub use visible::Visible;
