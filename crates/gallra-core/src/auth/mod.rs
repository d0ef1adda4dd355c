//! Credentials: API tokens stored as SHA-256 hashes, roles, and the request principal.

mod principal;
mod role;
pub mod session;
pub mod throttle;
pub mod token;

pub use principal::{Denied, Principal};
pub use role::{Permission, Role};
