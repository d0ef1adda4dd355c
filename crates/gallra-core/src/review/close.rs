//! Closing a campaign: every item decided, revocations run their action on the source (within
//! the policy's guard, or with a DPO's approval), and one evidence entry with counts, the
//! policy's version hash and a keyed hash over the decisions — no names, no account ids.

use entity::{review_campaigns, review_items};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter,
};

use super::policy::{self, Policy};
use super::revoke;
use super::ReviewError;
use crate::context::AppState;
use crate::evidence::{self, Event, Subject};
use crate::retention::lock;
use entity::review_campaigns::CampaignStatus;
use entity::review_items::Decision;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct Tally {
    pub items: u64,
    pub kept: u64,
    pub revoked: u64,
    pub unsure: u64,
    pub revocations_applied: u64,
    pub revocations_failed: u64,
}

/// The run lock a close holds (`retention::lock`): it dies with its process, so a campaign left
/// `closing` whose lock is free was cut off, and is known as such at once.
pub fn close_lock(id: i32) -> String {
    format!("review-close-{id}")
}

/// Close campaign `id`. `approved` passes the revocation guard (a DPO's explicit approval).
///
/// The close holds the campaign's close lock, and takes the campaign from `open` to `closing`
/// under a token of its own, so no decision changes under it and a second close is refused; a
/// close refused by its checks gives it back. A campaign left `closing` by a close whose
/// process is gone (its lock free) is taken over and finished: the revocations its journal
/// shows applied are counted once, the rest are run.
/// Close campaign `id`, to its end whatever becomes of the caller: a close dropped part way
/// would leave accounts revoked with no evidence of them. Every edge calls this.
pub async fn start_close(state: &AppState, id: i32, approved: bool) -> Result<Tally, ReviewError> {
    let state = state.clone();
    crate::detached::to_completion(async move { close(&state, id, approved).await }).await?
}

pub async fn close(state: &AppState, id: i32, approved: bool) -> Result<Tally, ReviewError> {
    let c = review_campaigns::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| ReviewError::NotFound(format!("no campaign {id}")))?;
    let Some(lock) = lock::try_lock(&state.db, &close_lock(id)).await? else {
        return Err(ReviewError::Conflict(format!(
            "campaign {id} is being closed by a working close"
        )));
    };
    let done = close_locked(state, c, approved, &lock).await;
    lock.release().await;
    done
}

/// At start: finish the closes a stopped process left part way through their revocations, and
/// give back to `open` those it left before any.
pub async fn settle_at_start(state: &AppState) -> Result<usize, ReviewError> {
    let closing = review_campaigns::Entity::find()
        .filter(review_campaigns::Column::Status.eq(CampaignStatus::Closing))
        .all(&state.db)
        .await?;
    let mut settled = 0;
    for c in closing {
        let Some(lock) = lock::try_lock(&state.db, &close_lock(c.id)).await? else {
            continue;
        };
        let done = match begun(&state.db, c.id).await {
            Ok(true) => close_locked(state, c, false, &lock).await.map(|_| ()),
            Ok(false) => give_back_any(&state.db, c.id).await.map_err(Into::into),
            Err(e) => Err(e.into()),
        };
        lock.release().await;
        done?;
        settled += 1;
    }
    Ok(settled)
}

/// Whether a revocation of campaign `id` has begun: an item has an action recorded.
async fn begun(db: &impl ConnectionTrait, id: i32) -> Result<bool, sea_orm::DbErr> {
    let n = review_items::Entity::find()
        .filter(review_items::Column::CampaignId.eq(id))
        .filter(review_items::Column::Action.is_not_null())
        .count(db)
        .await?;
    Ok(n > 0)
}

async fn close_locked(
    state: &AppState,
    c: review_campaigns::Model,
    approved: bool,
    lock: &lock::RunLock,
) -> Result<Tally, ReviewError> {
    let id = c.id;
    let now = state.clock.now();
    let token = uuid::Uuid::new_v4().to_string();
    let took = match c.status {
        // `closing` with its lock free: the close that took it is gone.
        CampaignStatus::Open | CampaignStatus::Closing => take(&state.db, &c, &token, now).await?,
        CampaignStatus::Closed => {
            return Err(ReviewError::Conflict(format!(
                "campaign {id} is already closed"
            )))
        }
    };
    if !took {
        return Err(ReviewError::Conflict(format!(
            "campaign {id} is being closed"
        )));
    }
    // Revocations already begun passed the checks (and guard) of the close that began them.
    let resumed = begun(&state.db, id).await?;
    let (items, p) = match checked(state, &c, approved || resumed).await {
        Ok(checked) => checked,
        Err(refused) => {
            give_back(&state.db, id, &token).await?;
            return Err(refused);
        }
    };
    revoke_and_record(state, &c, &items, &p, &token, resumed, lock).await
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
        .col_expr(
            review_campaigns::Column::Status,
            Expr::value(CampaignStatus::Closing),
        )
        .col_expr(
            review_campaigns::Column::ClosingBy,
            Expr::value(Some(token.to_owned())),
        )
        .col_expr(review_campaigns::Column::ClosingAt, Expr::value(Some(now)))
        .filter(review_campaigns::Column::Id.eq(c.id))
        .filter(review_campaigns::Column::Status.eq(c.status))
        .filter(holder)
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// Give campaign `id`, closing under whatever token, back to `open`: its close is gone.
async fn give_back_any(db: &impl ConnectionTrait, id: i32) -> Result<(), sea_orm::DbErr> {
    review_campaigns::Entity::update_many()
        .col_expr(
            review_campaigns::Column::Status,
            Expr::value(CampaignStatus::Open),
        )
        .col_expr(
            review_campaigns::Column::ClosingBy,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            review_campaigns::Column::ClosingAt,
            Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
        )
        .filter(review_campaigns::Column::Id.eq(id))
        .filter(review_campaigns::Column::Status.eq(CampaignStatus::Closing))
        .exec(db)
        .await?;
    Ok(())
}

/// Give campaign `id`, closing under `token`, back to `open`.
async fn give_back(db: &impl ConnectionTrait, id: i32, token: &str) -> Result<(), sea_orm::DbErr> {
    review_campaigns::Entity::update_many()
        .col_expr(
            review_campaigns::Column::Status,
            Expr::value(CampaignStatus::Open),
        )
        .col_expr(
            review_campaigns::Column::ClosingBy,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            review_campaigns::Column::ClosingAt,
            Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
        )
        .filter(review_campaigns::Column::Id.eq(id))
        .filter(review_campaigns::Column::Status.eq(CampaignStatus::Closing))
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
    resumed: bool,
    lock: &lock::RunLock,
) -> Result<Tally, ReviewError> {
    let id = c.id;
    let revoke = revocations_of(items);
    let mut tally = Tally {
        items: items.len() as u64,
        ..Default::default()
    };
    for i in items {
        match i.decision {
            Some(Decision::Keep) => tally.kept += 1,
            Some(Decision::Revoke) => tally.revoked += 1,
            Some(Decision::Unsure) | None => tally.unsure += 1,
        }
    }
    // A close that lost its lock stops, `closing` with its revocations journaled: the close
    // that next takes it (or the next start) finishes them.
    let actions = revoke::run(state, p, &revoke, lock).await.map_err(|e| {
        ReviewError::Conflict(format!(
            "closing campaign {id} stopped: {e}; the close that next takes the campaign \
                 finishes its revocations"
        ))
    })?;
    crate::pause::at("before-close-evidence", None).await;
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
        resumed,
    };
    evidence::append_for(&txn, &event, Subject::ReviewCampaign(id), now)
        .await
        .map_err(|e| ReviewError::Store(e.into()))?;
    // Only the close that holds the campaign commits: one that took it over, or got here
    // first, leaves this one nothing to update.
    let done = review_campaigns::Entity::update_many()
        .col_expr(
            review_campaigns::Column::Status,
            Expr::value(CampaignStatus::Closed),
        )
        .col_expr(review_campaigns::Column::ClosedAt, Expr::value(Some(now)))
        .filter(review_campaigns::Column::Id.eq(id))
        .filter(review_campaigns::Column::Status.eq(CampaignStatus::Closing))
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
        .filter(|i| i.decision == Some(Decision::Revoke) && i.change != "removed")
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
        parts.push(i.decision.map_or("", Decision::as_str).as_bytes());
        parts.push(i.justification.as_deref().unwrap_or("").as_bytes());
        parts.push(i.decided_by.as_deref().unwrap_or("").as_bytes());
    }
    state.installation_key.hmac_hex(&parts)
}
