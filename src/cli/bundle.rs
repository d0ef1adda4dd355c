//! `gallra export bundle` (and its alias `gallra export --out`) and `gallra verify-bundle`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};

use crate::clock::{Clock, SystemClock};
use crate::export::bundle::{self, parse_from, parse_to, BundleError, Period};
use crate::settings::Settings;

/// `gallra export`: a subcommand, or the bundle's own flags (the alias docs/operations.md lists).
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct ExportArgs {
    #[command(subcommand)]
    pub command: Option<ExportCommand>,
    #[command(flatten)]
    pub bundle: BundleArgs,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// The audit bundle of a period: register, versions, runs, reviews and their evidence.
    Bundle(BundleArgs),
    /// The register as of a date: csv (Art. 30(2)), html (printable), json, or fideslang (YAML).
    Register(super::export::RegisterArgs),
}

#[derive(Debug, Clone, Args)]
pub struct BundleArgs {
    /// The zip to write.
    #[arg(long, required = true)]
    pub out: Option<PathBuf>,
    /// First day (YYYY-MM-DD, UTC) or instant (RFC 3339) of the period; default: the log's start.
    #[arg(long, value_parser = parse_from)]
    pub from: Option<DateTime<Utc>>,
    /// Last day (YYYY-MM-DD, UTC, included) or instant (RFC 3339, excluded); default: now.
    #[arg(long, value_parser = parse_to)]
    pub to: Option<DateTime<Utc>>,
}

#[derive(Debug, Args)]
pub struct VerifyBundleArgs {
    /// The bundle (zip).
    pub file: PathBuf,
    /// The log's verifier key as published out of band: the key itself, or a file holding it.
    #[arg(long)]
    pub key: Option<String>,
}

pub async fn run_export(args: ExportArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        Some(ExportCommand::Bundle(b)) => export_bundle(b).await,
        Some(ExportCommand::Register(r)) => super::export::register(r).await,
        None => export_bundle(args.bundle).await,
    }
}

/// Write the bundle next to `--out`, then move it there: no half-written bundle at that path.
pub async fn export_bundle(args: BundleArgs) -> anyhow::Result<ExitCode> {
    let out = args
        .out
        .ok_or_else(|| anyhow::anyhow!("--out is required"))?;
    let settings = Settings::load()?;
    let crate::installation::Store { db, keys, .. } =
        crate::installation::open(&settings.database_url, &settings.data_dir).await?;
    let period = Period {
        from: args.from,
        to: args.to,
    };
    let partial = out.with_extension("zip.partial");
    let file = std::fs::File::create(&partial)?;
    let result = bundle::export(
        &db,
        &keys,
        period,
        SystemClock.now(),
        std::io::BufWriter::new(file),
    )
    .await;
    let (w, plan, written) = match result {
        Ok(done) => done,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            if let bundle::ExportError::Input(m) = e {
                eprintln!("export failed: {m}");
                return Ok(ExitCode::FAILURE);
            }
            return Err(e.into());
        }
    };
    w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    std::fs::rename(&partial, &out)?;
    println!(
        "wrote {}: entries {} of the period ({} in the bundle), checkpoint of tree size {}, {} files",
        out.display(), crate::export::bundle::manifest::span_text(plan.span), written.entries, plan.tree_size, written.files
    );
    Ok(ExitCode::SUCCESS)
}

/// The key given: a file holding it, or the key itself.
fn key_from(arg: &str) -> std::io::Result<String> {
    let path = Path::new(arg);
    if !arg.contains('+') && path.exists() {
        return Ok(std::fs::read_to_string(path)?.trim().to_owned());
    }
    Ok(arg.trim().to_owned())
}

/// Exit 0 with one line; 1 naming the first bad file, row or entry; 2 without a key.
pub fn verify_bundle(args: VerifyBundleArgs) -> ExitCode {
    let Some(key) = args.key else {
        eprintln!(
            "verify-bundle: --key is required: give the log's verifier key as published out of band \
             (the key or a file holding it). The bundle's own `verifier-key` proves nothing: anyone \
             who changed the bundle could have changed it too."
        );
        return ExitCode::from(2);
    };
    let checked = key_from(&key)
        .map_err(|e| BundleError::Key(format!("{key}: {e}")))
        .and_then(|key| {
            let file = std::fs::File::open(&args.file)
                .map_err(|e| BundleError::Unreadable(format!("{}: {e}", args.file.display())))?;
            let files = bundle::read_zip_signed(std::io::BufReader::new(file), &key)?;
            bundle::verify(&files, &key)
        });
    match checked {
        Ok(v) => {
            println!("{}: {v}", args.file.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}: verification failed: {e}", args.file.display());
            ExitCode::FAILURE
        }
    }
}
