//! gallra: a GDPR processor's register of processing that runs the controllers' instructions.

pub mod app;
pub mod auth;
pub mod bench;
pub mod cli;
pub mod clock;
pub mod context;
pub mod datasource;
pub mod db;
pub mod demo;
pub mod demo_data;
pub mod evidence;
pub mod export;
pub mod http;
pub mod import;
pub mod installation;
pub mod pause;
pub mod policy;
pub mod register;
pub mod retention;
pub mod review;
pub mod scheduler;
pub mod secrets;
pub mod settings;
pub mod telemetry;
pub mod web;
