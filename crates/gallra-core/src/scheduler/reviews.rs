//! The scheduler's part in reviews: open each due campaign once (unique per policy and
//! occurrence, like runs), and flag and notify overdue campaigns once.

use chrono::{DateTime, Utc};
use entity::review_campaigns;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use crate::context::AppState;
use crate::occurrences::Schedule;
use crate::review::open::{open, OpenError};
use crate::review::policy;
use crate::review::CampaignStatus;

/// Open the latest due campaign of every datasource-sourced policy; returns the campaigns opened.
pub async fn open_due(state: &AppState, since: DateTime<Utc>) -> anyhow::Result<Vec<i32>> {
    let mut opened = Vec::new();
    for p in policy::list(&state.db).await? {
        let Some(ds) = &p.spec.source.get_ref().datasource else {
            continue;
        };
        if state.datasources.url(ds.get_ref()).is_err() {
            continue;
        }
        let Ok(schedule) = Schedule::parse(p.spec.schedule.get_ref(), p.spec.timezone.get_ref())
        else {
            continue;
        };
        let last = review_campaigns::Entity::find()
            .filter(review_campaigns::Column::PolicyId.eq(p.id()))
            .filter(review_campaigns::Column::ScheduledFor.is_not_null())
            .order_by_desc(review_campaigns::Column::ScheduledFor)
            .one(&state.db)
            .await?
            .and_then(|c| c.scheduled_for)
            .unwrap_or(since);
        let Some(&occurrence) = schedule.between(last, state.clock.now(), 10_000).last() else {
            continue;
        };
        match open(state, p.id(), Some(occurrence), None).await {
            Ok(id) => opened.push(id),
            Err(OpenError::AlreadyOpened(_)) => {}
            Err(e) => {
                tracing::error!(policy = p.id(), error = %e, "opening a scheduled review failed")
            }
        }
    }
    Ok(opened)
}

/// Notify each overdue campaign once: a log line, and a signed webhook if one is configured
/// (`GALLRA_REVIEW_WEBHOOK`, signed with `GALLRA_WEBHOOK_SECRET`). It stays overdue until closed.
pub async fn notify_overdue(state: &AppState) -> anyhow::Result<Vec<i32>> {
    let now = state.clock.now();
    let due = review_campaigns::Entity::find()
        .filter(
            review_campaigns::Column::Status.is_in([CampaignStatus::Open, CampaignStatus::Closing]),
        )
        .filter(review_campaigns::Column::DueAt.lt(now))
        .filter(review_campaigns::Column::OverdueNotifiedAt.is_null())
        .all(&state.db)
        .await?;
    let mut notified = Vec::new();
    for c in due {
        // Only one replica notifies: the one whose update takes the row.
        let taken = review_campaigns::Entity::update_many()
            .col_expr(
                review_campaigns::Column::OverdueNotifiedAt,
                Expr::value(Some(now)),
            )
            .filter(review_campaigns::Column::Id.eq(c.id))
            .filter(review_campaigns::Column::OverdueNotifiedAt.is_null())
            .exec(&state.db)
            .await?;
        if taken.rows_affected != 1 {
            continue;
        }
        tracing::warn!(campaign = c.id, policy = %c.policy_id, due = %c.due_at, "review campaign overdue");
        let body = json!({"event": "review_overdue", "campaign": c.id, "policy": c.policy_id, "due_at": c.due_at}).to_string();
        if let Err(e) = webhook(state, &body).await {
            tracing::error!(campaign = c.id, error = %e, "overdue webhook failed");
        }
        notified.push(c.id);
    }
    Ok(notified)
}

async fn webhook(state: &AppState, body: &str) -> anyhow::Result<()> {
    let Some(hook) = &state.webhook else {
        return Ok(());
    };
    let signature = signature(hook.secret.as_bytes(), body.as_bytes());
    let response = reqwest::Client::new()
        .post(&hook.url)
        .header("content-type", "application/json")
        .header("x-gallra-signature", format!("sha256={signature}"))
        .body(body.to_owned())
        .timeout(std::time::Duration::from_secs(10))
        .send()
        .await?;
    anyhow::ensure!(
        response.status().is_success(),
        "webhook answered {}",
        response.status()
    );
    Ok(())
}

/// HMAC-SHA256 of the body under the webhook secret, hex: what the receiver recomputes.
pub fn signature(secret: &[u8], body: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    let mut mac =
        <Hmac<sha2::Sha256> as Mac>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}
