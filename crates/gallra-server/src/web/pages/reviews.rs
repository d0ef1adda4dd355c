//! `/reviews`: campaigns (open, overdue, closing, closed), and a campaign's page where a
//! reviewer decides its items — one or many at once, with one justification — and a DPO
//! closes it (with the guard's approval when revocations exceed it). Plain forms: every step
//! works from the keyboard and without JavaScript.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::labels::Labels;
use crate::auth::Permission;
use crate::context::AppState;
use crate::review::close::start_close;
use crate::review::decide::{decidable, decide, Decision, NewDecision};
use crate::review::views::{campaign_detail, list_campaigns, CampaignDetail};
use crate::review::{CampaignStatus, CampaignView, ReviewError, Visible};
use crate::web::error::WebError;
use crate::web::nav::Nav;
use crate::web::user::WebUser;

fn html(t: impl Template) -> Result<Html<String>, WebError> {
    Ok(Html(t.render().map_err(anyhow::Error::from)?))
}

#[derive(Debug, Default, Deserialize)]
pub struct CampaignQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    policy: String,
}

#[derive(Template)]
#[template(path = "reviews.html")]
struct ReviewsPage {
    nav: Nav,
    labels: Labels,
    campaigns: Vec<CampaignView>,
}

pub async fn list_reviews(
    State(s): State<AppState>,
    user: WebUser,
    Query(q): Query<CampaignQuery>,
) -> Result<Html<String>, WebError> {
    user.require(Permission::ReadReviews)?;
    let policy = Some(q.policy.as_str()).filter(|p| !p.is_empty());
    let visible = Visible::to(&s.db, &user.principal).await?;
    let mut campaigns = list_campaigns(&s.db, &visible, policy, s.clock.now()).await?;
    campaigns.retain(|c| match q.status.as_str() {
        "" => true,
        "overdue" => c.overdue,
        st => c.status.as_str() == st,
    });
    html(ReviewsPage {
        nav: Nav::new(&user, "/reviews"),
        labels: Labels::new(user.tr),
        campaigns,
    })
}

#[derive(Template)]
#[template(path = "campaign.html")]
struct CampaignPage {
    nav: Nav,
    labels: Labels,
    d: CampaignDetail,
    decided: u64,
    may_decide: bool,
    may_close: bool,
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct Notice {
    done: Option<String>,
}

pub async fn show_campaign(
    State(s): State<AppState>,
    user: WebUser,
    Path(id): Path<i32>,
    Query(n): Query<Notice>,
) -> Result<Html<String>, WebError> {
    user.require(Permission::ReadReviews)?;
    let notice = n.done.map(|d| user.tr.t(format!("review-done-{d}")));
    campaign_page(&s, &user, id, None, notice).await
}

async fn campaign_page(
    s: &AppState,
    user: &WebUser,
    id: i32,
    error: Option<String>,
    notice: Option<String>,
) -> Result<Html<String>, WebError> {
    let d = campaign_detail(&s.db, id, &user.principal, s.clock.now()).await?;
    let open = d.campaign.status == CampaignStatus::Open;
    let assigned = crate::review::policy::load(&s.db, &d.campaign.policy)
        .await?
        .is_some_and(|p| p.assigned(&user.principal));
    html(CampaignPage {
        nav: Nav::new(user, "/reviews"),
        labels: Labels::new(user.tr),
        decided: d.campaign.items - d.campaign.undecided,
        may_decide: open && user.may(Permission::DecideReviews) && assigned,
        may_close: d.campaign.status != CampaignStatus::Closed
            && user.may(Permission::ManageReviews),
        d,
        error,
        notice,
    })
}

#[derive(Deserialize)]
pub struct DecideForm {
    csrf: String,
    #[serde(default)]
    item: Vec<i32>,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    justification: String,
}

/// Decide the selected items, all the same way with one justification.
pub async fn decide_items(
    State(s): State<AppState>,
    user: WebUser,
    Path(id): Path<i32>,
    axum_extra::extract::Form(f): axum_extra::extract::Form<DecideForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&f.csrf)?;
    user.require(Permission::DecideReviews)?;
    // Refused before the form is read: a stranger to the campaign learns nothing of it.
    decidable(&s.db, id, &user.principal).await?;
    let t = user.tr;
    let decision = match f.decision.as_str() {
        "keep" => Some(Decision::Keep),
        "revoke" => Some(Decision::Revoke),
        "unsure" => Some(Decision::Unsure),
        _ => None,
    };
    let refusal = match (&decision, f.item.is_empty()) {
        (_, true) => Some(t.t("review-select-items")),
        (None, _) => Some(t.t("review-choose-decision")),
        (Some(d), _) if *d != Decision::Unsure && f.justification.trim().is_empty() => {
            Some(t.t("review-justification-required"))
        }
        _ => None,
    };
    if let Some(why) = refusal {
        let page = campaign_page(&s, &user, id, Some(why), None).await?;
        return Ok((axum::http::StatusCode::BAD_REQUEST, page).into_response());
    }
    let d = NewDecision {
        decision: decision.unwrap_or(Decision::Unsure),
        justification: Some(f.justification.clone()),
    };
    // Only items of this campaign: a form for one campaign never decides another's.
    let detail = campaign_detail(&s.db, id, &user.principal, s.clock.now()).await?;
    for item in &f.item {
        if !detail.item_list.iter().any(|i| i.id == *item) {
            return Err(WebError::BadRequest(format!(
                "item {item} is not in campaign {id}"
            )));
        }
        decide(&s, *item, &user.principal, &d).await?;
    }
    Ok(Redirect::to(&format!("/reviews/{id}?done=decided#items")).into_response())
}

#[derive(Deserialize)]
pub struct CloseForm {
    csrf: String,
    #[serde(default)]
    approve: Option<String>,
}

/// Close the campaign (DPO, admin): its revocations run, its evidence is written. On a task of
/// its own: a closed tab must not leave revocations half done.
pub async fn close_campaign(
    State(s): State<AppState>,
    user: WebUser,
    Path(id): Path<i32>,
    axum::Form(f): axum::Form<CloseForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&f.csrf)?;
    user.require(Permission::ManageReviews)?;
    let approve = f.approve.as_deref() == Some("true");
    match start_close(&s, id, approve).await {
        Ok(_) => Ok(Redirect::to(&format!("/reviews/{id}?done=closed")).into_response()),
        Err(ReviewError::Conflict(why)) => {
            let page = campaign_page(&s, &user, id, Some(why), None).await?;
            Ok((axum::http::StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

impl CampaignPage {
    fn decision_key(&self, d: &Decision) -> String {
        format!("decision-{}", d.as_str())
    }
}
