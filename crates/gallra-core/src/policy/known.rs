//! What the whole-set checks know (the ids defined, the set) and where they report: shared by
//! the checks of a service (validate) and of its rules and reviews (validate_rules).

use std::collections::HashMap;

use super::ident::check_id;
use super::set::PolicySet;
use super::source::{PolicyError, SourceFile};
use super::spec::Sp;
use crate::vocabulary;

/// Collects errors against the file being checked.
pub(super) struct Report<'a> {
    pub file: &'a SourceFile,
    pub errors: &'a mut Vec<PolicyError>,
}

impl Report<'_> {
    pub fn at<T>(&mut self, at: &Sp<T>, message: impl Into<String>) {
        self.errors.push(self.file.error(at.span(), message));
    }
    pub fn result<T>(&mut self, at: &Sp<T>, r: Result<(), String>) {
        if let Err(m) = r {
            self.at(at, m);
        }
    }
}

/// Where each id was first defined, to report duplicates against it.
#[derive(Default)]
pub(super) struct Ids(pub(super) HashMap<String, String>);

impl Ids {
    pub(super) fn define(&mut self, what: &str, id: &Sp<String>, r: &mut Report<'_>) {
        let (line, col) = r.file.locate(id.span().start);
        let here = format!("{}:{line}:{col}", r.file.path);
        if let Some(first) = self.0.get(id.get_ref()) {
            r.at(
                id,
                format!(
                    "duplicate {what} id `{}`: first defined at {first}",
                    id.get_ref()
                ),
            );
        } else {
            self.0.insert(id.get_ref().clone(), here);
        }
        r.result(id, check_id(id.get_ref()));
    }
}

pub(super) struct Known<'a> {
    pub(super) orgs: &'a Ids,
    pub(super) processors: &'a [String],
    pub(super) datasources: &'a Ids,
    pub(super) set: &'a PolicySet,
}

impl Known<'_> {
    pub(super) fn org(&self, id: &Sp<String>, r: &mut Report<'_>) {
        if !self.orgs.0.contains_key(id.get_ref()) {
            let hint = hint(id.get_ref(), self.orgs.0.keys().map(String::as_str));
            r.at(
                id,
                format!(
                    "unknown organisation `{}`: add it to organisations.toml{hint}",
                    id.get_ref()
                ),
            );
        }
    }
    pub(super) fn datasource(&self, id: &Sp<String>, r: &mut Report<'_>) {
        if !self.datasources.0.contains_key(id.get_ref()) {
            let hint = hint(id.get_ref(), self.datasources.0.keys().map(String::as_str));
            r.at(
                id,
                format!(
                    "unknown datasource `{}`: declare it in datasources.toml{hint}",
                    id.get_ref()
                ),
            );
        }
    }
    /// Whether any service declares a retention rule (`retention`) or review policy (`review`).
    pub(super) fn rule_exists(&self, kind: &str, id: &str) -> bool {
        self.set.services.iter().any(|s| match kind {
            "retention" => s.item.retention.iter().any(|x| x.id.get_ref() == id),
            "review" => s.item.reviews.iter().any(|x| x.id.get_ref() == id),
            _ => false,
        })
    }
}

/// ", did you mean `a` or `b`?" or nothing.
pub(super) fn hint<'a>(unknown: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    let near = vocabulary::nearest(unknown, known);
    if near.is_empty() {
        String::new()
    } else {
        let quoted: Vec<String> = near.iter().map(|n| format!("`{n}`")).collect();
        format!("; did you mean {}?", quoted.join(" or "))
    }
}
