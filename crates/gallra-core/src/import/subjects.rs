//! The draft's `[[subjects]]`: each category the document names, matched to the vocabulary's
//! categories, with its personal-data types beside the phrases they came from; what matches
//! nothing is kept as a comment and reported.

use std::fmt::Write;

use super::report::{Entry, Report};
use super::toml_text::{comment, q};
use super::{matching, Facts, ImportError, Phrase};

/// `[[subjects]]`: one per vocabulary category a label names, each data type beside its phrase.
pub(super) fn render(f: &Facts, t: &mut String, rep: &mut Report) -> Result<(), ImportError> {
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
            let _ = writeln!(t, "\n# NOT MATCHED (line {}): category \"{}\": TODO choose a category from `gallra vocabulary`.", label.line, comment(&label.text));
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
                let _ = writeln!(comments, "# NOT MATCHED (line {}): \"{}\": TODO add a type from `gallra vocabulary` if it is personal data.", p.line, comment(&p.text));
                continue;
            }
            if first {
                let named: Vec<String> = found.iter().map(|id| with_article(id)).collect();
                rep.matched
                    .push(Entry::new("data", p.line, &p.text, named.join(", ")));
            }
            let new: Vec<&str> = found.into_iter().filter(|id| !types.contains(id)).collect();
            if new.is_empty() {
                continue;
            }
            types.extend(&new);
            let ids = new.iter().map(|x| q(x)).collect::<Vec<_>>().join(", ");
            let special: Vec<String> = new
                .iter()
                .map(|id| with_article(id))
                .filter(|n| n.contains('('))
                .collect();
            let special = if special.is_empty() {
                String::new()
            } else {
                format!(" [{}]", special.join(", "))
            };
            let _ = writeln!(
                data,
                "  {ids},  # line {}: {}{special}",
                p.line,
                short(&p.text)
            );
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
                label.line,
                comment(&label.text)
            );
            continue;
        }
        for id in &ids {
            count += 1;
            let _ = writeln!(t, "\n# line {}: \"{}\" → {id}\n{comments}[[subjects]]\ncategory = {}\nlabel = {}\ndata = [\n{data}]", label.line, comment(&label.text), q(id), q(&label.text));
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

/// At most 100 characters of a phrase, as comment text.
fn short(s: &str) -> String {
    if s.chars().count() > 100 {
        comment(&format!("{}…", s.chars().take(100).collect::<String>()))
    } else {
        comment(s)
    }
}

/// "health (Art. 9)", "meeting-content (may hold Art. 9/10)", or the id alone.
fn with_article(id: &str) -> String {
    use crate::register::vocabulary::{data_type, Special};
    match data_type(id).map(|d| d.special) {
        Some(Special::Art9) => format!("{id} (Art. 9)"),
        Some(Special::Art10) => format!("{id} (Art. 10)"),
        Some(Special::MayContain) => format!("{id} (may hold Art. 9/10)"),
        _ => id.to_string(),
    }
}
