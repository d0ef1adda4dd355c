//! A draft policy file rendered from a document's facts, the document's wording kept in its text
//! fields and each vocabulary match beside the phrase it came from; checked as `policies check` does.

use std::fmt::Write;

use serde::Serialize;

use super::report::{Entry, Report};
use super::{instructions, matching, Facts, ImportError, Imported, Options, Phrase};
use crate::policy::ident::check_id;
use crate::policy::source::SourceFile;

/// An `organisations.toml` or `datasources.toml` entry a draft needs, as TOML.
#[derive(Debug, Clone, Serialize)]
pub struct Support {
    pub id: String,
    pub toml: String,
}

/// A TOML string literal.
pub fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A register id from words: lower-case ASCII, digits and `-`, at most `max` characters.
pub fn slug(s: &str, max: usize) -> String {
    let mut out = String::new();
    for c in s.to_lowercase().chars() {
        let mapped = match c {
            'å' | 'ä' | 'á' | 'à' => "a",
            'ö' | 'ø' | 'ó' => "o",
            'æ' => "ae",
            'é' | 'è' | 'ë' => "e",
            'ü' | 'ú' => "u",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "-",
        };
        if mapped != "-" || !out.ends_with('-') {
            out.push_str(mapped);
        }
    }
    let mut s = out.trim_matches('-').to_string();
    if s.len() > max {
        s.truncate(max);
        s = s.trim_end_matches('-').to_string();
    }
    if s.is_empty() {
        "service".into()
    } else {
        s
    }
}

fn join(phrases: &[Phrase]) -> String {
    phrases
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn line_of(phrases: &[Phrase]) -> usize {
    phrases.first().map_or(0, |p| p.line)
}

/// The draft for one document, validated with the organisation and datasource it names.
pub fn build(f: &Facts, file_name: &str, opts: &Options) -> Result<Imported, ImportError> {
    let name = f
        .name
        .clone()
        .filter(|n| !n.text.is_empty())
        .ok_or_else(|| {
            ImportError::Incomplete(
                "no service name: the first line should name the service".into(),
            )
        })?;
    let id = slug(&name.text, 64);
    let (org_id, org_name) = match (&opts.processor, &f.processor) {
        (Some(p), Some((id, name))) if p == id => (p.clone(), name.clone()),
        (Some(p), _) => (p.clone(), p.clone()),
        (None, Some((id, name))) => (id.clone(), name.clone()),
        (None, None) => (
            "processor".to_string(),
            "The processor (name not stated)".to_string(),
        ),
    };
    check_id(&org_id).map_err(|e| ImportError::Incomplete(format!("--processor: {e}")))?;
    let mut rep = Report {
        file: file_name.to_string(),
        layout: f.layout.to_string(),
        service: id.clone(),
        draft: format!("{id}.toml"),
        ..Default::default()
    };
    rep.found.push(Entry::new(
        "title",
        name.line,
        &name.text,
        format!("service `{id}`"),
    ));
    let mut t = String::new();
    let _ = writeln!(
        t,
        "# DRAFT written by `gallra import` from {file_name} ({} layout, section {}).",
        f.layout, f.section
    );
    let _ = writeln!(t, "# Review every line against the source before it goes into policies/; TODO marks what a person fills in.\n");
    let _ = writeln!(t, "[service]\nid = {}\nname = {}\nprocessor = {}  # TODO: check against organisations.toml\nlanguage = {}", q(&id), q(&name.text), q(&org_id), q(f.language));
    let _ = writeln!(
        t,
        "source = {{ document = {}, section = {}, file = {} }}\n",
        q(&f.document),
        q(&f.section),
        q(file_name)
    );
    processing(f, &mut t, &mut rep)?;
    subjects(f, &mut t, &mut rep)?;
    systems(f, &mut t, &mut rep);
    security(f, &mut t);
    let (rules, has_rules) = instructions::render(f, &id, &org_id, &mut rep);
    t.push_str(&rules);
    let organisation = Support {
        id: org_id.clone(),
        toml: format!("\n# DRAFT placeholder from `gallra import` ({file_name}): check it, or use the entry already in your organisations.toml.\n[[organisations]]\nid = {}\nname = {}\nroles = [\"processor\"]\nnote = \"DRAFT placeholder written by gallra import.\"\n", q(&org_id), q(&org_name)),
    };
    let datasource = has_rules.then(|| {
        let ds = instructions::datasource_id(&id);
        Support {
            toml: format!("\n# DRAFT placeholder from `gallra import` ({file_name}): the database holding {id}'s data. TODO: set its kind; its URL comes from GALLRA_DATASOURCE_<ID>.\n[[datasources]]\nid = {}\nkind = \"sqlite\"\ndescription = \"DRAFT placeholder for {}: a person names the real datasource.\"\n", q(&ds), name.text.replace('"', "'")),
            id: ds,
        }
    });
    validate(&t, &organisation, datasource.as_ref(), &id)?;
    Ok(Imported {
        service_id: id.clone(),
        file_name: format!("{id}.toml"),
        toml: t,
        organisation,
        datasource,
        report: rep,
    })
}

/// `[processing]`; the open fields it lists as not stated or none.
fn processing(f: &Facts, t: &mut String, rep: &mut Report) -> Result<(), ImportError> {
    let subject = join(&f.subject_matter);
    rep.found.push(Entry::new(
        "subject matter",
        line_of(&f.subject_matter),
        &subject,
        "subject_matter",
    ));
    let _ = writeln!(t, "[processing]\nsubject_matter = {}", q(&subject));
    let text = join(&f.duration);
    let (kind, until) = duration_kind(&text);
    rep.matched.push(Entry::new(
        "duration",
        line_of(&f.duration),
        &text,
        format!("duration kind `{kind}`"),
    ));
    if kind == "not-stated" {
        rep.left_for_a_person.push(Entry::new(
            "duration",
            line_of(&f.duration),
            &text,
            "duration kind not recognised",
        ));
    }
    let until = until
        .map(|u| format!(", until = {}", q(&u)))
        .unwrap_or_default();
    let _ = writeln!(
        t,
        "# duration (line {}): \"{text}\" → {kind}\nduration = {{ kind = {}, text = {}{until} }}",
        line_of(&f.duration),
        q(kind),
        q(&text)
    );
    let mut ops: Vec<&str> = Vec::new();
    let _ = writeln!(t, "nature = [");
    let sources = f
        .nature
        .iter()
        .map(|p| ("nature", p))
        .chain(f.instructions.iter().map(|c| (c.source.as_str(), &c.text)));
    for (section, p) in sources {
        for (op, words) in matching::operations(&p.text) {
            // An instruction adds what it orders done to the data (delete, store), not its verbs.
            let from_instruction = section != "nature";
            if from_instruction && !matches!(op, "erasure" | "storage") {
                continue;
            }
            if !ops.contains(&op) {
                ops.push(op);
                let _ = writeln!(
                    t,
                    "  {},  # line {}: \"{words}\" ({section})",
                    q(op),
                    p.line
                );
                rep.matched.push(Entry::new(
                    section,
                    p.line,
                    &words,
                    format!("Art. 4(2) `{op}`"),
                ));
            }
        }
    }
    let _ = writeln!(t, "]\nnature_text = {}", q(&join(&f.nature)));
    if f.purposes.is_empty() {
        return Err(ImportError::Incomplete(
            "no purposes (6.1.4 / A.1) found".into(),
        ));
    }
    let _ = writeln!(t, "purposes = [");
    for p in &f.purposes {
        let _ = writeln!(t, "  {},  # line {}", q(&p.text), p.line);
        rep.found
            .push(Entry::new("purpose", p.line, &p.text, "purposes"));
    }
    let _ = writeln!(t, "]");
    let (mut not_stated, mut none) = (vec!["controllers", "representative", "dpo"], Vec::new());
    match (f.systems.is_empty(), f.systems_section) {
        (false, _) => {}
        (true, true) => none.push("sub_processors"),
        (true, false) => not_stated.push("sub_processors"),
    }
    match transfer_kind(f) {
        Transfers::None => none.push("transfers"),
        Transfers::Stated(_) => {}
        Transfers::Open => not_stated.push("transfers"),
    }
    if f.security.is_empty() {
        not_stated.push("security_measures");
    }
    for field in &not_stated {
        rep.left_for_a_person.push(Entry::new(
            "not stated",
            0,
            field,
            "listed in processing.not_stated: fill in if known",
        ));
    }
    let list = |xs: &[&str]| xs.iter().map(|x| q(x)).collect::<Vec<_>>().join(", ");
    let _ = writeln!(t, "# What the document leaves open (the controllers are the customers: TODO name them in [[controllers]]).");
    let _ = writeln!(t, "not_stated = [{}]", list(&not_stated));
    if !none.is_empty() {
        let _ = writeln!(t, "none = [{}]", list(&none));
    }
    if let Transfers::Stated(block) = transfer_kind(f) {
        t.push_str(&block);
    }
    Ok(())
}

fn duration_kind(text: &str) -> (&'static str, Option<String>) {
    let l = text.to_lowercase();
    let date = l
        .split(|c: char| !(c.is_ascii_digit() || c == '-'))
        .find(|w| chrono::NaiveDate::parse_from_str(w, "%Y-%m-%d").is_ok());
    if ["tills vidare", "indtil videre", "until further notice"]
        .iter()
        .any(|w| l.contains(w))
    {
        ("until-further-notice", None)
    } else if let Some(d) = date {
        ("until-date", Some(d.to_string()))
    } else if [
        "avtal",
        "aftale",
        "kontrakt",
        "agreement",
        "contract",
        "så länge",
        "så længe",
    ]
    .iter()
    .any(|w| l.contains(w))
    {
        ("contract-term", None)
    } else {
        ("not-stated", None)
    }
}

enum Transfers {
    None,
    Open,
    Stated(String),
}

fn transfer_kind(f: &Facts) -> Transfers {
    let text = join(&f.transfers);
    let l = text.to_lowercase();
    if l.is_empty() {
        return Transfers::Open;
    }
    let negative = [
        "ingen overførsel",
        "ikke overføre",
        "ikke overføres",
        "ingen overførsler",
        "ingen tredjeland",
        "inte överför",
        "ingen överföring",
        "no transfer",
        "not transfer",
    ];
    if negative.iter().any(|w| l.contains(w)) {
        return Transfers::None;
    }
    let countries = [
        ("usa", "US"),
        ("united states", "US"),
        ("storbritannien", "GB"),
        ("united kingdom", "GB"),
        ("indien", "IN"),
        ("india", "IN"),
        ("schweiz", "CH"),
        ("norge", "NO"),
    ];
    let Some((_, country)) = countries.iter().find(|(w, _)| l.contains(w)) else {
        return Transfers::Open;
    };
    let safeguard = if l.contains("standardkontrakt")
        || l.contains("standard contractual")
        || l.contains("scc")
    {
        "scc"
    } else if l.contains("beskyttelsesniveau")
        || l.contains("tilstrækkelighed")
        || l.contains("adequacy")
        || l.contains("data privacy framework")
    {
        "adequacy"
    } else if l.contains("bindende virksomhedsregler") || l.contains("bcr") {
        "bcr"
    } else {
        "other"
    };
    let line = line_of(&f.transfers);
    Transfers::Stated(format!("\n# C.6 (line {line}): country and safeguard read from the text; check them.\n[[transfers]]\ncountry = {}\nsafeguard = {}\nnote = {}\n", q(country), q(safeguard), q(&text)))
}

/// `[[subjects]]`: one per vocabulary category a label names, each data type beside its phrase.
fn subjects(f: &Facts, t: &mut String, rep: &mut Report) -> Result<(), ImportError> {
    let mut count = 0;
    // A phrase listed for all categories is reported once.
    let mut reported: Vec<&Phrase> = Vec::new();
    for c in &f.categories {
        let label = &c.label;
        let ids = matching::subject_categories(&label.text);
        if ids.is_empty() {
            rep.unmatched.push(Entry::new(
                "categories",
                label.line,
                &label.text,
                "no data-subject category: kept as a comment",
            ));
            let _ = writeln!(t, "\n# NOT MATCHED (line {}): category \"{}\": TODO choose a category from `gallra vocabulary`.", label.line, label.text);
            continue;
        }
        rep.matched.push(Entry::new(
            "categories",
            label.line,
            &label.text,
            ids.join(", "),
        ));
        let mut data = String::new();
        let mut types: Vec<&str> = Vec::new();
        let mut comments = String::new();
        for p in c.data.iter().chain(&f.all_data) {
            let found = matching::data_types(&p.text);
            let first = !reported.contains(&p);
            if first {
                reported.push(p);
            }
            if found.is_empty() {
                if first {
                    rep.unmatched.push(Entry::new(
                        "data",
                        p.line,
                        &p.text,
                        "no personal-data type: kept as a comment",
                    ));
                }
                let _ = writeln!(comments, "# NOT MATCHED (line {}): \"{}\": TODO add a type from `gallra vocabulary` if it is personal data.", p.line, p.text.replace('\n', " "));
                continue;
            }
            if first {
                rep.matched
                    .push(Entry::new("data", p.line, &p.text, found.join(", ")));
            }
            let new: Vec<&str> = found.into_iter().filter(|id| !types.contains(id)).collect();
            if new.is_empty() {
                continue;
            }
            types.extend(&new);
            let ids = new.iter().map(|x| q(x)).collect::<Vec<_>>().join(", ");
            let _ = writeln!(data, "  {ids},  # line {}: {}", p.line, short(&p.text));
        }
        if types.is_empty() {
            rep.left_for_a_person.push(Entry::new(
                "categories",
                label.line,
                &label.text,
                "no data type matched: category left out",
            ));
            let _ = writeln!(
                t,
                "\n# LEFT OUT (line {}): category \"{}\": no data type matched.\n{comments}",
                label.line, label.text
            );
            continue;
        }
        for id in &ids {
            count += 1;
            let _ = writeln!(t, "\n# line {}: \"{}\" → {id}\n{comments}[[subjects]]\ncategory = {}\nlabel = {}\ndata = [\n{data}]", label.line, label.text, q(id), q(&label.text));
        }
    }
    if count == 0 {
        return Err(ImportError::Incomplete(
            "no category of data subjects with a recognised data type (6.1.5–6.1.6 / A.3–A.4)"
                .into(),
        ));
    }
    Ok(())
}

fn short(s: &str) -> String {
    let s = s.replace('\n', " ");
    if s.chars().count() > 100 {
        format!("{}…", s.chars().take(100).collect::<String>())
    } else {
        s
    }
}

fn systems(f: &Facts, t: &mut String, rep: &mut Report) {
    for s in &f.systems {
        let kind = if s.sub_processor {
            "sub-processor"
        } else {
            "system"
        };
        rep.found.push(Entry::new(
            "sub-processors",
            s.name.line,
            &s.name.text,
            format!("[[sub_processors]] kind = \"{kind}\""),
        ));
        let _ = write!(
            t,
            "\n# line {}{}\n[[sub_processors]]\nname = {}\nkind = {}\n",
            s.name.line,
            s.cvr
                .as_ref()
                .map(|c| format!(", CVR {c}"))
                .unwrap_or_default(),
            q(&s.name.text),
            q(kind)
        );
        if let Some(p) = &s.purpose {
            let _ = writeln!(t, "purpose = {}", q(p));
        }
        if let Some(l) = &s.location {
            let _ = writeln!(t, "location = {}", q(l));
        }
    }
}

fn security(f: &Facts, t: &mut String) {
    for p in &f.security {
        let _ = write!(
            t,
            "\n# line {}\n[[security_measures]]\ntext = {}\nsource = \"C.2\"\n",
            p.line,
            q(&p.text)
        );
    }
}

/// The same validation `gallra policies check` runs, on the draft with its organisation and
/// datasource.
fn validate(toml: &str, org: &Support, ds: Option<&Support>, id: &str) -> Result<(), ImportError> {
    let files = vec![
        SourceFile::new(
            "organisations.toml".into(),
            "organisations.toml".into(),
            org.toml.clone(),
        ),
        SourceFile::new(
            "datasources.toml".into(),
            "datasources.toml".into(),
            ds.map(|d| d.toml.clone()).unwrap_or_default(),
        ),
        SourceFile::new(format!("{id}.toml"), format!("{id}.toml"), toml.to_string()),
    ];
    crate::policy::load::parse(files).map(|_| ()).map_err(|e| {
        ImportError::Invalid(
            e.0.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
        )
    })
}
