//! The Danish Data Protection Agency's standard contractual clauses: Appendix A (A.1 formål …
//! A.5 varighed), Appendix B (approved sub-processors, a table) and Appendix C (the instructions).

use super::inera::title;
use super::sections::{self, heading, is_toc, Step};
use super::text::{Kind, Line};
use super::{Category, Clause, Facts, ImportError, Phrase, System};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    AppendixA,
    Purposes,
    Nature,
    Data,
    Categories,
    Duration,
    SubProcessors,
    Ignore,
    /// C.n
    Clause(u8),
}

/// Appendix C's clauses by their words, for headings without numbers (C.8's words first: it
/// names revisions too).
const C_WORDS: &[(&str, u8)] = &[
    ("overladt til underdatabehandlere", 8),
    ("revision", 7),
    ("inspektion", 7),
    ("genstand", 1),
    ("behandlingssikkerhed", 2),
    ("bistand", 3),
    ("opbevaringsperiode", 4),
    ("sletterutine", 4),
    ("lokalitet", 5),
    ("tredjelande", 6),
    ("tilsyn", 7),
];

fn key(number: Option<&str>, w: &str) -> Option<Key> {
    let by_number = match number {
        Some("A") => Some(Key::AppendixA),
        Some("A.1") => Some(Key::Purposes),
        Some("A.2") => Some(Key::Nature),
        Some("A.3") => Some(Key::Data),
        Some("A.4") => Some(Key::Categories),
        Some("A.5") => Some(Key::Duration),
        Some("B.1") => Some(Key::SubProcessors),
        Some("B" | "C" | "B.2") => Some(Key::Ignore),
        Some(n) => n
            .strip_prefix("C.")
            .and_then(|d| d.parse().ok())
            .map(Key::Clause),
        None => None,
    };
    if by_number.is_some() {
        return by_number;
    }
    Some(if w.starts_with("oplysninger om behandlingen") {
        Key::AppendixA
    } else if w.contains("formål") {
        Key::Purposes
    } else if w.contains("karakter") {
        Key::Nature
    } else if w.contains("typer af personoplysninger") || w.contains("type af personoplysninger") {
        Key::Data
    } else if w.contains("kategorier af registrerede") {
        Key::Categories
    } else if w.contains("varighed") {
        Key::Duration
    } else if w.contains("godkendte underdatabehandlere") || w == "underdatabehandlere" {
        Key::SubProcessors
    } else if w.starts_with("instruks vedrørende behandling") {
        Key::Ignore
    } else if let Some((_, n)) = C_WORDS.iter().find(|(x, _)| w.contains(x)) {
        Key::Clause(*n)
    } else {
        return None;
    })
}

/// The clauses the template numbers, A.1 to C.8.
fn known_number(n: &str) -> bool {
    let Some((letter, digits)) = n.split_once('.') else {
        return false;
    };
    let max = match letter {
        "A" => 5,
        "B" => 2,
        "C" => 8,
        _ => return false,
    };
    digits.parse::<u8>().is_ok_and(|d| (1..=max).contains(&d))
}

/// Titles of Appendix C's clauses, lower-case, for a body that starts on the title's line.
const C_TITLES: &[&str] = &[
    "behandlingens genstand/instruks",
    "behandlingssikkerhed",
    "bistand til den dataansvarlige",
    "opbevaringsperiode/sletterutine",
    "lokalitet for behandling",
    "instruks vedrørende overførsel af personoplysninger til tredjelande",
];

/// A line opening a clause by its number ("A.5. Databehandlerens … Behandlingen har følgende
/// varighed:", "C.4. Opbevaringsperiode/sletterutine: Lønsedler …"), however long the template's
/// title and whatever it ends with: its number, its title's words, and the text after the title
/// when the clause's body starts on the same line.
fn numbered_clause(line: &Line) -> Option<(String, String, Option<String>)> {
    if !matches!(line.kind, Kind::Text | Kind::Heading(_)) {
        return None;
    }
    let t = line.text.trim();
    let (number, _) = sections::letter_clause(&t.to_lowercase())?;
    if !known_number(&number) {
        return None;
    }
    // "A.5." / "C.4" / "C.4 –": the prefix is ASCII, so its length is the same in `t`.
    let rest = t[number.len()..].trim_start_matches(['.', ' ', ')', '-', '–', '\t']);
    let (title, body) = match rest.split_once(':') {
        Some((title, body)) if !body.trim().is_empty() => (title, Some(body.trim())),
        _ => {
            let lower = rest.to_lowercase();
            let after = C_TITLES
                .iter()
                .find(|p| lower.starts_with(*p))
                .map(|p| {
                    rest.char_indices()
                        .nth(p.chars().count())
                        .map_or("", |(i, _)| &rest[i..])
                })
                .map(|b| b.trim_start_matches(['.', ' ', ':', '-', '–']).trim())
                .filter(|b| !b.is_empty());
            match after {
                Some(b) => (&rest[..rest.len() - b.len()], Some(b)),
                None => (rest, None),
            }
        }
    };
    let words = title
        .trim()
        .trim_end_matches(['.', ' ', ':'])
        .to_lowercase();
    Some((number, words, body.map(str::to_string)))
}

/// A heading as this layout reads it: a numbered clause first, else any heading.
fn head(line: &Line) -> Option<(Option<String>, String)> {
    match numbered_clause(line) {
        Some((n, words, _)) => Some((Some(n), words)),
        None => heading(line),
    }
}

fn classify(line: &Line) -> Option<Step<Key>> {
    let (number, words) = head(line)?;
    if let Some(k) = key(number.as_deref(), &words) {
        return Some(Step::Known(k));
    }
    // Appendix D (or a numbered clause of the main text) ends the appendices; another heading
    // inside them (B.2 "varsel", a heading of the processor's own) starts a part not read.
    let end = matches!(number.as_deref(), Some("D"))
        || number
            .as_deref()
            .is_some_and(|n| n.starts_with(|c: char| c.is_ascii_digit()))
        || words.starts_with("parternes regulering");
    if end {
        Some(Step::End)
    } else if matches!(line.kind, Kind::Heading(_)) || number.is_some() {
        Some(Step::Known(Key::Ignore))
    } else {
        None
    }
}

pub fn read(lines: &[Line]) -> Result<Facts, ImportError> {
    let start = lines
        .iter()
        .position(|l| {
            !is_toc(l)
                && head(l).is_some_and(|(n, w)| {
                    matches!(key(n.as_deref(), &w), Some(Key::AppendixA | Key::Purposes))
                })
        })
        .ok_or(ImportError::NoSection)?;
    let mut parts = sections::split(lines, start, classify);
    // A body that starts on its clause's line ("A.1. Formålet … er: At beregne løn") is its first line.
    for part in &mut parts {
        if let Some((_, _, Some(text))) = numbered_clause(&part.heading) {
            let line = Line {
                kind: Kind::Text,
                depth: 0,
                text,
                ..part.heading.clone()
            };
            part.body.insert(0, line);
        }
    }
    if !parts
        .iter()
        .any(|s| matches!(s.key, Key::Data | Key::Categories))
    {
        return Err(ImportError::NoSection);
    }
    let body = |k: Key| -> Vec<Line> {
        parts
            .iter()
            .filter(|s| s.key == k)
            .flat_map(|s| s.body.clone())
            .collect()
    };
    let phrases = |k: Key| body(k).iter().map(Phrase::of).collect::<Vec<_>>();
    let categories = phrases(Key::Categories)
        .into_iter()
        .filter(|p| !p.text.ends_with(':'))
        .map(|label| Category {
            label,
            data: Vec::new(),
        })
        .collect();
    let all_data = phrases(Key::Data)
        .into_iter()
        .filter(|p| !p.text.ends_with(':'))
        .collect();
    let (document, name) = title(lines);
    let instructions = clauses(&parts);
    let of = |n: u8| -> Vec<Phrase> {
        let source = format!("C.{n}");
        instructions
            .iter()
            .filter(|c| c.source == source || c.source.starts_with(&format!("{source} ")))
            .map(|c| c.text.clone())
            .collect()
    };
    Ok(Facts {
        layout: "dk-scc",
        language: "da",
        timezone: "Europe/Copenhagen",
        name,
        document,
        section: "Bilag A–C".into(),
        processor: processor(lines),
        subject_matter: of(1).into_iter().take(1).collect(),
        // "Behandlingen har følgende varighed:" introduces the duration; it is not one.
        duration: phrases(Key::Duration)
            .into_iter()
            .filter(|p| !p.text.ends_with(':'))
            .collect(),
        nature: phrases(Key::Nature),
        purposes: phrases(Key::Purposes),
        categories,
        all_data,
        systems: sub_processors(&body(Key::SubProcessors)),
        systems_section: parts.iter().any(|s| s.key == Key::SubProcessors),
        transfers: of(6),
        security: of(2),
        instructions,
    })
}

/// "Databehandler: Lønservice ApS" (or "Databehandleren: …") names the processor.
fn processor(lines: &[Line]) -> Option<(String, String)> {
    lines.iter().find_map(|l| {
        let (label, name) = l.text.split_once(':')?;
        let label = label.trim().to_lowercase();
        let name = name.trim().trim_end_matches('.');
        (matches!(label.as_str(), "databehandler" | "databehandleren") && !name.is_empty())
            .then(|| (super::draft::slug(name, 64), name.to_string()))
    })
}

/// B.1's table: navn | CVR | adresse | beskrivelse af behandling (the header row skipped).
fn sub_processors(body: &[Line]) -> Vec<System> {
    body.iter()
        .filter(|l| l.kind == Kind::Row)
        .filter_map(|l| {
            let cells: Vec<&str> = l.text.split(" | ").map(str::trim).collect();
            let header = cells.first()?.to_lowercase();
            if header == "navn" || header == "name" || cells[0].is_empty() {
                return None;
            }
            let cell = |i: usize| {
                cells
                    .get(i)
                    .filter(|c| !c.is_empty())
                    .map(|c| c.to_string())
            };
            Some(System {
                name: Phrase {
                    text: cells[0].to_string(),
                    line: l.no,
                },
                sub_processor: true,
                cvr: cell(1),
                location: cell(2),
                purpose: cell(3),
            })
        })
        .collect()
}

/// Appendix C: each paragraph or item of a clause is one instruction, "C.4" or "C.4 p.2".
fn clauses(parts: &[sections::Section<Key>]) -> Vec<Clause> {
    let mut out = Vec::new();
    for s in parts {
        let Key::Clause(n) = s.key else { continue };
        let items: Vec<Line> = sections::items(&s.body)
            .into_iter()
            .filter(|l| !(l.kind == Kind::Text && l.text.ends_with(':')))
            .collect();
        let single = items.len() == 1;
        for (i, item) in items.iter().enumerate() {
            let source = if single {
                format!("C.{n}")
            } else {
                format!("C.{n} p.{}", i + 1)
            };
            out.push(Clause {
                source,
                text: Phrase::of(item),
            });
        }
    }
    out
}
