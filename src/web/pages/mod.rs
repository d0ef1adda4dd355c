//! The web interface's pages, one module per section.

pub mod labels;
pub mod login;
pub mod overview;
pub mod retention;
pub mod service;
pub mod services;
