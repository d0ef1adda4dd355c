//! The register as Fides `system` resources (fideslang 3.1.4 YAML): one system per service, one
//! privacy declaration per data-subject group, with fideslang data categories from the
//! vocabulary, fideslang data subjects, and `essential.service` as the data use (a processor
//! processes to provide the service it is instructed to provide).

use std::fmt::Write;

use super::instant;
use super::labels::{self, Lang};
use super::text;
use crate::policy::spec::Safeguard;
use crate::register::as_of::Register;
use crate::register::views::{Openness, ServiceView, SubjectView};
use crate::register::vocabulary::{self, Special};

/// Types fideslang has no key for, the key that carries them, and why.
const CARRIED: &[(&str, &str)] = &[(
    "trade-union-membership",
    "fideslang 3.1.4 has no data category for trade-union membership (Art. 9): it is carried as its parent user.demographic",
)];

const DATA_USE: &str = "essential.service";

pub(super) fn render(register: &Register, lang: Lang) -> String {
    let mut y = String::with_capacity(32 * 1024);
    let _ = writeln!(
        y,
        "# gallra register as of {}: fideslang 3.1.4 system resources.",
        instant(register.as_of)
    );
    let _ = writeln!(y, "# Each system's meta holds the gallra service id, version, content hash and evidence index.");
    for (id, why) in CARRIED {
        let _ = writeln!(
            y,
            "# {id}: {why}; a system holding it says so in meta.carried_as."
        );
    }
    if register.services.is_empty() {
        y.push_str("system: []\n");
        return y;
    }
    y.push_str("system:\n");
    for s in &register.services {
        system(&mut y, lang, register, s);
    }
    y
}

fn system(y: &mut String, lang: Lang, register: &Register, s: &ServiceView) {
    let transfers: Vec<&str> = match s.transfers.status {
        Openness::Stated => s
            .transfers
            .items
            .iter()
            .map(|t| basis(t.safeguard))
            .collect(),
        _ => Vec::new(),
    };
    let security = text::open_list(lang, &s.security_measures, |m| m.text.clone()).join(text::SEP);
    let description = s
        .description
        .clone()
        .unwrap_or_else(|| s.processing.subject_matter.clone());
    let _ = writeln!(y, "  - fides_key: {}", q(&fides_key(&s.id)));
    let _ = writeln!(y, "    name: {}", q(&s.name));
    let _ = writeln!(y, "    description: {}", q(&description));
    y.push_str("    organization_fides_key: \"default_organization\"\n");
    y.push_str("    system_type: \"Service\"\n");
    y.push_str("    responsibility: [\"Processor\"]\n");
    let _ = writeln!(y, "    legal_name: {}", q(&s.processor.name));
    if let Some(dpo) = &s.dpo.value {
        let _ = writeln!(y, "    dpo: {}", q(&text::person(dpo)));
    }
    y.push_str("    processes_personal_data: true\n");
    let _ = writeln!(
        y,
        "    does_international_transfers: {}",
        !transfers.is_empty()
    );
    let _ = writeln!(
        y,
        "    legal_basis_for_transfers: {}",
        seq(transfers.iter().copied())
    );
    let _ = writeln!(y, "    data_security_practices: {}", q(&security));
    meta(y, register, s);
    y.push_str("    privacy_declarations:\n");
    let third_parties: Vec<&str> = s
        .sub_processors
        .items
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    for subject in &s.subjects {
        declaration(y, lang, s, subject, &third_parties);
    }
}

fn meta(y: &mut String, register: &Register, s: &ServiceView) {
    y.push_str("    meta:\n");
    let _ = writeln!(y, "      gallra_service_id: {}", q(&s.id));
    let _ = writeln!(y, "      version: {}", s.version);
    let _ = writeln!(y, "      content_hash: {}", q(&s.content_hash));
    match s.evidence_index {
        Some(i) => {
            let _ = writeln!(y, "      evidence_index: {i}");
        }
        None => y.push_str("      evidence_index: null\n"),
    }
    let _ = writeln!(y, "      as_of: {}", q(&instant(register.as_of)));
    let _ = writeln!(y, "      source_document: {}", q(&text::source(&s.source)));
    let controllers: Vec<&str> = s
        .controllers
        .items
        .iter()
        .map(|c| c.organisation.as_str())
        .collect();
    let _ = writeln!(y, "      controllers: {}", seq(controllers.into_iter()));
    let held = |id: &str| s.subjects.iter().any(|x| x.data.iter().any(|d| d.id == id));
    let carried: Vec<String> = CARRIED
        .iter()
        .filter(|(id, _)| held(id))
        .map(|(id, why)| format!("{id}: {why}"))
        .collect();
    if !carried.is_empty() {
        let _ = writeln!(
            y,
            "      carried_as: {}",
            seq(carried.iter().map(String::as_str))
        );
    }
}

fn declaration(
    y: &mut String,
    lang: Lang,
    s: &ServiceView,
    subject: &SubjectView,
    third_parties: &[&str],
) {
    let mut categories: Vec<&str> = subject
        .data
        .iter()
        .map(|d| d.fideslang.as_str())
        .filter(|k| !k.is_empty())
        .collect();
    categories.sort();
    categories.dedup();
    let data_subject =
        vocabulary::subject_category(&subject.category).map_or("customer", |c| c.fideslang);
    let special = subject.data.iter().any(|d| d.special != Special::None);
    let name = format!(
        "{}: {}",
        labels::subject(lang, &subject.category),
        s.processing.purposes.join(text::SEP)
    );
    let _ = writeln!(y, "      - name: {}", q(&name));
    let _ = writeln!(y, "        data_use: {}", q(DATA_USE));
    let _ = writeln!(
        y,
        "        data_categories: {}",
        seq(categories.into_iter())
    );
    let _ = writeln!(
        y,
        "        data_subjects: {}",
        seq(std::iter::once(data_subject))
    );
    let _ = writeln!(y, "        processes_special_category_data: {special}");
    let _ = writeln!(
        y,
        "        data_shared_with_third_parties: {}",
        !third_parties.is_empty()
    );
    if !third_parties.is_empty() {
        let _ = writeln!(
            y,
            "        third_parties: {}",
            q(&third_parties.join(text::SEP))
        );
    }
}

/// fideslang's names of the legal bases of a transfer (`LegalBasisForTransfersEnum`).
fn basis(s: Safeguard) -> &'static str {
    match s {
        Safeguard::Adequacy => "Adequacy Decision",
        Safeguard::Scc => "SCCs",
        Safeguard::Bcr => "BCRs",
        Safeguard::Derogation | Safeguard::Other => "Other",
    }
}

/// A fides key: letters, digits, `.`, `_`, `<`, `>` and `-` only.
fn fides_key(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._<>-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// A flow sequence of quoted scalars.
fn seq<'a>(items: impl Iterator<Item = &'a str>) -> String {
    format!("[{}]", items.map(q).collect::<Vec<_>>().join(", "))
}

/// A YAML double-quoted scalar. Everything outside printable ASCII that YAML would refuse
/// unescaped (controls, DEL, C1, surrogates' neighbours U+FFFE/U+FFFF) is escaped; other
/// characters (å, ä, ö, æ, ø) stay as they are.
fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20
                || ('\u{7f}'..='\u{9f}').contains(&c)
                || c == '\u{fffe}'
                || c == '\u{ffff}' =>
            {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_quoted_and_keys_valid() {
        assert_eq!(q("a\"b\\c\nö\u{85}"), "\"a\\\"b\\\\c\\nö\\u0085\"");
        assert_eq!(fides_key("a b/ö"), "a_b__");
        assert_eq!(seq(["x", "y"].into_iter()), "[\"x\", \"y\"]");
    }
}
