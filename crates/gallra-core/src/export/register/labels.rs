//! The words of the exports in Swedish and English: headings, field names, and the labels of
//! vocabulary ids (data types, data subjects, Art. 4(2) operations, durations, safeguards).

use std::str::FromStr;

use crate::policy::spec::{DurationKind, Safeguard, SubProcessorKind};
use crate::register::vocabulary;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Sv,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }
}

impl FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "sv" => Ok(Lang::Sv),
            "en" => Ok(Lang::En),
            _ => Err(format!("lang must be sv or en, not `{s}`")),
        }
    }
}

/// Field names and headings of one language.
pub(super) struct Labels {
    pub title: &'static str,
    pub as_of: &'static str,
    pub contents: &'static str,
    pub services: &'static str,
    pub service_id: &'static str,
    pub version: &'static str,
    pub content_hash: &'static str,
    pub evidence_index: &'static str,
    pub source: &'static str,
    pub processor: &'static str,
    pub name: &'static str,
    pub contact: &'static str,
    pub representative: &'static str,
    pub dpo: &'static str,
    pub controllers: &'static str,
    pub categories: &'static str,
    pub processing: &'static str,
    pub subject_matter: &'static str,
    pub duration: &'static str,
    pub nature: &'static str,
    pub purposes: &'static str,
    pub subjects: &'static str,
    pub subject: &'static str,
    pub personal_data: &'static str,
    pub special: &'static str,
    pub sub_processors: &'static str,
    pub transfers: &'static str,
    pub security: &'static str,
    pub instructions: &'static str,
    pub clause: &'static str,
    pub instruction: &'static str,
    pub enforcement: &'static str,
    pub manual: &'static str,
    pub none: &'static str,
    pub not_stated: &'static str,
    pub unknown_index: &'static str,
}

const SV: Labels = Labels {
    title: "Förteckning över behandling som utförs på uppdrag av personuppgiftsansvariga (artikel 30.2 GDPR)",
    as_of: "Registret per",
    contents: "Innehåll",
    services: "tjänster",
    service_id: "Tjänst-id",
    version: "Version",
    content_hash: "Innehållshash (SHA-256)",
    evidence_index: "Bevisindex",
    source: "Källdokument",
    processor: "Personuppgiftsbiträde",
    name: "Namn",
    contact: "Kontaktuppgifter",
    representative: "Företrädare",
    dpo: "Dataskyddsombud",
    controllers: "Personuppgiftsansvariga och kategorier av behandling (art. 30.2 a–b)",
    categories: "Kategorier av behandling",
    processing: "Behandlingen (art. 28.3)",
    subject_matter: "Föremål",
    duration: "Varaktighet",
    nature: "Art",
    purposes: "Ändamål",
    subjects: "Registrerade och personuppgifter",
    subject: "Registrerade",
    personal_data: "Personuppgifter",
    special: "Känsliga personuppgifter (art. 9–10)",
    sub_processors: "Underbiträden och system",
    transfers: "Överföringar till tredjeland (art. 30.2 c)",
    security: "Tekniska och organisatoriska säkerhetsåtgärder (art. 30.2 d, 32)",
    instructions: "Instruktioner och hur de verkställs",
    clause: "Punkt",
    instruction: "Instruktion",
    enforcement: "Verkställs av",
    manual: "manuellt",
    none: "inga",
    not_stated: "ej angivet i källan",
    unknown_index: "ännu inte i loggen",
};

const EN: Labels = Labels {
    title: "Record of processing carried out on behalf of controllers (GDPR Article 30(2))",
    as_of: "The register as of",
    contents: "Contents",
    services: "services",
    service_id: "Service id",
    version: "Version",
    content_hash: "Content hash (SHA-256)",
    evidence_index: "Evidence index",
    source: "Source document",
    processor: "Processor",
    name: "Name",
    contact: "Contact details",
    representative: "Representative",
    dpo: "Data protection officer",
    controllers: "Controllers and categories of processing (Art. 30(2)(a)–(b))",
    categories: "Categories of processing",
    processing: "The processing (Art. 28(3))",
    subject_matter: "Subject matter",
    duration: "Duration",
    nature: "Nature",
    purposes: "Purposes",
    subjects: "Data subjects and personal data",
    subject: "Data subjects",
    personal_data: "Personal data",
    special: "Special categories (Art. 9–10)",
    sub_processors: "Sub-processors and systems",
    transfers: "Transfers to third countries (Art. 30(2)(c))",
    security: "Technical and organisational security measures (Art. 30(2)(d), 32)",
    instructions: "Instructions and how they are carried out",
    clause: "Clause",
    instruction: "Instruction",
    enforcement: "Carried out by",
    manual: "manually",
    none: "none",
    not_stated: "not stated in the source",
    unknown_index: "not yet in the log",
};

pub(super) fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::Sv => &SV,
        Lang::En => &EN,
    }
}

pub(super) fn data_type(lang: Lang, id: &str) -> String {
    vocabulary::data_type(id).map_or_else(
        || id.to_owned(),
        |d| pick(lang, d.label_sv, d.label_en).to_owned(),
    )
}

pub(super) fn subject(lang: Lang, id: &str) -> String {
    vocabulary::subject_category(id).map_or_else(
        || id.to_owned(),
        |s| pick(lang, s.label_sv, s.label_en).to_owned(),
    )
}

/// Art. 4(2) operations in the words of the regulation's Swedish text.
pub(super) fn operation(lang: Lang, id: &str) -> String {
    if lang == Lang::En {
        return id.replace('-', " ");
    }
    let sv = match id {
        "collection" => "insamling",
        "recording" => "registrering",
        "organisation" => "organisering",
        "structuring" => "strukturering",
        "storage" => "lagring",
        "adaptation" => "bearbetning",
        "alteration" => "ändring",
        "retrieval" => "framtagning",
        "consultation" => "läsning",
        "use" => "användning",
        "disclosure" => "utlämning",
        "transmission" => "överföring",
        "dissemination" => "spridning",
        "making-available" => "tillhandahållande",
        "alignment" => "justering",
        "combination" => "sammanförande",
        "restriction" => "begränsning",
        "erasure" => "radering",
        "destruction" => "förstöring",
        other => other,
    };
    sv.to_owned()
}

pub(super) fn duration(lang: Lang, kind: DurationKind) -> &'static str {
    match kind {
        DurationKind::UntilFurtherNotice => pick(lang, "tills vidare", "until further notice"),
        DurationKind::ContractTerm => pick(lang, "avtalets löptid", "the contract term"),
        DurationKind::UntilDate => pick(lang, "till ett datum", "until a date"),
        DurationKind::NotStated => labels(lang).not_stated,
    }
}

pub(super) fn safeguard(lang: Lang, s: Safeguard) -> &'static str {
    match s {
        Safeguard::Adequacy => pick(lang, "beslut om adekvat skyddsnivå", "adequacy decision"),
        Safeguard::Scc => pick(
            lang,
            "standardavtalsklausuler",
            "standard contractual clauses",
        ),
        Safeguard::Bcr => pick(
            lang,
            "bindande företagsbestämmelser",
            "binding corporate rules",
        ),
        Safeguard::Derogation => pick(lang, "undantag (art. 49)", "derogation (Art. 49)"),
        Safeguard::Other => pick(lang, "annan", "other"),
    }
}

pub(super) fn sub_processor_kind(lang: Lang, k: SubProcessorKind) -> &'static str {
    match k {
        SubProcessorKind::System => pick(lang, "system", "system"),
        SubProcessorKind::SubProcessor => pick(lang, "underbiträde", "sub-processor"),
    }
}

fn pick(lang: Lang, sv: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Sv => sv,
        Lang::En => en,
    }
}
