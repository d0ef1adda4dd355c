//! Instructions (6.2, Appendix C) drafted with their source clauses: one that states a period
//! becomes a proposed retention rule, one that states a review interval a proposed review policy;
//! the rest are manual. Datasource, table and columns stay placeholders a person fills in.

use std::fmt::Write;

use super::phrase_text::slug;
use super::report::{Entry, Report};
use super::toml_text::{comment, q};
use super::{words, Facts};

const RETAIN: &[&str] = &[
    "gallr", "radera", "tas bort", "slet", "slett", "delete", "erase", "opbevar", "bevara",
    "sparas", "spara", "behålla", "retain", "kept", "keep", "anonymi",
];
const REVIEW: &[&str] = &[
    "granska",
    "gennemgå",
    "review",
    "kontroller",
    "pröva",
    "följa upp",
    "revider",
    "verifi",
    "rensa",
    "afstem",
];

/// The placeholder datasource a draft's rules name.
pub fn datasource_id(service: &str) -> String {
    slug(&format!("todo-{service}"), 64)
}

/// `[[instructions]]`, then `[[retention]]` and `[[reviews]]` blocks; whether any rule names the
/// placeholder datasource.
pub fn render(f: &Facts, service: &str, owner: &str, rep: &mut Report) -> (String, bool) {
    let mut out = String::new();
    let mut rules = String::new();
    let mut ids: Vec<String> = Vec::new();
    let ds = datasource_id(service);
    for c in &f.instructions {
        let lower = c.text.text.to_lowercase();
        // A retention paragraph stating several periods (the data's, the logs') is one
        // instruction per period, each enforced by its own rule.
        let parts: Vec<(String, Option<words::StatedPeriod>)> =
            if RETAIN.iter().any(|w| lower.contains(w)) {
                let mut split = words::split_at_periods(&c.text.text);
                if split.len() > 1 {
                    split.into_iter().map(|(t, p)| (t, Some(p))).collect()
                } else {
                    vec![(c.text.text.clone(), split.pop().map(|(_, p)| p))]
                }
            } else {
                vec![(c.text.text.clone(), None)]
            };
        for (text, period) in parts {
            let c = &super::Clause {
                source: c.source.clone(),
                text: super::Phrase {
                    text,
                    line: c.text.line,
                },
            };
            let text = &c.text.text;
            let lower = text.to_lowercase();
            let base = slug(
                &text
                    .split_whitespace()
                    .take(4)
                    .collect::<Vec<_>>()
                    .join(" "),
                40,
            );
            let mut id = base.clone();
            let mut n = 2;
            while ids.contains(&id) {
                id = format!("{base}-{n}");
                n += 1;
            }
            ids.push(id.clone());
            // The service's part kept short so that the instruction's part (≤ 44) is never cut.
            let rule_id = slug(&format!("{}-{id}", slug(service, 19)), 64);
            rep.found.push(Entry::new(
                &c.source,
                c.text.line,
                text,
                format!("instruction `{id}`"),
            ));
            let _ = writeln!(out, "\n# {} (line {})", comment(&c.source), c.text.line);
            let _ = writeln!(
                out,
                "[[instructions]]\nid = {}\nsource = {}\ntext = {}",
                q(&id),
                q(&c.source),
                q(text)
            );
            let interval =
                words::schedule(text).filter(|_| REVIEW.iter().any(|w| lower.contains(w)));
            if let Some(p) = period {
                let _ = writeln!(out, "enforced_by = {}", q(&format!("retention:{rule_id}")));
                rep.matched.push(Entry::new(
                    &c.source,
                    c.text.line,
                    &p.words,
                    format!("retention rule `{rule_id}`, keep_for = \"{}\"", p.keep_for),
                ));
                left(rep, c, &format!("retention rule `{rule_id}`: datasource, table, key and timestamp are placeholders; check action and schedule"));
                let _ = write!(rules, "\n# Proposed from {} (line {}): \"{}\" → keep_for = \"{}\".\n# TODO: every `todo` value below is a placeholder a person replaces.\n[[retention]]\nid = {}\ndescription = {}\ndatasource = {}  # TODO placeholder\ntable = \"todo_table\"  # TODO\nkey = \"todo_key\"  # TODO\ntimestamp = \"todo_timestamp\"  # TODO\nkeep_for = {}\naction = \"delete\"\nschedule = \"30 2 * * *\"\ntimezone = {}\n",
                comment(&c.source), c.text.line, comment(&p.words), p.keep_for, q(&rule_id),
                q(&format!("DRAFT from {}: {}", c.source, text)), q(&ds), q(&p.keep_for), q(f.timezone));
            } else if let Some((schedule, proposed)) = interval {
                let _ = writeln!(out, "enforced_by = {}", q(&format!("review:{rule_id}")));
                let why = if proposed {
                    format!("schedule = \"{schedule}\" (the source sets no interval: the draft proposes it)")
                } else {
                    format!("schedule = \"{schedule}\"")
                };
                rep.matched.push(Entry::new(
                    &c.source,
                    c.text.line,
                    text,
                    format!("review policy `{rule_id}`, {why}"),
                ));
                left(rep, c, &format!("review policy `{rule_id}`: datasource, table, key and display are placeholders; check reviewers and due"));
                let _ = write!(rules, "\n# Proposed from {} (line {}): {why}.\n# TODO: every `todo` value below is a placeholder a person replaces.\n[[reviews]]\nid = {}\ndescription = {}\nkind = \"snapshot\"\nschedule = {}\ntimezone = {}\ndue = \"14d\"\nreviewers = [\"role:dpo\"]\nsource = {{ datasource = {}, table = \"todo_table\", key = \"todo_key\", display = \"todo_display\" }}  # TODO placeholders\n",
                comment(&c.source), c.text.line, q(&rule_id), q(&format!("DRAFT from {}: {}", c.source, text)),
                q(schedule), q(f.timezone), q(&ds));
            } else {
                let _ = writeln!(out, "manual = {{ owner = {}, note = \"DRAFT: no period or review interval recognised; a person decides how this is carried out.\" }}", q(owner));
                left(
                    rep,
                    c,
                    &format!("instruction `{id}`: manual; decide who carries it out and how"),
                );
            }
        }
    }
    let has_rules = !rules.is_empty();
    out.push_str(&rules);
    (out, has_rules)
}

fn left(rep: &mut Report, c: &super::Clause, what: &str) {
    rep.left_for_a_person
        .push(Entry::new(&c.source, c.text.line, &c.text.text, what));
}
