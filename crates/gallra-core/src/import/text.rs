//! A document as numbered lines: plain text, Markdown or `.docx` (its paragraphs and table rows
//! in order, with heading styles and list levels kept), so the layout readers see one shape.

use super::{bounded, ImportError};

/// What a line is, as far as its source says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A Markdown `#` heading or a docx heading style (level 1…).
    Heading(u8),
    /// A bullet or an auto-numbered docx list item, at `depth` 0….
    Bullet,
    /// A hand-numbered list item, `1.` or `1)`.
    Numbered(u32),
    /// A table row; cells are joined with ` | `.
    Row,
    Text,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 1-based line of a text file, or paragraph number of a docx.
    pub no: usize,
    pub kind: Kind,
    pub depth: usize,
    pub text: String,
}

/// The lines of a document, chosen by its bytes (zip or OLE) and its name.
pub fn read(bytes: &[u8], file_name: &str) -> Result<Vec<Line>, ImportError> {
    const OLE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    let lower = file_name.to_lowercase();
    if bytes.starts_with(&OLE) {
        // An encrypted OOXML file (or a legacy .doc) is an OLE compound file, not a zip.
        return Err(ImportError::Encrypted);
    }
    if bytes.starts_with(b"PK") || lower.ends_with(".docx") {
        return docx(bytes);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| ImportError::NotText)?;
    Ok(plain(text))
}

/// Plain text or Markdown: headings, bullets with their indent, numbered items, table rows.
pub fn plain(text: &str) -> Vec<Line> {
    text.lines()
        .enumerate()
        .filter_map(|(i, raw)| {
            // A leading tab indents as two spaces do: one level.
            let lead = &raw[..raw.len() - raw.trim_start().len()];
            let indent = lead.chars().map(|c| if c == '\t' { 2 } else { 1 }).sum();
            let t = clean(raw.trim());
            if t.is_empty()
                || t.chars()
                    .all(|c| c == '-' || c == '|' || c == ':' || c == ' ')
            {
                return None;
            }
            let (kind, depth, text) = classify(&t, indent);
            Some(Line {
                no: i + 1,
                kind,
                depth,
                text,
            })
        })
        .collect()
}

fn classify(t: &str, indent: usize) -> (Kind, usize, String) {
    if let Some(rest) = t.strip_prefix('#') {
        let level = 1 + rest.chars().take_while(|c| *c == '#').count();
        let text = rest.trim_start_matches('#').trim();
        return (Kind::Heading(level as u8), 0, text.to_string());
    }
    // Word's own glyphs when it saves a list as text ("•", then "o", then "§" or "▪" a level
    // down) give the level where no indent does.
    #[rustfmt::skip]
    const BULLETS: &[(&str, usize)] = &[
        ("- ", 0), ("* ", 0), ("• ", 0), ("– ", 0), ("· ", 0), ("•\t", 0),
        ("o\t", 1), ("◦ ", 1), ("◦\t", 1), ("§\t", 2), ("▪ ", 2), ("▪\t", 2),
    ];
    for (bullet, level) in BULLETS {
        if let Some(rest) = t.strip_prefix(bullet) {
            return (
                Kind::Bullet,
                (indent / 2).max(*level),
                rest.trim().to_string(),
            );
        }
    }
    if t.starts_with('|') {
        let cells: Vec<&str> = t.trim_matches('|').split('|').map(str::trim).collect();
        return (Kind::Row, 0, cells.join(" | "));
    }
    if t.contains('\t') && t.split('\t').filter(|c| !c.trim().is_empty()).count() >= 3 {
        let cells: Vec<&str> = t.split('\t').map(str::trim).collect();
        return (Kind::Row, 0, cells.join(" | "));
    }
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    if !digits.is_empty() && digits.len() <= 2 {
        let rest = &t[digits.len()..];
        if let Some(rest) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            if let Ok(n) = digits.parse() {
                return (Kind::Numbered(n), indent / 2, rest.trim().to_string());
            }
        }
    }
    (Kind::Text, indent / 2, t.to_string())
}

/// Without emphasis markup (`**`, `<b>`) and Markdown escapes; a line break or other control
/// character inside a run (a docx may hold them) is a space, as Word shows it, tabs kept for cells.
fn clean(t: &str) -> String {
    let mut s: String = t
        .chars()
        .map(|c| if c.is_control() && c != '\t' { ' ' } else { c })
        .collect();
    for tag in ["<b>", "</b>", "<strong>", "</strong>", "**", "__"] {
        s = s.replace(tag, "");
    }
    s.replace("\\-", "-").replace("\\.", ".").trim().to_string()
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// `word/document.xml` of a docx: body paragraphs and table rows in order.
fn docx(bytes: &[u8]) -> Result<Vec<Line>, ImportError> {
    let xml = bounded::document_xml(bytes)?;
    let doc = roxmltree::Document::parse(&xml)
        .map_err(|e| ImportError::BrokenDocx(format!("word/document.xml: {e}")))?;
    let body = doc
        .root_element()
        .children()
        .find(|n| n.has_tag_name((W, "body")))
        .ok_or_else(|| ImportError::BrokenDocx("word/document.xml has no body".into()))?;
    let mut lines = Vec::new();
    for (i, node) in body.children().filter(|n| n.is_element()).enumerate() {
        let no = i + 1;
        if node.has_tag_name((W, "p")) {
            if let Some(line) = paragraph(node, no) {
                lines.push(line);
            }
        } else if node.has_tag_name((W, "tbl")) {
            for row in node.children().filter(|n| n.has_tag_name((W, "tr"))) {
                let cells: Vec<String> = row
                    .children()
                    .filter(|n| n.has_tag_name((W, "tc")))
                    .map(|c| clean(&runs_text(c)))
                    .collect();
                if cells.iter().any(|c| !c.is_empty()) {
                    lines.push(Line {
                        no,
                        kind: Kind::Row,
                        depth: 0,
                        text: cells.join(" | "),
                    });
                }
            }
        }
    }
    Ok(lines)
}

fn paragraph(p: roxmltree::Node<'_, '_>, no: usize) -> Option<Line> {
    let text = clean(&runs_text(p));
    if text.is_empty() {
        return None;
    }
    let props = p.children().find(|n| n.has_tag_name((W, "pPr")));
    let child = |name: &str| props.and_then(|pp| pp.children().find(|n| n.has_tag_name((W, name))));
    let style = child("pStyle")
        .and_then(|s| s.attribute((W, "val")))
        .unwrap_or("")
        .to_lowercase();
    if let Some(level) = heading_level(&style) {
        return Some(Line {
            no,
            kind: Kind::Heading(level),
            depth: 0,
            text,
        });
    }
    let list = child("numPr").map(|n| {
        n.children()
            .find(|c| c.has_tag_name((W, "ilvl")))
            .and_then(|l| l.attribute((W, "val")))
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(0)
    });
    match list {
        Some(depth) => Some(Line {
            no,
            kind: Kind::Bullet,
            depth,
            text,
        }),
        None if style.contains("list") => Some(Line {
            no,
            kind: Kind::Bullet,
            depth: 0,
            text,
        }),
        None => {
            let (kind, depth, text) = classify(&text, 0);
            Some(Line {
                no,
                kind,
                depth,
                text,
            })
        }
    }
}

/// "Heading2", "heading 2", "Rubrik2", "Overskrift2", "Title".
fn heading_level(style: &str) -> Option<u8> {
    if style == "title" || style == "titel" || style == "rubrik" {
        return Some(1);
    }
    for prefix in ["heading", "rubrik", "overskrift"] {
        if let Some(n) = style.strip_prefix(prefix) {
            return n.trim().parse().ok();
        }
    }
    None
}

/// The text of the runs under a node: `w:t`, tabs as tabs, breaks as spaces.
fn runs_text(node: roxmltree::Node<'_, '_>) -> String {
    let mut out = String::new();
    for n in node.descendants() {
        if n.has_tag_name((W, "t")) {
            out.push_str(n.text().unwrap_or(""));
        } else if n.has_tag_name((W, "tab")) && n.parent().is_some_and(|p| p.has_tag_name((W, "r")))
        {
            out.push('\t');
        } else if n.has_tag_name((W, "br")) {
            out.push(' ');
        } else if n.has_tag_name((W, "p")) && !out.is_empty() && !out.ends_with(' ') {
            // Paragraphs inside a table cell.
            out.push(' ');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_keeps_headings_bullets_numbers_and_rows() {
        let lines = plain("## 6.1 X\n\n- a\n  - b\n1. c\n| n | cvr |\n|---|---|\n**6.2 Y**");
        let kinds: Vec<_> = lines.iter().map(|l| (l.no, l.kind, l.depth)).collect();
        assert_eq!(
            kinds,
            vec![
                (1, Kind::Heading(2), 0),
                (3, Kind::Bullet, 0),
                (4, Kind::Bullet, 1),
                (5, Kind::Numbered(1), 0),
                (6, Kind::Row, 0),
                (8, Kind::Text, 0),
            ]
        );
        assert_eq!(lines[5].text, "6.2 Y");
    }

    #[test]
    fn ole_and_broken_zip_are_errors() {
        let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
        assert!(matches!(read(&ole, "a.docx"), Err(ImportError::Encrypted)));
        assert!(matches!(
            read(b"PK\x03\x04garbage", "a.docx"),
            Err(ImportError::BrokenDocx(_))
        ));
    }
}
