//! Policies as code: the strict file format, loading a folder, and whole-set validation.

pub mod duration;
pub mod ident;
mod known;
pub mod load;
pub mod reviewer;
pub mod schedule;
mod set;
pub mod source;
pub mod spec;
mod spec_review;
mod validate;
mod validate_rules;

pub use load::{load_dir, load_embedded};
pub use set::{Located, PolicySet};
pub use source::{PolicyError, PolicyErrors};
