//! `gallra import`: documents in, draft policy files and a report out.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use crate::import::{self, draft::Support, Format, Imported, Options};
use crate::policy::spec::{DatasourcesFile, OrganisationsFile};

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Service descriptions (Inera, section 6) or Danish standard contractual clauses
    /// (Appendices A–C), as .txt, .md or .docx.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// auto, inera or dk-scc.
    #[arg(long, default_value = "auto")]
    pub format: Format,
    /// The processor organisation's id (default: `inera` for Inera documents, else from the document).
    #[arg(long)]
    pub processor: Option<String>,
    /// Where the drafts go; organisations.toml and datasources.toml there get the entries they need.
    #[arg(long, default_value = "./drafts")]
    pub out: PathBuf,
    /// Print the reports as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let opts = Options {
        format: args.format,
        processor: args.processor.clone(),
    };
    let mut ok: Vec<Imported> = Vec::new();
    let mut failed = 0;
    let mut json = Vec::new();
    // Reports are printed once the drafts are written: a reader that stops reading (`| head`)
    // must not stop the writing.
    let mut reports = String::new();
    for path in &args.files {
        let shown = path.display().to_string();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| shown.clone());
        let result = read_bounded(path)
            .map_err(|e| import::ImportError::Unreadable(e.to_string()))
            .and_then(|bytes| import::import(&bytes, &name, &opts));
        match result {
            Ok(imported) => {
                if args.json {
                    json.push(serde_json::json!({ "file": shown, "ok": true, "draft": args.out.join(&imported.file_name), "report": imported.report }));
                } else {
                    reports.push_str(&imported.report.render(&shown));
                }
                ok.push(imported);
            }
            Err(e) => {
                failed += 1;
                eprintln!("{shown}: error: {e}; no draft written");
                json.push(
                    serde_json::json!({ "file": shown, "ok": false, "error": e.to_string() }),
                );
            }
        }
    }
    if !ok.is_empty() {
        write_drafts(&args.out, &ok)?;
    }
    print!("{reports}");
    if args.json {
        println!("{}", serde_json::to_string_pretty(&json)?);
    } else if !ok.is_empty() {
        println!(
            "{} draft(s) written to {}; check them with `gallra policies check {}`",
            ok.len(),
            args.out.display(),
            args.out.display()
        );
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The file's bytes, at most one past the largest document taken (so a huge file is refused as
/// too large without being read whole).
fn read_bounded(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(import::bounded::MAX_DOCUMENT as u64 + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Each `<id>.toml`, and the organisations and placeholder datasources they name that the
/// folder's files lack, appended so the folder passes the check.
fn write_drafts(out: &Path, drafts: &[Imported]) -> anyhow::Result<()> {
    std::fs::create_dir_all(out)?;
    for d in drafts {
        std::fs::write(out.join(&d.file_name), &d.toml)?;
    }
    let orgs = out.join("organisations.toml");
    let known: Vec<String> = read_ids(&orgs, |t| {
        toml::from_str::<OrganisationsFile>(t).map(|f| {
            f.organisations
                .into_iter()
                .map(|o| o.id.into_inner())
                .collect()
        })
    })?;
    append(&orgs, &known, drafts.iter().map(|d| &d.organisation))?;
    let sources = out.join("datasources.toml");
    let known: Vec<String> = read_ids(&sources, |t| {
        toml::from_str::<DatasourcesFile>(t).map(|f| {
            f.datasources
                .into_iter()
                .map(|d| d.id.into_inner())
                .collect()
        })
    })?;
    append(
        &sources,
        &known,
        drafts.iter().filter_map(|d| d.datasource.as_ref()),
    )
}

fn read_ids(
    path: &Path,
    parse: impl Fn(&str) -> Result<Vec<String>, toml::de::Error>,
) -> anyhow::Result<Vec<String>> {
    match std::fs::read_to_string(path) {
        Ok(text) => parse(&text)
            .map_err(|e| anyhow::anyhow!("{}: cannot add drafts' entries: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(anyhow::anyhow!("{}: {e}", path.display())),
    }
}

fn append<'a>(
    path: &Path,
    known: &[String],
    entries: impl Iterator<Item = &'a Support>,
) -> anyhow::Result<()> {
    let mut text = std::fs::read_to_string(path).unwrap_or_default();
    let mut added: Vec<&str> = Vec::new();
    for e in entries {
        if !known.contains(&e.id) && !added.contains(&e.id.as_str()) {
            text.push_str(&e.toml);
            added.push(&e.id);
        }
    }
    if !added.is_empty() {
        std::fs::write(path, text)?;
    }
    Ok(())
}
