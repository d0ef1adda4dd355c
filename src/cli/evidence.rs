//! `gallra evidence verify` and `gallra evidence checkpoint`.

use std::process::ExitCode;

use clap::Subcommand;

use crate::clock::{Clock, SystemClock};
use crate::evidence::verify::{verify, VerifyError};
use crate::evidence::{sign_checkpoint, Keys};
use crate::register::integrity::{self, IntegrityError, IntegritySummary};
use crate::settings::Settings;

#[derive(Debug, Subcommand)]
pub enum EvidenceCommand {
    /// Recompute the log, check every checkpoint; exit 0, or exit 1 naming the first bad entry.
    Verify,
    /// Sign a checkpoint now if the log grew since the last one, and print the latest.
    Checkpoint,
    /// Print the verifier key (note form).
    Key,
}

pub async fn run(c: EvidenceCommand) -> anyhow::Result<ExitCode> {
    let settings = Settings::load()?;
    let crate::installation::Store { db, keys, .. } =
        crate::installation::open(&settings.database_url, &settings.data_dir).await?;
    match c {
        EvidenceCommand::Verify => match verify_all(&db, &keys).await {
            Ok((s, register)) => {
                println!(
                    "ok: {} entries, {} checkpoints verified with {}; {} register versions match their entries",
                    s.entries, s.checkpoints, keys.verifier_key, register.versions
                );
                if s.queued > 0 {
                    println!(
                        "note: {} committed events are queued, not yet in the tree (the next integration, at the latest a minute after a start, takes them)",
                        s.queued
                    );
                }
                Ok(ExitCode::SUCCESS)
            }
            Err(Failed::Bad(what)) => {
                eprintln!("evidence verification failed: {what}");
                Ok(ExitCode::FAILURE)
            }
            Err(Failed::Other(e)) => Err(e),
        },
        EvidenceCommand::Checkpoint => {
            sign_checkpoint(&db, &keys, SystemClock.now()).await?;
            match crate::evidence::latest_checkpoint(&db).await? {
                Some(c) => print!("{}", c.note),
                None => println!("the log is empty: nothing to sign"),
            }
            Ok(ExitCode::SUCCESS)
        }
        EvidenceCommand::Key => {
            println!("{}", keys.verifier_key);
            Ok(ExitCode::SUCCESS)
        }
    }
}

enum Failed {
    /// The log, or the register against it, does not match: names the first bad thing.
    Bad(String),
    Other(anyhow::Error),
}

/// The log first (its entries are then what was appended), then the register against it: a
/// register row changed in the store is caught even though the log itself is intact.
async fn verify_all(
    db: &sea_orm::DatabaseConnection,
    keys: &Keys,
) -> Result<(crate::evidence::verify::Summary, IntegritySummary), Failed> {
    let log = verify(db, keys).await.map_err(|e| match e {
        VerifyError::Bad(what) => Failed::Bad(what),
        e => Failed::Other(e.into()),
    })?;
    let register = integrity::check(db).await.map_err(|e| match e {
        IntegrityError::Bad(what) => Failed::Bad(what),
        e => Failed::Other(e.into()),
    })?;
    Ok((log, register))
}
