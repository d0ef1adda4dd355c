//! Importing processors' documents (Inera service descriptions, section 6; Danish standard
//! contractual clauses, Appendices A–C) as draft policy files that pass `gallra policies check`.

pub mod bounded;
mod dk_scc;
pub mod draft;
mod inera;
mod instructions;
pub mod matching;
mod phrase_text;
mod processing;
pub mod report;
mod sections;
mod subjects;
pub mod text;
pub mod toml_text;
pub mod words;

use serde::Serialize;

pub use report::Report;

/// Which layout to read a document by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// Try Inera's section 6, then the Danish Appendix A.
    #[default]
    Auto,
    Inera,
    DkScc,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "auto" => Ok(Format::Auto),
            "inera" => Ok(Format::Inera),
            "dk-scc" => Ok(Format::DkScc),
            _ => Err(format!(
                "unknown format `{s}`: expected auto, inera or dk-scc"
            )),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub format: Format,
    /// The processor organisation's id; default `inera` for Inera documents, else from the document.
    pub processor: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read the file: {0}")]
    Unreadable(String),
    #[error("the document is encrypted (an OLE compound file, not a zip): save it without a password and import it again")]
    Encrypted,
    #[error("not a readable .docx: {0}")]
    BrokenDocx(String),
    #[error("too large: {0}")]
    TooLarge(String),
    #[error("not UTF-8 text, and not a .docx")]
    NotText,
    #[error("no recognisable section 6 \"Behandling av personuppgifter\" (Inera) or Appendix A \"Oplysninger om behandlingen\" (Danish standard contractual clauses)")]
    NoSection,
    #[error("{0}")]
    Incomplete(String),
    #[error("the draft does not pass the check (a bug in the importer): {0}")]
    Invalid(String),
}

/// A phrase of the document and the line it stands on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Phrase {
    pub text: String,
    pub line: usize,
}

impl Phrase {
    fn of(line: &text::Line) -> Self {
        Phrase {
            text: line.text.trim().to_string(),
            line: line.no,
        }
    }
}

/// A category of data subjects as the document names it, with the data listed under it.
#[derive(Debug, Clone)]
pub struct Category {
    pub label: Phrase,
    pub data: Vec<Phrase>,
}

/// A system or sub-processor the document names.
#[derive(Debug, Clone)]
pub struct System {
    pub name: Phrase,
    pub sub_processor: bool,
    pub purpose: Option<String>,
    pub location: Option<String>,
    pub cvr: Option<String>,
}

/// One instruction with its source clause ("6.2 p.4", "C.4").
#[derive(Debug, Clone)]
pub struct Clause {
    pub source: String,
    pub text: Phrase,
}

/// What a layout reader found, in the document's own words, before matching.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub layout: &'static str,
    pub language: &'static str,
    pub timezone: &'static str,
    pub name: Option<Phrase>,
    pub document: String,
    pub section: String,
    pub processor: Option<(String, String)>,
    pub subject_matter: Vec<Phrase>,
    pub duration: Vec<Phrase>,
    pub nature: Vec<Phrase>,
    pub purposes: Vec<Phrase>,
    pub categories: Vec<Category>,
    /// Data listed once for every category ("för samtliga kategorier", Appendix A.3).
    pub all_data: Vec<Phrase>,
    pub systems: Vec<System>,
    /// Whether the document has a sub-processor section at all (Appendix B).
    pub systems_section: bool,
    pub transfers: Vec<Phrase>,
    pub security: Vec<Phrase>,
    pub instructions: Vec<Clause>,
}

/// A draft policy file with its report.
#[derive(Debug, Clone, Serialize)]
pub struct Imported {
    pub service_id: String,
    /// `<service_id>.toml`
    pub file_name: String,
    pub toml: String,
    /// The `[[organisations]]` entry the draft's processor needs if the folder lacks it.
    pub organisation: draft::Support,
    /// The `[[datasources]]` placeholder its rules name, if it has rules.
    pub datasource: Option<draft::Support>,
    pub report: Report,
}

/// Read one document and draft its policy file, checked as `gallra policies check` would.
pub fn import(bytes: &[u8], file_name: &str, opts: &Options) -> Result<Imported, ImportError> {
    if bytes.len() > bounded::MAX_DOCUMENT {
        return Err(ImportError::TooLarge(format!(
            "the document is over {} MiB",
            bounded::MAX_DOCUMENT / (1024 * 1024)
        )));
    }
    let lines = text::read(bytes, file_name)?;
    let facts = match opts.format {
        Format::Inera => inera::read(&lines),
        Format::DkScc => dk_scc::read(&lines),
        Format::Auto => inera::read(&lines).or_else(|e| match e {
            ImportError::NoSection => dk_scc::read(&lines),
            e => Err(e),
        }),
    }?;
    draft::build(&facts, file_name, opts)
}
