//! Headings read by their numbers and words, and a document split into the sections a layout
//! knows: the table of contents is skipped, an unknown heading ends the part being read.

use super::text::{Kind, Line};

/// What a line is to a layout: a heading it knows, a heading that ends its part, or content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<K> {
    Known(K),
    End,
}

#[derive(Debug, Clone)]
pub struct Section<K> {
    pub key: K,
    pub heading: Line,
    pub body: Vec<Line>,
}

/// A table-of-contents line: dot leaders, or a page number after a tab.
pub fn is_toc(line: &Line) -> bool {
    line.text.contains("....")
        || line.text.contains("…") && line.text.trim_end().ends_with(|c: char| c.is_ascii_digit())
        || line.text.rsplit_once('\t').is_some_and(|(_, page)| {
            let p = page.trim();
            !p.is_empty() && p.chars().all(|c| c.is_ascii_digit())
        })
}

/// A heading's number ("6.1.5", "A.3", "C") and its words, lower-case, or `None` when the line
/// cannot be a heading (a list item, a row, a sentence).
pub fn heading(line: &Line) -> Option<(Option<String>, String)> {
    let explicit = matches!(line.kind, Kind::Heading(_));
    if !explicit && line.kind != Kind::Text {
        return None;
    }
    let t = line.text.trim();
    let mut words = t.to_lowercase();
    // The Danish template's clause headings are long and end in ":" ("A.1. Formålet … er:").
    let lettered = letter_clause(&words).is_some()
        || ["bilag ", "appendix "].iter().any(|p| words.starts_with(p));
    let limit = if lettered { 160 } else { 90 };
    let sentence = t.ends_with(['.', ';', ',']) || (t.ends_with(':') && !lettered);
    if !explicit && (t.chars().count() > limit || sentence) {
        return None;
    }
    for prefix in ["bilag ", "appendix ", "bilaga "] {
        if let Some(rest) = words.strip_prefix(prefix) {
            let letter: String = rest.chars().take_while(|c| c.is_alphanumeric()).collect();
            if letter.chars().count() == 1 {
                let rest = rest[letter.len()..].trim_start_matches([' ', ':', '-', '–', '.']);
                return Some((Some(letter.to_uppercase()), rest.trim().to_string()));
            }
        }
    }
    let number: String = words
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let (number, rest) = match letter_clause(&words) {
        Some((n, rest)) => (Some(n), rest),
        None if !number.is_empty() && number.chars().next().is_some_and(|c| c.is_ascii_digit()) => {
            let rest = words[number.len()..].to_string();
            (Some(number.trim_end_matches('.').to_string()), rest)
        }
        None => (None, words.clone()),
    };
    words = rest
        .trim()
        .trim_end_matches(['.', ' ', ':'])
        .trim_start_matches(['.', ' ', ')'])
        .to_string();
    Some((number, words))
}

/// "a.3 typer …" or "c.4 opbevaringsperiode" → ("A.3", rest).
pub(super) fn letter_clause(words: &str) -> Option<(String, String)> {
    let mut chars = words.chars();
    let letter = chars.next()?;
    if !letter.is_ascii_lowercase() || chars.next()? != '.' {
        return None;
    }
    let rest: String = chars.collect();
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return None;
    }
    let tail = rest[digits.len()..].trim_start_matches('.').to_string();
    Some((format!("{}.{digits}", letter.to_ascii_uppercase()), tail))
}

/// The sections from `lines[start]` on, each known heading starting one, until `classify` says End.
pub fn split<K: Copy>(
    lines: &[Line],
    start: usize,
    classify: impl Fn(&Line) -> Option<Step<K>>,
) -> Vec<Section<K>> {
    let mut out: Vec<Section<K>> = Vec::new();
    for line in &lines[start..] {
        if is_toc(line) {
            continue;
        }
        match classify(line) {
            Some(Step::Known(key)) => out.push(Section {
                key,
                heading: line.clone(),
                body: Vec::new(),
            }),
            Some(Step::End) if !out.is_empty() => break,
            _ => {
                if let Some(s) = out.last_mut() {
                    s.body.push(line.clone());
                }
            }
        }
    }
    out
}

/// A line's text with the lines nested under it (deeper bullets) appended, for instructions.
pub fn items(body: &[Line]) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::new();
    for line in body {
        let nested = line.depth > 0 && matches!(line.kind, Kind::Bullet | Kind::Numbered(_));
        match out.last_mut() {
            Some(prev) if nested => {
                prev.text.push(' ');
                prev.text.push_str(&line.text);
            }
            _ => out.push(line.clone()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::text::plain;

    fn h(t: &str) -> Option<(Option<String>, String)> {
        heading(&plain(t)[0])
    }

    #[test]
    fn headings_with_and_without_numbers() {
        assert_eq!(
            h("#### 6.1.5 Typ av personuppgifter"),
            Some((Some("6.1.5".into()), "typ av personuppgifter".into()))
        );
        assert_eq!(
            h("**Typ av personuppgifter**"),
            Some((None, "typ av personuppgifter".into()))
        );
        assert_eq!(
            h("A.3 Typer af personoplysninger"),
            Some((Some("A.3".into()), "typer af personoplysninger".into()))
        );
        assert_eq!(
            h("Bilag B Underdatabehandlere"),
            Some((Some("B".into()), "underdatabehandlere".into()))
        );
        assert_eq!(
            h("7 Anslutning till Ineras tekniska infrastruktur"),
            Some((
                Some("7".into()),
                "anslutning till ineras tekniska infrastruktur".into()
            ))
        );
        assert_eq!(h("Tjänsten."), None);
        assert_eq!(h("- Invånare"), None);
    }

    #[test]
    fn toc_lines() {
        assert!(is_toc(&plain("6 Behandling av personuppgifter\t3")[0]));
        assert!(is_toc(
            &plain("6.1 Personuppgiftsbehandlings förhållanden.....\t4")[0]
        ));
        assert!(!is_toc(&plain("6 Behandling av personuppgifter")[0]));
    }
}
