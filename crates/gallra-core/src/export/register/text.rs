//! Plain-text renderings of a record's parts, shared by the CSV cells and the HTML page.

use super::labels::{self, labels, Lang};
use crate::policy::spec::{Contact, Organisation, Person, SourceRef};
use crate::register::views::{
    Enforcement, OpenList, OpenValue, Openness, ServiceView, SubProcessorView, TransferView,
};

/// Items of one cell or line.
pub(super) const SEP: &str = "; ";

/// The non-empty parts, joined by ", ".
fn parts<'a>(items: impl IntoIterator<Item = Option<&'a str>>) -> String {
    items
        .into_iter()
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn person(p: &Person) -> String {
    parts([p.name.as_deref(), p.email.as_deref(), p.phone.as_deref()])
}

/// Contact details, or that the register holds none.
pub(super) fn contacts(lang: Lang, cs: &[Contact]) -> String {
    if cs.is_empty() {
        return labels(lang).not_stated.to_owned();
    }
    cs.iter()
        .map(|c| {
            let who = parts([c.name.as_deref(), c.email.as_deref(), c.phone.as_deref()]);
            format!("{}: {who}", c.role)
        })
        .collect::<Vec<_>>()
        .join(SEP)
}

/// An organisation's name and contact details, as Art. 30(2)(a) asks.
pub(super) fn organisation_contact(lang: Lang, o: Option<&Organisation>) -> String {
    contacts(lang, o.map_or(&[], |o| &o.contacts))
}

/// A controller's representative or DPO: the register records one only when the source does.
pub(super) fn optional_person(lang: Lang, p: Option<&Person>) -> String {
    p.map(person)
        .unwrap_or_else(|| labels(lang).not_stated.to_owned())
}

/// A field the source may leave open: its value, or that it has none, or that it is not stated.
pub(super) fn open_value(lang: Lang, v: &OpenValue<Person>) -> String {
    match (&v.value, v.status) {
        (Some(p), _) => person(p),
        (None, Openness::NotStated) => labels(lang).not_stated.to_owned(),
        (None, _) => labels(lang).none.to_owned(),
    }
}

/// The items of an open list, or why it has none.
pub(super) fn open_list<T>(
    lang: Lang,
    l: &OpenList<T>,
    each: impl Fn(&T) -> String,
) -> Vec<String> {
    match l.status {
        Openness::Stated => l.items.iter().map(each).collect(),
        Openness::None => vec![labels(lang).none.to_owned()],
        Openness::NotStated => vec![labels(lang).not_stated.to_owned()],
    }
}

pub(super) fn transfer(lang: Lang, t: &TransferView) -> String {
    let mut s = t.country.clone();
    if let Some(r) = &t.recipient {
        s.push_str(&format!(" ({r})"));
    }
    s.push_str(&format!(": {}", labels::safeguard(lang, t.safeguard)));
    if let Some(n) = &t.note {
        s.push_str(&format!(" — {n}"));
    }
    s
}

pub(super) fn sub_processor(lang: Lang, p: &SubProcessorView) -> String {
    let mut s = format!("{} ({})", p.name, labels::sub_processor_kind(lang, p.kind));
    let extra = parts([p.purpose.as_deref(), p.location.as_deref()]);
    if !extra.is_empty() {
        s.push_str(&format!(": {extra}"));
    }
    s
}

pub(super) fn source(s: &SourceRef) -> String {
    match &s.section {
        Some(section) => format!("{}, {section}", s.document),
        None => s.document.clone(),
    }
}

pub(super) fn duration(lang: Lang, v: &ServiceView) -> String {
    let d = &v.processing.duration;
    // The source's own words when it has them; else the kind, and its date.
    match &d.text {
        Some(text) => text.clone(),
        None => parts([Some(labels::duration(lang, d.kind)), d.until.as_deref()]),
    }
}

pub(super) fn nature(lang: Lang, v: &ServiceView) -> String {
    let ops: Vec<String> = v
        .processing
        .nature
        .iter()
        .map(|n| labels::operation(lang, n))
        .collect();
    let ops = ops.join(", ");
    match &v.processing.nature_text {
        Some(text) => format!("{ops}{SEP}{text}"),
        None => ops,
    }
}

pub(super) fn enforcement(lang: Lang, e: &Enforcement) -> String {
    match e {
        Enforcement::Enforced { kind, rule } => format!("{kind}:{rule}"),
        Enforcement::Manual { owner, note } => {
            let l = labels(lang);
            parts([Some(l.manual), Some(owner.as_str()), note.as_deref()])
        }
    }
}

/// The Art. 9/10 types, with their labels.
pub(super) fn special(lang: Lang, v: &ServiceView) -> String {
    v.special_categories
        .iter()
        .map(|d| labels::data_type(lang, &d.id))
        .collect::<Vec<_>>()
        .join(SEP)
}

pub(super) fn evidence_index(lang: Lang, i: Option<i64>) -> String {
    i.map_or_else(|| labels(lang).unknown_index.to_owned(), |i| i.to_string())
}
