//! Policies as code: the strict file format, loading a folder, and whole-set validation.

pub mod duration;
pub mod ident;
pub mod load;
pub mod reviewer;
pub mod schedule;
pub mod source;
pub mod spec;
mod validate;
mod validate_rules;

pub use load::{load_dir, load_embedded, Located, PolicySet};
pub use source::{PolicyError, PolicyErrors};
