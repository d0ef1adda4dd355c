//! A rule's status, built once for every edge: the rule with its next run (in its time zone),
//! its last run, and its breach state as the last check or run recorded it — no datasource is
//! asked while a page renders.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use super::breach::{self, BreachView};
use super::rule;
use super::views::{rule_views, runs_page, RuleView, RunRow};

#[derive(Debug)]
pub struct RuleStatus {
    pub rule: RuleView,
    pub last: Option<RunRow>,
    pub breach: BreachView,
}

/// Every rule's status at `now`.
pub async fn all(db: &impl ConnectionTrait, now: DateTime<Utc>) -> anyhow::Result<Vec<RuleStatus>> {
    let rules = rule::list(db).await?;
    let mut breaches = breach::recorded(db, &rules, now).await?;
    let mut out = Vec::new();
    for view in rule_views(db, now).await? {
        let last = runs_page(db, Some(&view.id), None, 1, 0)
            .await?
            .items
            .into_iter()
            .next();
        let Some(at) = breaches.iter().position(|b| b.rule == view.id) else {
            continue;
        };
        out.push(RuleStatus {
            breach: breaches.swap_remove(at),
            rule: view,
            last,
        });
    }
    Ok(out)
}

/// Rule `id`'s status, if there is such a rule.
pub async fn of(
    db: &impl ConnectionTrait,
    id: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<RuleStatus>> {
    Ok(all(db, now).await?.into_iter().find(|s| s.rule.id == id))
}
