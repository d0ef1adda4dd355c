//! A draft's ids and text from its phrases: a register id from words, a field's phrases joined, and
//! the line they start on; shared by the draft and its renderers (instructions, processing).

use super::Phrase;

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

pub(super) fn join(phrases: &[Phrase]) -> String {
    phrases
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

pub(super) fn line_of(phrases: &[Phrase]) -> usize {
    phrases.first().map_or(0, |p| p.line)
}
