//! `gallra token create|revoke|list`.

use std::process::ExitCode;

use clap::Subcommand;

use crate::auth::{token, Role};
use crate::clock::{Clock, SystemClock};
use crate::evidence::Sequencer;
use crate::settings::Settings;

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token and print it, alone, on stdout. It is shown only this once.
    Create {
        /// admin, dpo, auditor, reviewer or operator.
        #[arg(long, value_parser = role)]
        role: Role,
        #[arg(long)]
        name: String,
    },
    /// Revoke a token by id.
    Revoke { id: i32 },
    /// List tokens (never their secrets).
    List,
}

/// A role as the command line names it (`--role dpo`); the domain's `Role` parses it.
fn role(s: &str) -> Result<Role, String> {
    s.parse()
}

pub async fn run(c: TokenCommand) -> anyhow::Result<ExitCode> {
    let settings = Settings::load()?;
    let crate::installation::Store { db, keys, .. } =
        crate::installation::open(&settings.database_url, &settings.data_dir).await?;
    let txn = crate::db::begin_write(&db).await?;
    match c {
        TokenCommand::Create { role, name } => {
            let (view, secret) = token::create(&txn, &name, role, SystemClock.now()).await?;
            eprintln!(
                "created token {} ({}, role {})",
                view.id,
                crate::text::printable(&view.name),
                view.role
            );
            println!("{secret}");
        }
        TokenCommand::Revoke { id } => match token::revoke(&txn, id, SystemClock.now()).await? {
            Some(t) => println!(
                "revoked token {} ({})",
                t.id,
                crate::text::printable(&t.name)
            ),
            None => {
                eprintln!("error: no token with id {id}");
                return Ok(ExitCode::FAILURE);
            }
        },
        TokenCommand::List => {
            for t in token::list(&txn).await? {
                let state = if t.revoked_at.is_some() {
                    "revoked"
                } else {
                    "active"
                };
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    t.id,
                    crate::text::printable(&t.name),
                    t.role,
                    state,
                    t.created_at.to_rfc3339()
                );
            }
        }
    }
    Sequencer::default()
        .commit_and_sign(txn, &db, &keys, SystemClock.now())
        .await?;
    Ok(ExitCode::SUCCESS)
}
