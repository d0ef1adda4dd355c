//! The command line (docs/operations.md lists every command): each subcommand parses, calls the library, prints.

pub mod bundle;
mod evidence;
mod export;
mod import;
mod keys;
mod policies;
mod retention;
mod reviews;
mod tokens;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};

use crate::app::{shutdown_signal, Application, InvalidPolicies};
use crate::clock::SystemClock;
use crate::settings::Settings;

#[derive(Debug, Parser)]
#[command(
    name = "gallra",
    version,
    about = "A GDPR processor's register of processing that runs the controllers' instructions and proves it"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate, apply the policies, and serve the API.
    Serve,
    /// Serve a fresh demo: embedded seed services on SQLite, and a login token.
    Demo(crate::demo::DemoArgs),
    /// Bring the store's schema up to date.
    Migrate,
    /// Validate a policy folder and sync it into the register as new versions.
    Apply(policies::ApplyArgs),
    /// Policy tools.
    #[command(subcommand)]
    Policies(policies::PoliciesCommand),
    /// Run one retention rule now.
    Purge(retention::PurgeArgs),
    /// Retention: breaches, approvals, legal holds.
    #[command(subcommand)]
    Retention(retention::RetentionCommand),
    /// Review campaigns.
    #[command(subcommand)]
    Review(reviews::ReviewCommand),
    /// API tokens.
    #[command(subcommand)]
    Token(tokens::TokenCommand),
    /// The evidence log.
    #[command(subcommand)]
    Evidence(evidence::EvidenceCommand),
    /// The installation's keys: show them, or replace one lost for good.
    #[command(subcommand)]
    Keys(keys::KeysCommand),
    /// Exports: the audit bundle (`gallra export bundle --out F`, or `gallra export --out F`) and the register as of a date (`gallra export register`).
    Export(bundle::ExportArgs),
    /// Check an audit bundle offline against the log's published verifier key.
    VerifyBundle(bundle::VerifyBundleArgs),
    /// Benchmarks (run from a release build).
    #[command(subcommand, hide = true)]
    Bench(crate::bench::BenchCommand),
    /// Draft policy files from service descriptions (Inera section 6) and Danish standard
    /// contractual clauses (Appendices A–C): .txt, .md or .docx.
    Import(import::ImportArgs),
    /// Print the built-in vocabularies (data types, data-subject categories).
    Vocabulary,
}

impl Command {
    /// The log level when `RUST_LOG` is unset: the demo's screen is for its summary (warnings
    /// and errors only); everything else, `serve`'s request logs included, logs at `info`.
    pub fn default_log_level(&self) -> &'static str {
        match self {
            Command::Demo(_) => "warn",
            _ => "info",
        }
    }
}

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve => {
            let settings = Settings::load()?;
            match Application::build(&settings, Arc::new(SystemClock)).await {
                Ok(app) => app
                    .run_until_stopped(shutdown_signal())
                    .await
                    .map(|_| ExitCode::SUCCESS),
                Err(e) => match e.downcast::<InvalidPolicies>() {
                    Ok(InvalidPolicies(errors)) => Ok(policies::print_errors(&errors)),
                    Err(e) => Err(e),
                },
            }
        }
        Command::Demo(args) => crate::demo::run(args).await.map(|_| ExitCode::SUCCESS),
        Command::Migrate => {
            let settings = Settings::load()?;
            crate::installation::open(&settings.database_url, &settings.data_dir).await?;
            println!("store is up to date");
            Ok(ExitCode::SUCCESS)
        }
        Command::Apply(args) => policies::apply(args).await,
        Command::Policies(c) => Ok(policies::run(c).await),
        Command::Token(c) => tokens::run(c).await,
        Command::Purge(a) => retention::purge(a).await,
        Command::Retention(c) => retention::run(c).await,
        Command::Review(c) => reviews::run(c).await,
        Command::Evidence(c) => evidence::run(c).await,
        Command::Keys(c) => keys::run(c).await,
        Command::Export(a) => bundle::run_export(a).await,
        Command::VerifyBundle(a) => Ok(bundle::verify_bundle(a)),
        Command::Bench(c) => crate::bench::run(c).await.map(|_| ExitCode::SUCCESS),
        Command::Import(a) => import::run(a),
        Command::Vocabulary => {
            print_vocabulary();
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn print_vocabulary() {
    use crate::register::vocabulary::{DATA_TYPES, SUBJECT_CATEGORIES};
    println!("personal-data types (id, Art. 9/10, fideslang, label):");
    for d in DATA_TYPES {
        println!(
            "  {:<24} {:<12} {:<52} {}",
            d.id,
            format!("{:?}", d.special).to_lowercase(),
            d.fideslang,
            d.label_en
        );
    }
    println!("data-subject categories (id, fideslang, label):");
    for s in SUBJECT_CATEGORIES {
        println!("  {:<24} {:<16} {}", s.id, s.fideslang, s.label_en);
    }
}

/// The policy folder given on the command line, else the configured one.
fn policy_dir(dir: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    match dir {
        Some(d) => Ok(d),
        None => Ok(Settings::load()?
            .policies
            .unwrap_or_else(|| "./policies".into())),
    }
}
