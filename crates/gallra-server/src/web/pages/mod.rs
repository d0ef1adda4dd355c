//! The web interface's pages, one module per section.

pub mod evidence;
pub mod exports;
pub mod import;
pub mod labels;
pub mod login;
pub mod overview;
pub mod retention;
pub mod reviews;
pub mod service;
pub mod services;
