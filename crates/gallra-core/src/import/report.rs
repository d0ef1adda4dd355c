//! The import report: what was found, what was matched to what, what is left for a person, each
//! with the `path:line` of its phrase in the source.

use std::fmt::Write;

use serde::Serialize;

#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub file: String,
    pub layout: String,
    pub service: String,
    pub draft: String,
    pub found: Vec<Entry>,
    pub matched: Vec<Entry>,
    /// Phrases no vocabulary entry matched: kept as comments in the draft.
    pub unmatched: Vec<Entry>,
    pub left_for_a_person: Vec<Entry>,
}

/// One phrase of the source (`line` 1-based; a docx counts paragraphs) and what became of it.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub section: String,
    pub line: usize,
    pub phrase: String,
    pub result: String,
}

impl Entry {
    pub fn new(section: &str, line: usize, phrase: &str, result: impl Into<String>) -> Self {
        Entry {
            section: section.to_string(),
            line,
            phrase: phrase.to_string(),
            result: result.into(),
        }
    }
}

impl Report {
    /// The report as text, each entry as `path:line: section: "phrase" → result`.
    pub fn render(&self, path: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{path}: {} layout, service `{}` → {}",
            self.layout, self.service, self.draft
        );
        let groups = [
            ("found", &self.found),
            ("matched", &self.matched),
            (
                "not matched (kept as comments in the draft)",
                &self.unmatched,
            ),
            ("left for a person", &self.left_for_a_person),
        ];
        for (title, entries) in groups {
            let _ = writeln!(out, "  {title}: {}", entries.len());
            for e in entries {
                let phrase = short(&e.phrase, 90);
                let at = match e.line {
                    0 => path.to_string(),
                    n => format!("{path}:{n}"),
                };
                let _ = writeln!(out, "    {at}: {}: \"{phrase}\" → {}", e.section, e.result);
            }
        }
        out
    }
}

fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max).collect();
        format!("{cut}…")
    }
}
