//! Opening a campaign: snapshot the accounts (all, what changed since the last closed campaign,
//! or those missing from a roster), assign the policy's reviewers, set the due date.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{review_campaigns, review_items};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};

use super::accounts::{self, Account};
use super::policy::{self, Policy};
use crate::context::AppState;
use crate::policy::spec::ReviewKind;
use entity::review_campaigns::CampaignStatus;

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("no review policy `{0}`")]
    UnknownPolicy(String),
    #[error("review policy `{0}` already has a campaign for this occurrence")]
    AlreadyOpened(String),
    #[error("{0}")]
    Source(String),
    /// The source's or the roster's datasource failed.
    #[error("{0}")]
    Datasource(String),
    #[error(transparent)]
    Store(#[from] anyhow::Error),
}

/// Open a campaign of `policy_id` now. `csv` gives the accounts of a CSV-sourced policy.
pub async fn open(
    state: &AppState,
    policy_id: &str,
    scheduled_for: Option<DateTime<Utc>>,
    csv: Option<Vec<Account>>,
) -> Result<i32, OpenError> {
    let p = policy::load(&state.db, policy_id)
        .await?
        .ok_or_else(|| OpenError::UnknownPolicy(policy_id.to_owned()))?;
    let is_csv = p.spec.source.get_ref().csv == Some(true);
    let accounts = match csv {
        // Its close would revoke on the datasource the accounts of a list it never read.
        Some(_) if !is_csv => {
            return Err(OpenError::Source(format!(
                "`{policy_id}` reads its accounts from its datasource: a CSV is for CSV policies"
            )))
        }
        Some(a) => a,
        None if is_csv => {
            return Err(OpenError::Source(format!(
                "`{policy_id}` reviews an uploaded CSV: upload one to open a campaign"
            )))
        }
        None => {
            let ds = state
                .datasources
                .get(
                    p.spec
                        .source
                        .get_ref()
                        .datasource
                        .as_ref()
                        .map(|d| d.get_ref().as_str())
                        .unwrap_or_default(),
                )
                .await
                .map_err(|e| OpenError::Datasource(e.to_string()))?;
            accounts::from_datasource(&ds, &p.spec)
                .await
                .map_err(OpenError::Datasource)?
        }
    };
    let items = select(state, &p, accounts).await?;
    let now = state.clock.now();
    let trigger = if scheduled_for.is_some() {
        "schedule"
    } else {
        "manual"
    };
    let txn = crate::db::begin_write(&state.db)
        .await
        .map_err(anyhow::Error::from)?;
    let campaign = review_campaigns::ActiveModel {
        policy_id: Set(policy_id.to_owned()),
        policy_hash: Set(p.hash.clone()),
        kind: Set(kind_name(p.spec.kind).to_owned()),
        trigger: Set(trigger.to_owned()),
        scheduled_for: Set(scheduled_for),
        opened_at: Set(now),
        due_at: Set(p.due_at(now)),
        status: Set(CampaignStatus::Open),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            OpenError::AlreadyOpened(policy_id.to_owned())
        }
        _ => OpenError::Store(e.into()),
    })?;
    let rows: Vec<_> = items
        .into_iter()
        .map(|(a, change)| review_items::ActiveModel {
            campaign_id: Set(campaign.id),
            account_key: Set(a.key),
            display: Set(a.display),
            role: Set(a.role),
            last_activity: Set(a.last_activity),
            change: Set(change.to_owned()),
            ..Default::default()
        })
        .collect();
    for chunk in rows.chunks(500) {
        review_items::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await
            .map_err(anyhow::Error::from)?;
    }
    txn.commit().await.map_err(anyhow::Error::from)?;
    tracing::info!(
        policy = policy_id,
        campaign = campaign.id,
        "review campaign opened"
    );
    Ok(campaign.id)
}

pub fn kind_name(k: ReviewKind) -> &'static str {
    match k {
        ReviewKind::Snapshot => "snapshot",
        ReviewKind::Differential => "differential",
        ReviewKind::Exit => "exit",
    }
}

/// The items a campaign of this kind reviews, each with how it changed.
async fn select(
    state: &AppState,
    p: &Policy,
    accounts: Vec<Account>,
) -> Result<Vec<(Account, &'static str)>, OpenError> {
    Ok(match p.spec.kind {
        ReviewKind::Snapshot => accounts.into_iter().map(|a| (a, "current")).collect(),
        ReviewKind::Differential => differential(&last_closed(state, p.id()).await?, accounts),
        ReviewKind::Exit => {
            let roster_ds = p
                .spec
                .roster
                .as_ref()
                .map(|r| r.get_ref().datasource.get_ref().clone())
                .unwrap_or_default();
            let ds = state
                .datasources
                .get(&roster_ds)
                .await
                .map_err(|e| OpenError::Datasource(e.to_string()))?;
            let roster = accounts::roster(&ds, &p.spec)
                .await
                .map_err(OpenError::Datasource)?;
            accounts
                .into_iter()
                .filter(|a| !roster.contains(&a.key))
                .map(|a| (a, "not_in_roster"))
                .collect()
        }
    })
}

/// The accounts as the closed campaigns of `policy` left them, by key: each campaign's items
/// applied in turn, as a differential campaign lists only what changed since the one before
/// (the first lists everyone). A removed account, and one a revocation deleted, leave it.
async fn last_closed(state: &AppState, policy: &str) -> anyhow::Result<HashMap<String, Account>> {
    let closed = review_campaigns::Entity::find()
        .filter(review_campaigns::Column::PolicyId.eq(policy))
        .filter(review_campaigns::Column::Status.eq(CampaignStatus::Closed))
        .order_by_asc(review_campaigns::Column::Id)
        .all(&state.db)
        .await?;
    let mut accounts = HashMap::new();
    for campaign in closed {
        let items = review_items::Entity::find()
            .filter(review_items::Column::CampaignId.eq(campaign.id))
            .all(&state.db)
            .await?;
        for i in items {
            if i.change == "removed" || i.action.as_deref() == Some("deleted") {
                accounts.remove(&i.account_key);
                continue;
            }
            let account = Account {
                key: i.account_key.clone(),
                display: i.display,
                role: i.role,
                last_activity: i.last_activity,
            };
            accounts.insert(i.account_key, account);
        }
    }
    Ok(accounts)
}

/// Added, changed (display or role) and removed accounts; unchanged ones need no new look.
pub fn differential(
    previous: &HashMap<String, Account>,
    now: Vec<Account>,
) -> Vec<(Account, &'static str)> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for a in now {
        seen.insert(a.key.clone());
        match previous.get(&a.key) {
            None => out.push((a, "added")),
            Some(p) if p.display != a.display || p.role != a.role => out.push((a, "changed")),
            Some(_) => {}
        }
    }
    let mut removed: Vec<_> = previous
        .values()
        .filter(|p| !seen.contains(&p.key))
        .cloned()
        .collect();
    removed.sort_by(|a, b| a.key.cmp(&b.key));
    out.extend(removed.into_iter().map(|a| (a, "removed")));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acc(k: &str, role: &str) -> Account {
        Account {
            key: k.into(),
            display: format!("User {k}"),
            role: Some(role.into()),
            last_activity: None,
        }
    }

    #[test]
    fn differential_lists_added_changed_and_removed_only() {
        let prev: HashMap<_, _> = [acc("1", "admin"), acc("2", "admin"), acc("3", "user")]
            .into_iter()
            .map(|a| (a.key.clone(), a))
            .collect();
        let got = differential(
            &prev,
            vec![acc("1", "admin"), acc("2", "user"), acc("4", "admin")],
        );
        let summary: Vec<(&str, &str)> = got.iter().map(|(a, c)| (a.key.as_str(), *c)).collect();
        assert_eq!(
            summary,
            vec![("2", "changed"), ("4", "added"), ("3", "removed")]
        );
    }
}
