//! The register as one printable HTML page, as a DPO hands it to an authority: no external
//! resources, print CSS with a page break per service, one heading level per section so a
//! screen reader can move through it, and tables with header cells.

use std::fmt::Write;

use super::instant;
use super::labels::{self, labels, Labels, Lang};
use super::text;
use crate::register::as_of::Register;
use crate::register::views::{Openness, ServiceView};

const STYLE: &str = "body{font:11pt/1.45 system-ui,sans-serif;color:#111;margin:2rem auto;max-width:60rem;padding:0 1rem}\
h1{font-size:1.5rem}h2{font-size:1.3rem;border-bottom:2px solid #333;padding-bottom:.2rem}h3{font-size:1.05rem;margin-top:1.4rem}\
table{border-collapse:collapse;width:100%;margin:.4rem 0}th,td{border:1px solid #777;padding:.3rem .45rem;text-align:left;vertical-align:top}\
th{background:#eee}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}\
.hash{font-family:ui-monospace,monospace;word-break:break-all}a{color:#0645ad}\
@media print{body{margin:0;max-width:none;font-size:10pt}.service{break-before:page;page-break-before:always}\
nav a{color:#111;text-decoration:none}table,tr,dl{break-inside:avoid;page-break-inside:avoid}}";

pub(super) fn render(register: &Register, lang: Lang) -> String {
    let l = labels(lang);
    let mut page = String::with_capacity(64 * 1024);
    let as_of = instant(register.as_of);
    let _ = write!(
        page,
        "<!doctype html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{} — {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header>\n<h1>{}</h1>\n<p>{} <time datetime=\"{as_of}\">{}</time> · {} {}</p>\n</header>\n",
        lang.code(),
        esc(l.title),
        esc(&as_of),
        esc(l.title),
        esc(l.as_of),
        register.as_of.format("%Y-%m-%d %H:%M:%S UTC"),
        register.services.len(),
        esc(l.services),
    );
    let _ = write!(
        page,
        "<nav aria-labelledby=\"toc\">\n<h2 id=\"toc\">{}</h2>\n<ol>\n",
        esc(l.contents)
    );
    for s in &register.services {
        let _ = writeln!(
            page,
            "<li><a href=\"#{}\">{}</a></li>",
            anchor(&s.id),
            esc(&s.name)
        );
    }
    page.push_str("</ol>\n</nav>\n<main>\n");
    for s in &register.services {
        service(&mut page, lang, l, s);
    }
    page.push_str("</main>\n</body>\n</html>\n");
    page
}

fn service(page: &mut String, lang: Lang, l: &Labels, s: &ServiceView) {
    let id = anchor(&s.id);
    let _ = write!(
        page,
        "<section class=\"service\" id=\"{id}\" aria-labelledby=\"{id}-h\">\n<h2 id=\"{id}-h\">{}</h2>\n",
        esc(&s.name)
    );
    if let Some(d) = &s.description {
        let _ = writeln!(page, "<p>{}</p>", esc(d));
    }
    definitions(
        page,
        &[
            (l.service_id, esc(&s.id)),
            (l.version, s.version.to_string()),
            (
                l.content_hash,
                format!("<span class=\"hash\">{}</span>", esc(&s.content_hash)),
            ),
            (
                l.evidence_index,
                esc(&text::evidence_index(lang, s.evidence_index)),
            ),
            (l.source, esc(&text::source(&s.source))),
        ],
    );
    heading(page, l.processor);
    definitions(
        page,
        &[
            (l.name, esc(&s.processor.name)),
            (l.contact, esc(&text::contacts(lang, &s.processor.contacts))),
            (
                l.representative,
                esc(&text::open_value(lang, &s.representative)),
            ),
            (l.dpo, esc(&text::open_value(lang, &s.dpo))),
        ],
    );
    heading(page, l.controllers);
    let rows = match s.controllers.status {
        Openness::Stated => s
            .controllers
            .items
            .iter()
            .map(|c| {
                let name = c.name.clone().unwrap_or_else(|| c.organisation.clone());
                let categories = if c.categories.is_empty() {
                    text::nature(lang, s)
                } else {
                    c.categories.join(text::SEP)
                };
                vec![name, categories]
            })
            .collect(),
        // "none" or "not stated", across the table.
        _ => vec![text::open_list(lang, &s.controllers, |_| String::new())],
    };
    table(page, &[l.name, l.categories], &rows);
    heading(page, l.processing);
    definitions(
        page,
        &[
            (l.subject_matter, esc(&s.processing.subject_matter)),
            (l.duration, esc(&text::duration(lang, s))),
            (l.nature, esc(&text::nature(lang, s))),
            (l.purposes, esc(&s.processing.purposes.join(text::SEP))),
        ],
    );
    subjects(page, lang, l, s);
    heading(page, l.sub_processors);
    list(
        page,
        &text::open_list(lang, &s.sub_processors, |p| text::sub_processor(lang, p)),
    );
    heading(page, l.transfers);
    list(
        page,
        &text::open_list(lang, &s.transfers, |t| text::transfer(lang, t)),
    );
    heading(page, l.security);
    list(
        page,
        &text::open_list(lang, &s.security_measures, |m| m.text.clone()),
    );
    instructions(page, lang, l, s);
    page.push_str("</section>\n");
}

fn subjects(page: &mut String, lang: Lang, l: &Labels, s: &ServiceView) {
    heading(page, l.subjects);
    let rows: Vec<Vec<String>> = s
        .subjects
        .iter()
        .map(|x| {
            let category = labels::subject(lang, &x.category);
            let who = match &x.label {
                Some(label) if *label != category => format!("{category} ({label})"),
                _ => category,
            };
            let data: Vec<String> = x
                .data
                .iter()
                .map(|d| {
                    let label = labels::data_type(lang, &d.id);
                    // Art. 9/10 types are marked in text, not by colour alone.
                    if d.special == crate::register::vocabulary::Special::None {
                        label
                    } else {
                        format!("{label} *")
                    }
                })
                .collect();
            vec![who, data.join(text::SEP)]
        })
        .collect();
    table(page, &[l.subject, l.personal_data], &rows);
    let special = text::special(lang, s);
    if !special.is_empty() {
        let _ = writeln!(page, "<p>* {}: {}</p>", esc(l.special), esc(&special));
    }
}

fn instructions(page: &mut String, lang: Lang, l: &Labels, s: &ServiceView) {
    heading(page, l.instructions);
    let rows: Vec<Vec<String>> = s
        .instructions
        .iter()
        .map(|i| {
            vec![
                i.source.clone(),
                i.text.clone(),
                text::enforcement(lang, &i.enforcement),
            ]
        })
        .collect();
    if rows.is_empty() {
        let _ = writeln!(page, "<p>{}</p>", esc(l.none));
    } else {
        table(page, &[l.clause, l.instruction, l.enforcement], &rows);
    }
}

fn heading(page: &mut String, text: &str) {
    let _ = writeln!(page, "<h3>{}</h3>", esc(text));
}

/// Pairs of a label and its value, already escaped.
fn definitions(page: &mut String, items: &[(&str, String)]) {
    page.push_str("<dl>\n");
    for (term, value) in items {
        let _ = writeln!(page, "<dt>{}</dt><dd>{value}</dd>", esc(term));
    }
    page.push_str("</dl>\n");
}

/// A table of `rows`, each a list of cells; a row of one cell spans the table.
fn table(page: &mut String, headers: &[&str], rows: &[Vec<String>]) {
    page.push_str("<table>\n<thead><tr>");
    for h in headers {
        let _ = write!(page, "<th scope=\"col\">{}</th>", esc(h));
    }
    page.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        page.push_str("<tr>");
        for cell in row {
            if row.len() == 1 && headers.len() > 1 {
                let _ = write!(page, "<td colspan=\"{}\">{}</td>", headers.len(), esc(cell));
            } else {
                let _ = write!(page, "<td>{}</td>", esc(cell));
            }
        }
        page.push_str("</tr>\n");
    }
    page.push_str("</tbody>\n</table>\n");
}

fn list(page: &mut String, items: &[String]) {
    page.push_str("<ul>\n");
    for i in items {
        let _ = writeln!(page, "<li>{}</li>", esc(i));
    }
    page.push_str("</ul>\n");
}

/// An id attribute from a service id: letters, digits and `-` only, prefixed so it starts with
/// a letter.
fn anchor(id: &str) -> String {
    let safe: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("service-{safe}")
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_anchors_are_safe() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(anchor("a b\"<"), "service-a-b--");
    }
}
