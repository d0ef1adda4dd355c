//! Closing a campaign: every item decided, revocations run their action on the source (within
//! the policy's guard, or with a DPO's approval), and one evidence entry with counts, the
//! policy's version hash and a keyed hash over the decisions — no names, no account ids.

use chrono::TimeDelta;
use entity::{review_campaigns, review_items};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, Statement,
};

use super::policy::{self, Policy};
use super::ReviewError;
use crate::context::AppState;
use crate::datasource::sql::{key_as_text, param, quote};
use crate::evidence::{self, Event, Subject};
use crate::policy::spec::RevokeAction;

#[derive(Debug, Default, Clone, Copy, serde::Serialize, utoipa::ToSchema)]
pub struct Tally {
    pub items: u64,
    pub kept: u64,
    pub revoked: u64,
    pub unsure: u64,
    pub revocations_applied: u64,
    pub revocations_failed: u64,
}

/// A close still holding its campaign this long after it took it was cut off (the process
/// stopped): a DPO's close with approval may take it over. A close that is still working is
/// never taken over, however long its request waited.
pub const CLOSE_STALE_AFTER: TimeDelta = TimeDelta::hours(1);

/// Close campaign `id`. `approved` passes the revocation guard (a DPO's explicit approval).
///
/// The close first takes the campaign from `open` to `closing` under a token of its own, so no
/// decision changes under it and a second close is refused; a close refused by its checks gives
/// it back. Only the close holding the token commits, once.
pub async fn close(state: &AppState, id: i32, approved: bool) -> Result<Tally, ReviewError> {
    let c = review_campaigns::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| ReviewError::NotFound(format!("no campaign {id}")))?;
    let now = state.clock.now();
    let token = uuid::Uuid::new_v4().to_string();
    let cut_off = c.closing_at.is_some_and(|at| now - at >= CLOSE_STALE_AFTER);
    let took = match c.status.as_str() {
        "open" => take(&state.db, &c, &token, now).await?,
        "closing" if approved && cut_off => take(&state.db, &c, &token, now).await?,
        "closing" => false,
        _ => {
            return Err(ReviewError::Conflict(format!(
                "campaign {id} is already closed"
            )))
        }
    };
    if !took {
        return Err(ReviewError::Conflict(format!(
            "campaign {id} is being closed; a close cut off for an hour or more is taken over by a DPO's close with approval"
        )));
    }
    let (items, p) = match checked(state, &c, approved).await {
        Ok(checked) => checked,
        Err(refused) => {
            if c.status == "open" {
                give_back(&state.db, id, &token).await?;
            }
            return Err(refused);
        }
    };
    revoke_and_record(state, &c, &items, &p, &token).await
}

/// Take campaign `c` as it was read (open, or closing under another token) into `closing`
/// under `token`; whether no one else changed it first.
async fn take(
    db: &impl ConnectionTrait,
    c: &review_campaigns::Model,
    token: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<bool, sea_orm::DbErr> {
    let holder = match &c.closing_by {
        Some(by) => review_campaigns::Column::ClosingBy.eq(by.clone()),
        None => review_campaigns::Column::ClosingBy.is_null(),
    };
    let done = review_campaigns::Entity::update_many()
        .col_expr(review_campaigns::Column::Status, Expr::value("closing"))
        .col_expr(
            review_campaigns::Column::ClosingBy,
            Expr::value(Some(token.to_owned())),
        )
        .col_expr(review_campaigns::Column::ClosingAt, Expr::value(Some(now)))
        .filter(review_campaigns::Column::Id.eq(c.id))
        .filter(review_campaigns::Column::Status.eq(c.status.clone()))
        .filter(holder)
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// Give campaign `id`, closing under `token`, back to `open`.
async fn give_back(db: &impl ConnectionTrait, id: i32, token: &str) -> Result<(), sea_orm::DbErr> {
    review_campaigns::Entity::update_many()
        .col_expr(review_campaigns::Column::Status, Expr::value("open"))
        .col_expr(
            review_campaigns::Column::ClosingBy,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            review_campaigns::Column::ClosingAt,
            Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
        )
        .filter(review_campaigns::Column::Id.eq(id))
        .filter(review_campaigns::Column::Status.eq("closing"))
        .filter(review_campaigns::Column::ClosingBy.eq(token))
        .exec(db)
        .await?;
    Ok(())
}

/// The items of campaign `c` and its policy, if the campaign may close: every item decided,
/// the revocations within the policy's guard (or `approved`).
async fn checked(
    state: &AppState,
    c: &review_campaigns::Model,
    approved: bool,
) -> Result<(Vec<review_items::Model>, Policy), ReviewError> {
    let items = review_items::Entity::find()
        .filter(review_items::Column::CampaignId.eq(c.id))
        .all(&state.db)
        .await?;
    let undecided = items.iter().filter(|i| i.decision.is_none()).count();
    if undecided > 0 {
        return Err(ReviewError::Conflict(format!(
            "{undecided} of {} items are undecided",
            items.len()
        )));
    }
    let p = policy::load(&state.db, &c.policy_id)
        .await?
        .ok_or_else(|| {
            ReviewError::NotFound(format!("review policy `{}` is retired", c.policy_id))
        })?;
    let revoke = revocations_of(&items);
    if !approved {
        if let Some(why) = guard(&p, revoke.len() as u64, items.len() as u64) {
            return Err(ReviewError::Conflict(format!(
                "{why}: a DPO must close it with approval"
            )));
        }
    }
    Ok((items, p))
}

/// The revocations of a checked campaign on its source, then its items' actions, its evidence
/// and its status, in one transaction.
async fn revoke_and_record(
    state: &AppState,
    c: &review_campaigns::Model,
    items: &[review_items::Model],
    p: &Policy,
    token: &str,
) -> Result<Tally, ReviewError> {
    let id = c.id;
    let revoke = revocations_of(items);
    let mut tally = Tally {
        items: items.len() as u64,
        ..Default::default()
    };
    for i in items {
        match i.decision.as_deref() {
            Some("keep") => tally.kept += 1,
            Some("revoke") => tally.revoked += 1,
            _ => tally.unsure += 1,
        }
    }
    let actions = revocations(state, p, &revoke).await;
    let now = state.clock.now();
    let txn = crate::db::begin_write(&state.db).await?;
    for (item, outcome) in revoke.iter().zip(&actions) {
        match outcome {
            Ok(label) => tally.revocations_applied += u64::from(*label != "no_action"),
            Err(_) => tally.revocations_failed += 1,
        }
        let label = outcome
            .as_ref()
            .map(|l| l.to_string())
            .unwrap_or_else(|e| format!("failed: {e}"));
        let mut a: review_items::ActiveModel = (*item).clone().into();
        a.action = Set(Some(label));
        a.update(&txn).await?;
    }
    let event = Event::ReviewClosed {
        campaign_id: id,
        policy: c.policy_id.clone(),
        policy_hash: c.policy_hash.clone(),
        items: tally.items,
        kept: tally.kept,
        revoked: tally.revoked,
        unsure: tally.unsure,
        revocations_applied: tally.revocations_applied,
        revocations_failed: tally.revocations_failed,
        decisions_hmac: decisions_hmac(state, items),
    };
    evidence::append_for(&txn, &event, Subject::ReviewCampaign(id), now)
        .await
        .map_err(|e| ReviewError::Store(e.into()))?;
    // Only the close that holds the campaign commits: one that took it over, or got here
    // first, leaves this one nothing to update.
    let done = review_campaigns::Entity::update_many()
        .col_expr(review_campaigns::Column::Status, Expr::value("closed"))
        .col_expr(review_campaigns::Column::ClosedAt, Expr::value(Some(now)))
        .filter(review_campaigns::Column::Id.eq(id))
        .filter(review_campaigns::Column::Status.eq("closing"))
        .filter(review_campaigns::Column::ClosingBy.eq(token))
        .exec(&txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(ReviewError::Conflict(format!(
            "campaign {id} was taken over or closed by another close meanwhile"
        )));
    }
    state
        .sequencer
        .commit_and_sign(txn, &state.db, &state.keys, now)
        .await?;
    tracing::info!(
        campaign = id,
        items = tally.items,
        revoked = tally.revoked,
        "review campaign closed"
    );
    Ok(tally)
}

/// The items to revoke on the source: decided `revoke`, and still there.
fn revocations_of(items: &[review_items::Model]) -> Vec<&review_items::Model> {
    items
        .iter()
        .filter(|i| i.decision.as_deref() == Some("revoke") && i.change != "removed")
        .collect()
}

fn guard(p: &Policy, revocations: u64, items: u64) -> Option<String> {
    if let Some(max) = &p.spec.max_rows {
        if revocations > *max.get_ref() as u64 {
            return Some(format!(
                "{revocations} revocations, more than max_rows = {}",
                max.get_ref()
            ));
        }
    }
    if let Some(pct) = &p.spec.max_percent {
        if items > 0 && revocations * 100 > *pct.get_ref() as u64 * items {
            return Some(format!(
                "{revocations} of {items} revoked, more than max_percent = {}%",
                pct.get_ref()
            ));
        }
    }
    None
}

/// A keyed hash over every (key, decision, justification, decider), in key order: it commits
/// to the decisions without putting a name or an account id in the log.
fn decisions_hmac(state: &AppState, items: &[review_items::Model]) -> String {
    let mut sorted: Vec<&review_items::Model> = items.iter().collect();
    sorted.sort_by(|a, b| a.account_key.cmp(&b.account_key));
    let mut parts: Vec<&[u8]> = Vec::new();
    for i in &sorted {
        parts.push(i.account_key.as_bytes());
        parts.push(i.decision.as_deref().unwrap_or("").as_bytes());
        parts.push(i.justification.as_deref().unwrap_or("").as_bytes());
        parts.push(i.decided_by.as_deref().unwrap_or("").as_bytes());
    }
    state.installation_key.hmac_hex(&parts)
}

/// Run the policy's revoke action for each revoked item: `Ok(what was done)` or the error.
async fn revocations(
    state: &AppState,
    p: &Policy,
    items: &[&review_items::Model],
) -> Vec<Result<&'static str, String>> {
    let (Some(action), Some(ds)) = (&p.spec.revoke, &p.spec.source.get_ref().datasource) else {
        return items.iter().map(|_| Ok("no_action")).collect();
    };
    let db = match state.datasources.get(ds.get_ref()).await {
        Ok(db) => db,
        Err(e) => return items.iter().map(|_| Err(e.to_string())).collect(),
    };
    let mut out = Vec::with_capacity(items.len());
    for i in items {
        out.push(revoke_one(&db, p, action.get_ref(), &i.account_key).await);
    }
    out
}

async fn revoke_one(
    db: &DatabaseConnection,
    p: &Policy,
    action: &crate::policy::spec::Revoke,
    key: &str,
) -> Result<&'static str, String> {
    let b = db.get_database_backend();
    let src = p.spec.source.get_ref();
    let table = quote(b, src.table.as_ref().ok_or("no table")?.get_ref())?;
    let key_col = key_as_text(b, &quote(b, src.key.as_ref().ok_or("no key")?.get_ref())?);
    let (sql, values, label) = match (action.action, &action.column) {
        (RevokeAction::Set, Some(col)) => (
            format!(
                "UPDATE {table} SET {} = {} WHERE {key_col} = {}",
                quote(b, col.get_ref())?,
                param(b, 1),
                param(b, 2)
            ),
            vec![
                typed(action.value.as_deref().unwrap_or_default()),
                key.to_owned().into(),
            ],
            "disabled",
        ),
        _ => (
            format!("DELETE FROM {table} WHERE {key_col} = {}", param(b, 1)),
            vec![key.to_owned().into()],
            "deleted",
        ),
    };
    let done = db
        .execute_raw(Statement::from_sql_and_values(b, sql, values))
        .await
        .map_err(|e| e.to_string())?;
    if done.rows_affected() == 0 {
        return Err("the account is no longer in the source".into());
    }
    Ok(label)
}

/// A revoke value bound in the type its text suggests: integer, boolean, else text — so
/// `value = "1"` sets an integer column and `value = "true"` a boolean one on every engine.
fn typed(v: &str) -> sea_orm::Value {
    match (v.parse::<i64>(), v) {
        (Ok(i), _) => i.into(),
        (_, "true") => true.into(),
        (_, "false") => false.into(),
        _ => v.to_owned().into(),
    }
}
