//! Deciding an item: keep, revoke or unsure; keep and revoke need a justification (the seeds'
//! test: a work-related need for access). Only an assigned reviewer, a DPO or an admin decides.

use entity::{review_campaigns, review_items};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QuerySelect,
};
use serde::Deserialize;

use super::policy;
use super::views::ItemView;
use super::{ReviewError, Visible};
use crate::auth::Principal;
use crate::context::AppState;
use entity::review_campaigns::CampaignStatus;

/// The one decision type: the store's column is typed by it.
pub use entity::review_items::Decision;

/// Campaign `id` when `who` may decide its items (an assigned reviewer, a DPO or an admin).
/// A caller that sees only its own campaigns is refused alike whether or not the campaign
/// exists, so the refusal tells it nothing of others' campaigns.
pub async fn decidable(
    db: &impl ConnectionTrait,
    id: i32,
    who: &Principal,
) -> Result<review_campaigns::Model, ReviewError> {
    let Some(c) = review_campaigns::Entity::find_by_id(id).one(db).await? else {
        return Err(refusal(db, who, format!("no campaign {id}")).await);
    };
    match policy::load(db, &c.policy_id).await? {
        Some(p) if p.assigned(who) => Ok(c),
        _ => Err(not_yours()),
    }
}

fn not_yours() -> ReviewError {
    ReviewError::Forbidden("you are not a reviewer of this campaign".into())
}

/// For something missing: a 404 to who sees every campaign, else the refusal an assigned
/// campaign's stranger gets.
async fn refusal(db: &impl ConnectionTrait, who: &Principal, missing: String) -> ReviewError {
    match Visible::to(db, who).await {
        Ok(Visible::All) => ReviewError::NotFound(missing),
        Ok(Visible::Policies(_)) => not_yours(),
        Err(e) => e,
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewDecision {
    pub decision: Decision,
    /// Needed for `keep` and `revoke`: at most 2,000 characters.
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub justification: Option<String>,
}

pub async fn decide(
    state: &AppState,
    item_id: i32,
    who: &Principal,
    d: &NewDecision,
) -> Result<ItemView, ReviewError> {
    let justification = crate::text::JUSTIFICATION
        .check_optional(d.justification.as_deref())
        .map_err(|e| ReviewError::Invalid(e.to_string()))?;
    if d.decision != Decision::Unsure && justification.is_none() {
        return Err(ReviewError::Invalid(format!(
            "`{}` needs a justification (e.g. the work-related need for access)",
            d.decision.as_str()
        )));
    }
    let item = review_items::Entity::find_by_id(item_id)
        .one(&state.db)
        .await?;
    let Some(item) = item else {
        return Err(refusal(&state.db, who, format!("no review item {item_id}")).await);
    };
    // Assignment before state: a caller who may not decide here learns nothing of the campaign.
    let campaign = decidable(&state.db, item.campaign_id, who).await?;
    if campaign.status != CampaignStatus::Open {
        return Err(ReviewError::Conflict(format!(
            "campaign {} is closed or being closed",
            campaign.id
        )));
    }
    // The decision is written only while the campaign is open, read under a lock a close's
    // `open` → `closing` waits for: no decision changes under a close, or after it.
    let txn = crate::db::begin_write(&state.db).await?;
    let open = review_campaigns::Entity::find_by_id(campaign.id)
        .filter(review_campaigns::Column::Status.eq(CampaignStatus::Open))
        .lock_shared()
        .one(&txn)
        .await?;
    if open.is_none() {
        return Err(ReviewError::Conflict(format!(
            "campaign {} is closed or being closed",
            campaign.id
        )));
    }
    let mut a: review_items::ActiveModel = item.into();
    a.decision = Set(Some(d.decision));
    a.justification = Set(justification);
    a.decided_by = Set(Some(format!("{} (token {})", who.token.name, who.token.id)));
    a.decided_at = Set(Some(state.clock.now()));
    let item = a.update(&txn).await?;
    txn.commit().await?;
    Ok(item.into())
}
