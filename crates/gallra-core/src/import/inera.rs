//! Inera's service descriptions: section 6 "Behandling av personuppgifter" (6.1.1 föremålet …
//! 6.1.6 kategorier av registrerade, 6.2 tjänstespecifika instruktioner), read by heading words.

use super::sections::{self, heading, is_toc, Section, Step};
use super::text::{Kind, Line};
use super::{Category, Clause, Facts, ImportError, Phrase, System};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Start,
    Conditions,
    SubjectMatter,
    Duration,
    Nature,
    Purposes,
    Data,
    Categories,
    Instructions,
}

/// Headings that follow section 6 in Inera's template, for documents whose headings carry no numbers.
const AFTER: &[&str] = &[
    "anslutning till",
    "åtaganden",
    "kundens åtaganden",
    "ineras åtaganden",
    "servicenivåer",
    "support",
    "avgifter",
    "ändringar",
    "övrigt",
];

fn key(words: &str) -> Option<Key> {
    let w = words;
    Some(if w == "behandling av personuppgifter" {
        Key::Start
    } else if w.starts_with("personuppgiftsbehandlingsförhållanden")
        || w.starts_with("personuppgiftsbehandlings förhållanden")
    {
        Key::Conditions
    } else if w.starts_with("föremålet för behandling") || w.starts_with("behandlingens föremål")
    {
        Key::SubjectMatter
    } else if w.starts_with("behandlingens varaktighet") || w == "varaktighet" {
        Key::Duration
    } else if w.starts_with("behandlingens art") || w == "art" {
        Key::Nature
    } else if w.starts_with("behandlingens ändamål") || w == "ändamål" {
        Key::Purposes
    } else if w.starts_with("typ av personuppgifter") || w.starts_with("typer av personuppgifter") {
        Key::Data
    } else if w.starts_with("kategorier av registrerade") {
        Key::Categories
    } else if w.contains("tjänstespecifika instruktioner") {
        Key::Instructions
    } else {
        return None;
    })
}

fn classify(line: &Line) -> Option<Step<Key>> {
    let (number, words) = heading(line)?;
    if let Some(k) = key(&words) {
        return Some(Step::Known(k));
    }
    let foreign = matches!(line.kind, Kind::Heading(_))
        || number.is_some_and(|n| !n.starts_with("6."))
        || AFTER.iter().any(|a| words.starts_with(a));
    foreign.then_some(Step::End)
}

pub fn read(lines: &[Line]) -> Result<Facts, ImportError> {
    let start = lines
        .iter()
        .position(|l| {
            !is_toc(l)
                && heading(l).is_some_and(|(_, w)| {
                    matches!(
                        key(&w),
                        Some(Key::Start | Key::Conditions | Key::SubjectMatter)
                    )
                })
        })
        .ok_or(ImportError::NoSection)?;
    let parts = sections::split(lines, start, classify);
    let body = |k: Key| -> Vec<Line> {
        parts
            .iter()
            .filter(|s| s.key == k)
            .flat_map(|s| s.body.clone())
            .collect()
    };
    if !parts
        .iter()
        .any(|s| matches!(s.key, Key::Data | Key::Categories))
    {
        return Err(ImportError::NoSection);
    }
    let phrases = |k: Key| body(k).iter().map(Phrase::of).collect::<Vec<_>>();
    let (nature, systems) = nature(&body(Key::Nature));
    let labels = phrases(Key::Categories);
    let (categories, all_data) = data(&body(Key::Data), &labels);
    let mentions_inera = lines.iter().any(|l| l.text.contains("Inera"));
    let (document, name) = title(lines);
    Ok(Facts {
        layout: "inera",
        language: "sv",
        timezone: "Europe/Stockholm",
        name,
        document,
        section: "6".into(),
        processor: mentions_inera.then(|| ("inera".to_string(), "Inera AB".to_string())),
        subject_matter: phrases(Key::SubjectMatter),
        duration: phrases(Key::Duration),
        nature,
        purposes: phrases(Key::Purposes),
        categories,
        all_data,
        systems,
        systems_section: false,
        transfers: Vec::new(),
        security: Vec::new(),
        instructions: instructions(&parts),
    })
}

/// The document's title (its first line, with a subtitle bullet such as "- Beskrivning och
/// tjänstespecifika villkor") and the service's name.
pub fn title(lines: &[Line]) -> (String, Option<Phrase>) {
    let Some(first) = lines.first() else {
        return (String::new(), None);
    };
    let mut document = first.text.clone();
    if let Some(sub) = lines.get(1).filter(|l| l.kind == Kind::Bullet) {
        document = format!("{document} - {}", sub.text);
    }
    let name = first
        .text
        .split([':', '–'])
        .next()
        .unwrap_or(&first.text)
        .split(" - ")
        .next()
        .unwrap_or(&first.text)
        .trim()
        .to_string();
    (
        document,
        Some(Phrase {
            text: name,
            line: first.no,
        }),
    )
}

/// 6.1.3: the text (a bulleted list read as one phrase with it: "… som, A, B, C.") and the
/// systems it lists ("lagras i … som, - SharePoint Online").
fn nature(body: &[Line]) -> (Vec<Phrase>, Vec<System>) {
    let mut text: Vec<Phrase> = Vec::new();
    let mut systems = Vec::new();
    let mut before: Option<String> = None;
    let mut in_list = false;
    for line in body {
        if line.kind == Kind::Bullet {
            let item = line.text.trim_end_matches(['.', ',']);
            match text.last_mut() {
                Some(last) => {
                    last.text.push_str(if in_list { ", " } else { " " });
                    last.text.push_str(item);
                }
                None => text.push(Phrase {
                    text: item.to_string(),
                    line: line.no,
                }),
            }
            in_list = true;
            systems.push(System {
                name: Phrase {
                    text: item.to_string(),
                    line: line.no,
                },
                sub_processor: false,
                purpose: before.clone(),
                location: None,
                cvr: None,
            });
            continue;
        }
        if in_list {
            if let Some(last) = text.last_mut() {
                last.text.push('.');
            }
            in_list = false;
        }
        let last = line.text.rsplit(". ").next().unwrap_or(&line.text);
        before = Some(last.trim_end_matches([',', ':']).to_string());
        text.push(Phrase::of(line));
    }
    if in_list {
        if let Some(last) = text.last_mut() {
            last.text.push('.');
        }
    }
    (text, systems)
}

fn norm(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ')
        .collect::<String>()
        .trim()
        .to_string()
}

/// 6.1.5: data per category (a line naming a 6.1.6 category starts its list; a list outside any
/// category, or under "för samtliga kategorier", applies to all).
fn data(body: &[Line], labels: &[Phrase]) -> (Vec<Category>, Vec<Phrase>) {
    let mut cats: Vec<Category> = labels
        .iter()
        .map(|l| Category {
            label: l.clone(),
            data: Vec::new(),
        })
        .collect();
    let mut all = Vec::new();
    let mut current: Option<usize> = None;
    for (i, line) in body.iter().enumerate() {
        let lower = line.text.to_lowercase();
        if ["samtliga kategorier", "alla kategorier"]
            .iter()
            .any(|w| lower.contains(w))
        {
            current = None;
            continue;
        }
        if line.kind == Kind::Text && line.text.ends_with(':') {
            continue;
        }
        let n = norm(&line.text);
        if let Some(c) = cats.iter().position(|c| norm(&c.label.text) == n) {
            current = Some(c);
            continue;
        }
        // No 6.1.6 list: a top-level bullet with deeper bullets under it names a category.
        let parent = line.depth == 0 && body.get(i + 1).is_some_and(|next| next.depth > line.depth);
        if labels.is_empty() && parent {
            cats.push(Category {
                label: Phrase::of(line),
                data: Vec::new(),
            });
            current = Some(cats.len() - 1);
            continue;
        }
        match current {
            Some(c) => cats[c].data.push(Phrase::of(line)),
            None => all.push(Phrase::of(line)),
        }
    }
    (cats, all)
}

/// 6.2: each numbered item, bullet or paragraph is one instruction (an introduction ending in
/// ":" is not); its source is "6.2 p.N".
fn instructions(parts: &[Section<Key>]) -> Vec<Clause> {
    let mut out = Vec::new();
    for s in parts.iter().filter(|s| s.key == Key::Instructions) {
        let number = heading(&s.heading)
            .and_then(|(n, _)| n)
            .unwrap_or_else(|| "6.2".into());
        let items: Vec<Line> = sections::items(&s.body)
            .into_iter()
            .filter(|l| !(l.kind == Kind::Text && l.text.ends_with(':')))
            .collect();
        let single = items.len() == 1;
        for (i, item) in items.iter().enumerate() {
            let source = match item.kind {
                Kind::Numbered(n) => format!("{number} p.{n}"),
                _ if single => number.clone(),
                _ => format!("{number} p.{}", i + 1),
            };
            out.push(Clause {
                source,
                text: Phrase::of(item),
            });
        }
    }
    out
}
