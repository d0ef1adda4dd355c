//! Checks of retention rules and review policies: identifiers, periods, schedules, guards.

use super::duration::Period;
use super::ident::check_ident;
use super::known::{Known, Report};
use super::reviewer::Reviewer;
use super::schedule::{parse_cron, parse_timezone};
use super::spec::{RetentionAction, RetentionRule, ReviewKind, ReviewPolicy, RevokeAction, Sp};

pub(super) fn check_retention(rule: &RetentionRule, known: &Known<'_>, r: &mut Report<'_>) {
    known.datasource(&rule.datasource, r);
    for name in [&rule.table, &rule.key, &rule.timestamp] {
        r.result(name, check_ident(name.get_ref()));
    }
    r.result(
        &rule.keep_for,
        Period::parse(rule.keep_for.get_ref()).map(|_| ()),
    );
    check_schedule(&rule.schedule, &rule.timezone, r);
    match (rule.action, &rule.anonymize) {
        (RetentionAction::Anonymize, None) => {
            r.at(&rule.id, "action `anonymize` needs `anonymize = { columns = [...], method = \"null\" | \"hash\" }`")
        }
        (RetentionAction::Delete, Some(a)) => r.at(a, "`anonymize` is only allowed with action = \"anonymize\""),
        (RetentionAction::Anonymize, Some(a)) => {
            if a.get_ref().columns.is_empty() {
                r.at(a, "`anonymize.columns` must list at least one column");
            }
            for c in &a.get_ref().columns {
                r.result(c, check_ident(c.get_ref()));
                if c.get_ref() == rule.key.get_ref() || c.get_ref() == rule.timestamp.get_ref() {
                    r.at(c, "the key and timestamp columns cannot be anonymized: they prove the run");
                }
            }
        }
        (RetentionAction::Delete, None) => {}
    }
    check_guards(&rule.max_rows, &rule.max_percent, r);
}

pub(super) fn check_review(review: &ReviewPolicy, known: &Known<'_>, r: &mut Report<'_>) {
    check_schedule(&review.schedule, &review.timezone, r);
    r.result(&review.due, Period::parse(review.due.get_ref()).map(|_| ()));
    if review.reviewers.is_empty() {
        r.at(
            &review.id,
            "a review policy needs at least one reviewer (`role:dpo`, or a token as `token:<id>`)",
        );
    }
    for reviewer in &review.reviewers {
        r.result(reviewer, reviewer.get_ref().parse::<Reviewer>().map(|_| ()));
    }
    let source = review.source.get_ref();
    match (source.csv, &source.datasource) {
        (Some(true), None) => {}
        (Some(true), Some(ds)) => r.at(
            ds,
            "a source is either `csv = true` or a datasource table, not both",
        ),
        (_, Some(ds)) => {
            known.datasource(ds, r);
            let required = [
                ("table", &source.table),
                ("key", &source.key),
                ("display", &source.display),
            ];
            for (field, value) in required {
                match value {
                    Some(v) => r.result(v, check_ident(v.get_ref())),
                    None => r.at(
                        &review.source,
                        format!("a datasource source needs `{field}`"),
                    ),
                }
            }
            for v in [&source.role, &source.last_activity].into_iter().flatten() {
                r.result(v, check_ident(v.get_ref()));
            }
        }
        (_, None) => r.at(
            &review.source,
            "a source needs `datasource` and `table`, or `csv = true`",
        ),
    }
    match (review.kind, &review.roster) {
        (ReviewKind::Exit, None) => r.at(
            &review.id,
            "an exit review needs `roster = { datasource, table, key }`",
        ),
        (ReviewKind::Exit, Some(roster)) => {
            let roster = roster.get_ref();
            known.datasource(&roster.datasource, r);
            r.result(&roster.table, check_ident(roster.table.get_ref()));
            r.result(&roster.key, check_ident(roster.key.get_ref()));
        }
        (_, Some(roster)) => r.at(roster, "`roster` is only used by kind = \"exit\""),
        (_, None) => {}
    }
    if let Some(revoke) = &review.revoke {
        let v = revoke.get_ref();
        match (v.action, &v.column, &v.value) {
            (RevokeAction::Set, Some(c), Some(_)) => r.result(c, check_ident(c.get_ref())),
            (RevokeAction::Set, _, _) => {
                r.at(revoke, "revoke action `set` needs `column` and `value`")
            }
            (RevokeAction::Delete, Some(c), _) => r.at(c, "revoke action `delete` takes no column"),
            (RevokeAction::Delete, None, _) => {}
        }
        if source.csv == Some(true) {
            r.at(
                revoke,
                "a revoke action needs a datasource source; an uploaded CSV has nothing to act on",
            );
        }
    }
    check_guards(&review.max_rows, &review.max_percent, r);
}

fn check_schedule(cron: &Sp<String>, tz: &Sp<String>, r: &mut Report<'_>) {
    r.result(cron, parse_cron(cron.get_ref()).map(|_| ()));
    r.result(tz, parse_timezone(tz.get_ref()).map(|_| ()));
}

fn check_guards(max_rows: &Option<Sp<i64>>, max_percent: &Option<Sp<i64>>, r: &mut Report<'_>) {
    if let Some(n) = max_rows {
        if *n.get_ref() < 1 {
            r.at(n, "`max_rows` must be at least 1");
        }
    }
    if let Some(p) = max_percent {
        if !(1..=100).contains(p.get_ref()) {
            r.at(p, "`max_percent` must be between 1 and 100");
        }
    }
}
