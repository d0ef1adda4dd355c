//! `gallra review list|open|close`.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::Subcommand;

use crate::clock::SystemClock;
use crate::context::open as state;
use crate::review::views::list_campaigns;
use crate::review::{accounts, close::close, open::open, Visible};
use crate::settings::Settings;

#[derive(Debug, Subcommand)]
pub enum ReviewCommand {
    /// Campaigns, newest first, with their state (open, overdue, closed).
    List,
    /// Open a campaign of a review policy now (from its datasource, or from a CSV file).
    Open {
        policy: String,
        /// `key,display,role,last_activity` accounts, for a policy whose source is a CSV.
        #[arg(long)]
        csv: Option<std::path::PathBuf>,
    },
    /// Close a campaign whose items are all decided; `--approve` passes the revocation guard.
    Close {
        campaign: i32,
        #[arg(long)]
        approve: bool,
    },
}

pub async fn run(c: ReviewCommand) -> anyhow::Result<ExitCode> {
    let s = state(&Settings::load()?, Arc::new(SystemClock)).await?;
    match c {
        ReviewCommand::List => {
            // The CLI holds the store's own credentials: it sees what an admin sees.
            for v in list_campaigns(&s.db, &Visible::All, None, s.clock.now()).await? {
                let state = if v.overdue { "OVERDUE" } else { v.status.as_str() };
                println!("{}\t{}\t{}\t{state}\t{} items, {} undecided\tdue {}", v.id, v.policy, v.kind, v.items, v.undecided, v.due_at.to_rfc3339());
            }
        }
        ReviewCommand::Open { policy, csv } => {
            let accounts = csv
                .map(|p| {
                    let file = std::fs::File::open(&p)
                        .with_context(|| format!("cannot read {}", p.display()))?;
                    accounts::from_csv_reader(std::io::BufReader::new(file))
                        .map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))
                })
                .transpose()?;
            let id = open(&s, &policy, None, accounts).await?;
            println!("opened campaign {id} of {policy}");
        }
        ReviewCommand::Close { campaign, approve } => match close(&s, campaign, approve).await {
            Ok(t) => println!("closed campaign {campaign}: {} items, {} kept, {} revoked ({} applied, {} failed), {} unsure", t.items, t.kept, t.revoked, t.revocations_applied, t.revocations_failed, t.unsure),
            Err(e) => {
                eprintln!("error: {e}");
                return Ok(ExitCode::FAILURE);
            }
        },
    }
    Ok(ExitCode::SUCCESS)
}
