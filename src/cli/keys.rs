//! `gallra keys`: the installation's two keys as the store records them, and the recovery of a
//! store whose key is lost for good.

use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::clock::{Clock, SystemClock};
use crate::installation::rekey::{rekey, Which};
use crate::settings::Settings;

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// The key files in use, the installation key's fingerprint and the verifier key the store
    /// records, and every replacement the log holds.
    Show,
    /// Replace a key that is lost for good (its file is gone and no copy exists): a new key is
    /// made and recorded, and the replacement is an evidence entry. Stop every replica first.
    Rekey(RekeyArgs),
}

#[derive(Debug, Args)]
pub struct RekeyArgs {
    /// Replace the installation key (keyed hashes made before no longer match new ones).
    #[arg(long)]
    pub installation: bool,
    /// Replace the evidence signing key (checkpoints signed before verify with the old key).
    #[arg(long)]
    pub evidence: bool,
    /// Why (kept as its SHA-256 in the evidence entry).
    #[arg(long)]
    pub reason: String,
}

pub async fn run(c: KeysCommand) -> anyhow::Result<ExitCode> {
    let settings = Settings::load()?;
    match c {
        KeysCommand::Show => {
            let store =
                crate::installation::open(&settings.database_url, &settings.data_dir).await?;
            println!(
                "installation key fingerprint: {}",
                store.installation_key.fingerprint()
            );
            println!("evidence verifier key:        {}", store.keys.verifier_key);
            for r in crate::evidence::replacements(&store.db).await? {
                println!(
                    "replaced {} at evidence entry {}: {} -> {}",
                    r.key, r.index, r.old, r.new
                );
            }
        }
        KeysCommand::Rekey(a) => {
            // Not through `installation::open`: that refuses the very store this repairs.
            let db = crate::db::connect(&settings.database_url).await?;
            let which = Which {
                installation: a.installation,
                evidence: a.evidence,
            };
            for r in rekey(&db, &settings.data_dir, which, &a.reason, SystemClock.now()).await? {
                println!(
                    "replaced the {} key: {} -> {} (evidence entry {})",
                    r.key,
                    r.old,
                    r.new,
                    r.evidence_index.map_or("-".into(), |i| i.to_string())
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
