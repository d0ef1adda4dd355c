//! `gallra policies check` and `gallra apply`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::app::{apply_dir, whoami, InvalidPolicies};
use crate::clock::{Clock, SystemClock};
use crate::policy::{self, PolicyErrors};
use crate::register::apply::Author;
use crate::settings::Settings;

#[derive(Debug, Subcommand)]
pub enum PoliciesCommand {
    /// Exit 0 if the whole set is valid; else print `path:line:column: message` lines and exit 1.
    Check {
        dir: Option<PathBuf>,
        /// Also connect to every configured datasource and check each rule's table and columns.
        #[arg(long)]
        datasources: bool,
    },
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// The policy folder (default: GALLRA_POLICIES or ./policies).
    pub dir: Option<PathBuf>,
    /// Who is applying (default: GALLRA_AUTHOR or USER).
    #[arg(long)]
    pub author: Option<String>,
    /// Why; recorded on every new version.
    #[arg(long, default_value = "gallra apply")]
    pub reason: String,
    /// Print the change report as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn print_errors(errors: &PolicyErrors) -> ExitCode {
    for e in &errors.0 {
        eprintln!("{e}");
    }
    eprintln!("{} error(s); nothing was applied", errors.0.len());
    ExitCode::FAILURE
}

pub async fn run(c: PoliciesCommand) -> ExitCode {
    match c {
        PoliciesCommand::Check { dir, datasources } => {
            let dir = match super::policy_dir(dir) {
                Ok(d) => d,
                Err(e) => {
                    eprintln!("error: {e:#}");
                    return ExitCode::FAILURE;
                }
            };
            match policy::load_dir(&dir) {
                Ok(set) if datasources => {
                    let errors = match check_datasources(&set).await {
                        Ok(errors) => errors,
                        Err(e) => {
                            eprintln!("error: {e:#}");
                            return ExitCode::FAILURE;
                        }
                    };
                    for e in &errors {
                        eprintln!("{e}");
                    }
                    if errors.is_empty() {
                        println!(
                            "{}: valid; every rule's datasource, table and columns exist",
                            dir.display()
                        );
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::FAILURE
                    }
                }
                Ok(set) => {
                    println!(
                        "{}: {} services, {} organisations, {} datasources: valid",
                        dir.display(),
                        set.services.len(),
                        set.organisations.len(),
                        set.datasources.len()
                    );
                    ExitCode::SUCCESS
                }
                Err(errors) => {
                    for e in &errors.0 {
                        eprintln!("{e}");
                    }
                    ExitCode::FAILURE
                }
            }
        }
    }
}

pub async fn apply(args: ApplyArgs) -> anyhow::Result<ExitCode> {
    let settings = Settings::load()?;
    let dir = super::policy_dir(args.dir)?;
    let store = crate::installation::open(&settings.database_url, &settings.data_dir).await?;
    let author = Author {
        name: args
            .author
            .unwrap_or_else(|| whoami(settings.author.as_deref())),
        reason: args.reason,
    };
    let report = match apply_dir(&store.db, &store.keys, &dir, &author, SystemClock.now()).await {
        Ok(r) => r,
        Err(e) => {
            return match e.downcast::<InvalidPolicies>() {
                Ok(InvalidPolicies(errors)) => Ok(print_errors(&errors)),
                Err(e) => Err(e),
            }
        }
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        for c in &report.changes {
            println!(
                "{:?} {} {} -> version {} ({})",
                c.change,
                c.kind,
                c.key,
                c.version,
                &c.content_hash[..12]
            );
        }
        println!(
            "{} changed, {} unchanged",
            report.changes.len(),
            report.unchanged
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Each retention rule against its datasource: URL set, server reachable, table and columns there.
async fn check_datasources(set: &policy::PolicySet) -> anyhow::Result<Vec<policy::PolicyError>> {
    let settings = Settings::load()?;
    let sources =
        crate::datasource::Datasources::new(settings.datasource_urls, &settings.datasources);
    let mut errors = Vec::new();
    for s in &set.services {
        let file = set.file(s.file);
        for rule in &s.item.retention {
            let at = &rule.datasource;
            let problem = match sources.get(at.get_ref()).await {
                Err(e) => Some(e.to_string()),
                Ok(db) => crate::retention::check_schema(&db, rule).await.err(),
            };
            if let Some(p) = problem {
                errors.push(file.error(at.span(), format!("rule `{}`: {p}", rule.id.get_ref())));
            }
        }
    }
    Ok(errors)
}
