//! `gallra evidence verify` and `gallra evidence checkpoint`.

use std::process::ExitCode;

use clap::Subcommand;

use crate::clock::{Clock, SystemClock};
use crate::evidence::sign_checkpoint;
use crate::evidence::verify::{verify, VerifyError};
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
        EvidenceCommand::Verify => match verify(&db, &keys).await {
            Ok(s) => {
                println!(
                    "ok: {} entries, {} checkpoints verified with {}",
                    s.entries, s.checkpoints, keys.verifier_key
                );
                if s.queued > 0 {
                    println!(
                        "note: {} committed events are queued, not yet in the tree (the next integration, at the latest a minute after a start, takes them)",
                        s.queued
                    );
                }
                Ok(ExitCode::SUCCESS)
            }
            Err(VerifyError::Bad(what)) => {
                eprintln!("evidence verification failed: {what}");
                Ok(ExitCode::FAILURE)
            }
            Err(e) => Err(e.into()),
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
