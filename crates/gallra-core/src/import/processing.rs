//! The draft's `[processing]`: subject matter, duration and its kind, the Art. 4(2) operations
//! recognised in the text, purposes, and what the document leaves open (or says there is none of).

use std::fmt::Write;

use super::phrase_text::{join, line_of};
use super::report::{Entry, Report};
use super::toml_text::{comment, q};
use super::{matching, Facts, ImportError};

/// `[processing]`; the open fields it lists as not stated or none.
pub(super) fn render(f: &Facts, t: &mut String, rep: &mut Report) -> Result<(), ImportError> {
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
        "# duration (line {}): \"{}\" → {kind}\nduration = {{ kind = {}, text = {}{until} }}",
        line_of(&f.duration),
        comment(&text),
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
                    "  {},  # line {}: \"{}\" ({})",
                    q(op),
                    p.line,
                    comment(&words),
                    comment(section)
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
        .find(|w| chrono::NaiveDate::parse_from_str(w, "%Y-%m-%d").is_ok())
        .map(str::to_string)
        .or_else(|| written_date(&l).map(|d| d.format("%Y-%m-%d").to_string()));
    if ["tills vidare", "indtil videre", "until further notice"]
        .iter()
        .any(|w| l.contains(w))
    {
        ("until-further-notice", None)
    } else if let Some(d) = date {
        ("until-date", Some(d))
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

/// A date as Danish and Swedish documents write it: "31.12.2027", "31/12/2027", "31-12-2027",
/// "31. december 2027", "31 december 2027".
fn written_date(l: &str) -> Option<chrono::NaiveDate> {
    const MONTHS: &[&[&str]] = &[
        &["januar", "januari", "january"],
        &["februar", "februari", "february"],
        &["marts", "mars", "march"],
        &["april"],
        &["maj", "may"],
        &["juni", "june"],
        &["juli", "july"],
        &["august", "augusti"],
        &["september"],
        &["oktober", "october"],
        &["november"],
        &["december"],
    ];
    let words: Vec<&str> = l
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        let w = w.trim_end_matches(['.', ')']);
        for sep in ['.', '/', '-'] {
            let parts: Vec<&str> = w.split(sep).collect();
            if let [d, m, y] = parts[..] {
                if y.len() == 4 {
                    if let (Ok(d), Ok(m), Ok(y)) = (d.parse(), m.parse(), y.parse()) {
                        if let Some(date) = chrono::NaiveDate::from_ymd_opt(y, m, d) {
                            return Some(date);
                        }
                    }
                }
            }
        }
        let Ok(day) = w.parse::<u32>() else { continue };
        let (Some(month), Some(year)) = (words.get(i + 1), words.get(i + 2)) else {
            continue;
        };
        let month = MONTHS.iter().position(|names| names.contains(month));
        let year = year.trim_end_matches(['.', ')']).parse::<i32>().ok();
        if let (Some(m), Some(y)) = (month, year) {
            if let Some(date) = chrono::NaiveDate::from_ymd_opt(y, m as u32 + 1, day) {
                return Some(date);
            }
        }
    }
    None
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
