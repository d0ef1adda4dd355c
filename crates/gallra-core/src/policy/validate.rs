//! Whole-set checks a single file cannot make: ids, vocabulary, references, schedules, periods.

use super::known::{hint, Ids, Known, Report};
use super::set::PolicySet;
use super::source::PolicyError;
use super::spec::{OrgRole, ServiceFile, Sp};
use super::validate_rules;
use crate::vocabulary::{self, DATA_TYPES, OPERATIONS, SUBJECT_CATEGORIES};

/// Fields a source document may leave open; each must then be listed in `not_stated` or `none`.
pub const OPEN_FIELDS: &[&str] = &[
    "controllers",
    "sub_processors",
    "transfers",
    "security_measures",
    "representative",
    "dpo",
];

pub fn check(set: &PolicySet) -> Vec<PolicyError> {
    let mut errors = Vec::new();
    let mut orgs = Ids::default();
    let mut processors = Vec::new();
    for o in &set.organisations {
        let mut r = Report {
            file: set.file(o.file),
            errors: &mut errors,
        };
        orgs.define("organisation", &o.item.id, &mut r);
        if o.item.roles.is_empty() {
            r.at(
                &o.item.id,
                "an organisation needs at least one role: processor, controller or sub-processor",
            );
        }
        if o.item.roles.contains(&OrgRole::Processor) {
            processors.push(o.item.id.get_ref().clone());
        }
    }
    let mut datasources = Ids::default();
    for d in &set.datasources {
        datasources.define(
            "datasource",
            &d.item.id,
            &mut Report {
                file: set.file(d.file),
                errors: &mut errors,
            },
        );
    }
    let mut services = Ids::default();
    let mut rules = Ids::default();
    for s in &set.services {
        let mut r = Report {
            file: set.file(s.file),
            errors: &mut errors,
        };
        services.define("service", &s.item.service.id, &mut r);
        for rule in &s.item.retention {
            rules.define("rule", &rule.id, &mut r);
        }
        for review in &s.item.reviews {
            rules.define("rule", &review.id, &mut r);
        }
    }
    let known = Known {
        orgs: &orgs,
        processors: &processors,
        datasources: &datasources,
        set,
    };
    for s in &set.services {
        let mut r = Report {
            file: set.file(s.file),
            errors: &mut errors,
        };
        check_service(&s.item, &known, &mut r);
    }
    errors
}

fn check_service(s: &ServiceFile, known: &Known<'_>, r: &mut Report<'_>) {
    if !known.processors.contains(s.service.processor.get_ref()) {
        known.org(&s.service.processor, r);
        if known.orgs.0.contains_key(s.service.processor.get_ref()) {
            r.at(
                &s.service.processor,
                format!(
                    "organisation `{}` does not have the role processor",
                    s.service.processor.get_ref()
                ),
            );
        }
    }
    check_processing(s, r);
    check_subjects(s, r);
    for c in &s.controllers {
        known.org(&c.organisation, r);
    }
    for p in &s.sub_processors {
        if let Some(org) = &p.organisation {
            known.org(org, r);
        }
    }
    check_open_fields(s, known, r);
    check_instructions(s, known, r);
    for rule in &s.retention {
        validate_rules::check_retention(rule, known, r);
    }
    for review in &s.reviews {
        validate_rules::check_review(review, known, r);
    }
}

fn check_processing(s: &ServiceFile, r: &mut Report<'_>) {
    let p = &s.processing;
    for op in &p.nature {
        if !OPERATIONS.contains(&op.get_ref().as_str()) {
            let hint = hint(op.get_ref(), OPERATIONS.iter().copied());
            r.at(
                op,
                format!("unknown Art. 4(2) operation `{}`{hint}", op.get_ref()),
            );
        }
    }
    if p.purposes.get_ref().iter().all(|x| x.trim().is_empty()) {
        r.at(&p.purposes, "at least one purpose is required (Art. 28(3))");
    }
    if p.duration.kind == super::spec::DurationKind::UntilDate {
        let ok = p
            .duration
            .until
            .as_deref()
            .is_some_and(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok());
        if !ok {
            r.at(
                &s.service.id,
                "duration kind `until-date` needs `until = \"YYYY-MM-DD\"`",
            );
        }
    }
}

fn check_subjects(s: &ServiceFile, r: &mut Report<'_>) {
    if s.subjects.is_empty() {
        r.at(
            &s.service.id,
            "at least one [[subjects]] entry is required (Art. 28(3))",
        );
    }
    for subject in &s.subjects {
        let c = &subject.category;
        if vocabulary::subject_category(c.get_ref()).is_none() {
            let hint = hint(c.get_ref(), SUBJECT_CATEGORIES.iter().map(|x| x.id));
            r.at(
                c,
                format!("unknown data-subject category `{}`{hint}", c.get_ref()),
            );
        }
        if subject.data.get_ref().is_empty() {
            r.at(&subject.data, "at least one personal-data type is required");
        }
        for d in subject.data.get_ref() {
            if vocabulary::data_type(d.get_ref()).is_none() {
                let hint = match vocabulary::alias(d.get_ref()) {
                    Some(id) => format!("; did you mean `{id}`?"),
                    None => hint(d.get_ref(), DATA_TYPES.iter().map(|x| x.id)),
                };
                r.at(
                    d,
                    format!("unknown personal-data type `{}`{hint}", d.get_ref()),
                );
            }
        }
    }
}

fn check_open_fields(s: &ServiceFile, known: &Known<'_>, r: &mut Report<'_>) {
    let p = &s.processing;
    for listed in p.not_stated.iter().chain(&p.none) {
        if !OPEN_FIELDS.contains(&listed.get_ref().as_str()) {
            let hint = hint(listed.get_ref(), OPEN_FIELDS.iter().copied());
            r.at(
                listed,
                format!(
                    "`{}` is not an open field (one of {}){hint}",
                    listed.get_ref(),
                    OPEN_FIELDS.join(", ")
                ),
            );
        }
    }
    let processor = known
        .set
        .organisations
        .iter()
        .find(|o| o.item.id.get_ref() == s.service.processor.get_ref());
    for field in OPEN_FIELDS {
        let filled = match *field {
            "controllers" => !s.controllers.is_empty(),
            "sub_processors" => !s.sub_processors.is_empty(),
            "transfers" => !s.transfers.is_empty(),
            "security_measures" => !s.security_measures.is_empty(),
            "representative" => processor.is_some_and(|o| o.item.representative.is_some()),
            _ => processor.is_some_and(|o| o.item.dpo.is_some()),
        };
        let not_stated = p.not_stated.iter().find(|x| x.get_ref() == field);
        let none = p.none.iter().find(|x| x.get_ref() == field);
        match (filled, not_stated.or(none)) {
            (false, None) => r.at(
                &s.service.id,
                format!("`{field}` is empty: give it, or list it in processing.not_stated (the source does not say) or processing.none (the source says there are none)"),
            ),
            (true, Some(listed)) => r.at(listed, format!("`{field}` is listed as open but the record states it")),
            _ => {}
        }
        if let (Some(a), Some(_)) = (not_stated, none) {
            r.at(a, format!("`{field}` cannot be both not_stated and none"));
        }
    }
}

fn check_instructions(s: &ServiceFile, known: &Known<'_>, r: &mut Report<'_>) {
    let mut ids = Ids::default();
    for i in &s.instructions {
        ids.define("instruction", &i.id, r);
        match (&i.enforced_by, &i.manual) {
            (Some(_), Some(_)) => r.at(&i.id, "an instruction is either `enforced_by` a rule or `manual`, not both"),
            (None, None) => r.at(&i.id, "an instruction needs `enforced_by = \"retention:<id>\"` (or `review:<id>`) or `manual = { owner = \"…\" }`"),
            (Some(by), None) => check_enforced_by(by, known, r),
            (None, Some(m)) if m.owner.trim().is_empty() => r.at(&i.id, "a manual instruction needs an owner"),
            _ => {}
        }
    }
    // A processor acts only on documented instructions (Art. 28(3)(a)): every rule traces to one.
    let linked = |kind: &str, id: &str| {
        s.instructions.iter().any(|i| {
            i.enforced_by
                .as_ref()
                .is_some_and(|b| b.get_ref() == &format!("{kind}:{id}"))
        })
    };
    for rule in &s.retention {
        if !linked("retention", rule.id.get_ref()) {
            r.at(&rule.id, format!("retention rule `{0}` carries out no instruction: add `enforced_by = \"retention:{0}\"` to the instruction it enforces", rule.id.get_ref()));
        }
    }
    for review in &s.reviews {
        if !linked("review", review.id.get_ref()) {
            r.at(&review.id, format!("review policy `{0}` carries out no instruction: add `enforced_by = \"review:{0}\"` to the instruction it enforces", review.id.get_ref()));
        }
    }
}

fn check_enforced_by(by: &Sp<String>, known: &Known<'_>, r: &mut Report<'_>) {
    match by.get_ref().split_once(':') {
        Some((kind @ ("retention" | "review"), id)) if known.rule_exists(kind, id) => {}
        Some((kind @ ("retention" | "review"), id)) => r.at(
            by,
            format!("`enforced_by` names {kind} `{id}`, which no service declares"),
        ),
        _ => r.at(
            by,
            format!(
                "`enforced_by` must be `retention:<id>` or `review:<id>`, got `{}`",
                by.get_ref()
            ),
        ),
    }
}
