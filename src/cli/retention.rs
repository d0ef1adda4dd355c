//! `gallra purge` and `gallra retention breaches|runs|approve|hold|lift`.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use crate::clock::SystemClock;
use crate::context::open as state;
use crate::retention::holds::{self, NewHold};
use crate::retention::{approval, breach, rule, run_rule, Outcome, RunOptions, RunReport};
use crate::settings::Settings;

#[derive(Debug, Args)]
pub struct PurgeArgs {
    /// The retention rule's id.
    pub rule: String,
    /// Report what a run would do; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Print the run report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Rows per batch at most (tests: several batches from few rows).
    #[arg(long, hide = true)]
    pub batch: Option<u64>,
}

#[derive(Debug, Subcommand)]
pub enum RetentionCommand {
    /// Per rule: the oldest record against keep_for; exit 1 if any rule is over age.
    Breaches,
    /// Approve a run a guard stopped; it runs now.
    Approve {
        run: i32,
        #[arg(long)]
        reason: String,
    },
    /// Place a legal hold on a rule (every row, or the given keys).
    Hold {
        rule: String,
        #[arg(long)]
        reason: String,
        #[arg(long = "key")]
        keys: Vec<String>,
    },
    /// Lift a legal hold.
    Lift { hold: i32 },
}

fn who(s: &crate::context::AppState) -> String {
    format!("{} (command line)", crate::app::whoami(s.author.as_deref()))
}

pub async fn purge(args: PurgeArgs) -> anyhow::Result<ExitCode> {
    let s = state(&Settings::load()?, Arc::new(SystemClock)).await?;
    let bar = if std::io::stderr().is_terminal() && !args.json {
        let b = ProgressBar::new_spinner();
        b.set_style(ProgressStyle::with_template("{spinner} {msg} {pos} rows")?);
        b.set_message(format!("purging {}", args.rule));
        Some(b)
    } else {
        None
    };
    let mut opts = RunOptions::manual(args.dry_run);
    opts.batch = args.batch.unwrap_or(opts.batch).max(1);
    let report = run_rule(&s, &args.rule, opts, |n| {
        if let Some(b) = &bar {
            b.inc(n);
        }
    })
    .await?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    print_report(&report, args.json)?;
    Ok(exit_code(&report))
}

/// Success for a run that did what it was for (or a dry run); failure otherwise, so a script
/// or a cron job sees it.
fn exit_code(report: &RunReport) -> ExitCode {
    match report.outcome {
        Outcome::Succeeded | Outcome::DryRun => ExitCode::SUCCESS,
        _ => ExitCode::FAILURE,
    }
}

fn print_report(r: &RunReport, json: bool) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(r)?);
        return Ok(());
    }
    println!("run {} of {}: {}", r.run_id, r.rule, r.outcome.as_str());
    if r.outcome == Outcome::Interrupted {
        // Settled from its journal: what its batches changed is known, nothing else.
        println!(
            "  cutoff {}; {} affected by its committed batches; the rows over age were not \
             counted and the post-condition not checked",
            r.cutoff.to_rfc3339(),
            r.counts.affected
        );
    } else {
        println!(
            "  cutoff {}; {}{} over age, {} held, {} {}",
            r.cutoff.to_rfc3339(),
            r.counts
                .table_rows
                .map_or(String::new(), |n| format!("{n} rows, ")),
            r.counts.matched,
            r.counts.held,
            r.counts.affected,
            if r.dry_run {
                "would be affected"
            } else {
                "affected"
            }
        );
    }
    if let Some(rem) = r.remaining_over_age {
        println!(
            "  post-condition: {rem} rows over age outside holds; oldest remaining {}",
            r.oldest_remaining.map_or("-".into(), |t| t.to_rfc3339())
        );
    }
    if let Some(e) = &r.error {
        println!("  {e}");
    }
    if let Some(i) = r.evidence_index {
        println!("  evidence entry {i}");
    }
    Ok(())
}

pub async fn run(c: RetentionCommand) -> anyhow::Result<ExitCode> {
    let s = state(&Settings::load()?, Arc::new(SystemClock)).await?;
    let now = s.clock.now();
    match c {
        RetentionCommand::Breaches => {
            let mut over = false;
            for r in rule::list(&s.db).await? {
                let b = breach::check(&s, &r).await;
                let status = match (b.compliant, &b.error) {
                    (Some(true), _) => "compliant".to_string(),
                    (Some(false), _) => {
                        format!("BREACH: {} rows over age", b.over_age.unwrap_or(0))
                    }
                    (None, Some(e)) => format!("unchecked: {e}"),
                    (None, None) => "unchecked".to_string(),
                };
                over |= b.compliant == Some(false);
                println!(
                    "{}\tkeep {}\toldest {}\t{status}",
                    b.rule,
                    b.keep_for,
                    b.oldest.map_or("-".into(), |t| t.to_rfc3339())
                );
            }
            Ok(if over {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        RetentionCommand::Approve { run, reason } => {
            let report = approval::approve(&s, run, 0, &who(&s), &reason).await?;
            print_report(&report, false)?;
            Ok(exit_code(&report))
        }
        RetentionCommand::Hold {
            rule: id,
            reason,
            keys,
        } => {
            anyhow::ensure!(
                rule::load(&s.db, &id).await?.is_some(),
                "no retention rule `{id}`"
            );
            let txn = crate::db::begin_write(&s.db).await?;
            let hold = NewHold {
                keys: (!keys.is_empty()).then_some(keys),
                reason,
            };
            let h = holds::place(&txn, &id, &hold, &who(&s), now).await?;
            s.sequencer
                .commit_and_sign(txn, &s.db, &s.keys, now)
                .await?;
            println!("placed legal hold {} on {}", h.id, h.rule);
            Ok(ExitCode::SUCCESS)
        }
        RetentionCommand::Lift { hold } => {
            let txn = crate::db::begin_write(&s.db).await?;
            let lifted = holds::lift(&txn, hold, &who(&s), now).await?;
            s.sequencer
                .commit_and_sign(txn, &s.db, &s.keys, now)
                .await?;
            match lifted {
                Some(h) => println!("lifted legal hold {} on {}", h.id, h.rule),
                None => anyhow::bail!("no legal hold {hold}"),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
