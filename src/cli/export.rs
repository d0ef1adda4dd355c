//! `gallra export register`: the register as of a date, written to a file.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::clock::{Clock, SystemClock};
use crate::export::register::{render, Lang, RegisterFormat};
use crate::register::history::parse_as_of;
use crate::settings::Settings;

#[derive(Debug, Args)]
pub struct RegisterArgs {
    /// csv, html, json or fideslang.
    #[arg(long)]
    format: String,
    /// The instant (RFC 3339) or date (the end of that day, UTC); default now.
    #[arg(long)]
    as_of: Option<String>,
    /// Labels and cell words: sv or en.
    #[arg(long, default_value = "sv")]
    lang: String,
    /// CSV for spreadsheets: `;`-separated, with a UTF-8 BOM.
    #[arg(long)]
    excel: bool,
    /// The file to write (`-`: standard output).
    #[arg(long)]
    out: PathBuf,
}

/// Write the register as of a date.
pub async fn register(args: RegisterArgs) -> anyhow::Result<ExitCode> {
    let format: RegisterFormat = args.format.parse().map_err(anyhow::Error::msg)?;
    let lang: Lang = args.lang.parse().map_err(anyhow::Error::msg)?;
    let as_of = match args.as_of.as_deref() {
        Some(text) => parse_as_of(text).map_err(anyhow::Error::msg)?,
        None => SystemClock.now(),
    };
    // Reading only: no keys are needed, and none are created.
    let settings = Settings::load()?;
    let db = crate::installation::open(&settings.database_url, &settings.data_dir)
        .await?
        .db;
    let bytes = render(&db, format, as_of, lang, args.excel).await?;
    if args.out.as_os_str() == "-" {
        use std::io::Write;
        std::io::stdout().write_all(&bytes)?;
    } else {
        std::fs::write(&args.out, &bytes)
            .map_err(|e| anyhow::anyhow!("writing {}: {e}", args.out.display()))?;
        eprintln!(
            "wrote the register as of {} ({}, {} bytes) to {}",
            as_of.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            format.extension(),
            bytes.len(),
            args.out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
