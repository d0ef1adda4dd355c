//! The draft's `[[subjects]]`: each category the document names, matched to the vocabulary's
//! categories, with its personal-data types beside the phrases they came from; what matches
//! nothing is kept as a comment and reported.

use std::fmt::Write;

use super::draft::q;
use super::report::{Entry, Report};
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
