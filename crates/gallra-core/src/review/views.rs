//! What the API shows of campaigns and items.

use chrono::{DateTime, Utc};
use entity::{review_campaigns, review_items};
use serde::Serialize;

use super::Visible;
use entity::review_campaigns::CampaignStatus;
use entity::review_items::Decision;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct CampaignView {
    pub id: i32,
    pub policy: String,
    pub policy_hash: String,
    pub kind: String,
    pub trigger: String,
    pub scheduled_for: Option<DateTime<Utc>>,
    pub opened_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub status: CampaignStatus,
    /// Open past its due date; stays so until closed.
    pub overdue: bool,
    pub items: u64,
    pub undecided: u64,
    pub evidence_index: Option<i64>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct ItemView {
    pub id: i32,
    pub account_key: String,
    pub display: String,
    pub role: Option<String>,
    pub last_activity: Option<String>,
    pub change: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub decision: Option<Decision>,
    pub justification: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub action: Option<String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct CampaignDetail {
    #[serde(flatten)]
    pub campaign: CampaignView,
    pub item_list: Vec<ItemView>,
}

impl CampaignView {
    pub fn new(
        c: review_campaigns::Model,
        items: &[review_items::Model],
        now: DateTime<Utc>,
    ) -> Self {
        CampaignView {
            // `closing` is outstanding too, until the close commits.
            overdue: c.status != CampaignStatus::Closed && now > c.due_at,
            items: items.len() as u64,
            undecided: items.iter().filter(|i| i.decision.is_none()).count() as u64,
            id: c.id,
            policy: c.policy_id,
            policy_hash: c.policy_hash,
            kind: c.kind,
            trigger: c.trigger,
            scheduled_for: c.scheduled_for,
            opened_at: c.opened_at,
            due_at: c.due_at,
            closed_at: c.closed_at,
            status: c.status,
            evidence_index: c.evidence_index,
        }
    }
}

impl From<review_items::Model> for ItemView {
    fn from(i: review_items::Model) -> Self {
        ItemView {
            id: i.id,
            account_key: i.account_key,
            display: i.display,
            role: i.role,
            last_activity: i.last_activity,
            change: i.change,
            decision: i.decision,
            justification: i.justification,
            decided_by: i.decided_by,
            decided_at: i.decided_at,
            action: i.action,
        }
    }
}

/// The campaigns `visible` lets a caller see, newest first (of `policy` only, if given), with
/// their items counted.
pub async fn list_campaigns(
    db: &impl sea_orm::ConnectionTrait,
    visible: &Visible,
    policy: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Vec<CampaignView>, sea_orm::DbErr> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let mut select = review_campaigns::Entity::find().order_by_desc(review_campaigns::Column::Id);
    if let Some(p) = policy {
        select = select.filter(review_campaigns::Column::PolicyId.eq(p));
    }
    if let Visible::Policies(mine) = visible {
        select = select.filter(review_campaigns::Column::PolicyId.is_in(mine.iter().cloned()));
    }
    let campaigns = select.all(db).await?;
    let mut items: std::collections::HashMap<i32, Vec<review_items::Model>> = Default::default();
    for i in review_items::Entity::find()
        .filter(review_items::Column::CampaignId.is_in(campaigns.iter().map(|c| c.id)))
        .all(db)
        .await?
    {
        items.entry(i.campaign_id).or_default().push(i);
    }
    Ok(campaigns
        .into_iter()
        .map(|c| {
            let its = items.remove(&c.id).unwrap_or_default();
            CampaignView::new(c, &its, now)
        })
        .collect())
}

/// Campaign `id` with its items, for `who`: the items name people, so a reviewer sees those of
/// the policies it reviews; another campaign is, to it, no campaign (a 404, as for a missing one).
pub async fn campaign_detail(
    db: &impl sea_orm::ConnectionTrait,
    id: i32,
    who: &crate::auth::Principal,
    now: DateTime<Utc>,
) -> Result<CampaignDetail, super::ReviewError> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let missing = || super::ReviewError::NotFound(format!("no campaign {id}"));
    let c = review_campaigns::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(missing)?;
    if !Visible::to(db, who).await?.sees(&c.policy_id) {
        return Err(missing());
    }
    let items = review_items::Entity::find()
        .filter(review_items::Column::CampaignId.eq(id))
        .order_by_asc(review_items::Column::Id)
        .all(db)
        .await?;
    let campaign = CampaignView::new(c, &items, now);
    Ok(CampaignDetail {
        campaign,
        item_list: items.into_iter().map(ItemView::from).collect(),
    })
}
