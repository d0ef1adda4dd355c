//! Handlers for reviews: campaigns, decisions, closing, and opening (with an uploaded CSV).

use axum::extract::State;
use axum::http::{header::CONTENT_TYPE, HeaderMap, StatusCode};
use axum::Json;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{self, Bearer, Path, Query};
use super::{ApiError, AppState};
use crate::auth::Permission;
use crate::review::close::{start_close, Tally};
use crate::review::decide::{decide, NewDecision};
use crate::review::open::open;
use crate::review::views::{campaign_detail, CampaignDetail};
use crate::review::{accounts, CampaignView, ItemView, Visible};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_campaigns))
        .routes(routes!(get_campaign))
        .routes(routes!(close_campaign))
        .routes(routes!(decide_item))
        .routes(routes!(open_campaign))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CampaignFilter {
    /// `open`, `closed` or `overdue`.
    pub status: Option<String>,
    pub policy: Option<String>,
}

/// Campaigns the caller sees (a reviewer: those of the policies it reviews), newest first;
/// overdue ones are flagged until closed.
#[utoipa::path(get, path = "/reviews/campaigns", params(CampaignFilter), tag = "reviews", responses((status = 200, body = Vec<CampaignView>)), security(("bearer" = [])))]
pub async fn list_campaigns(
    State(s): State<AppState>,
    Bearer(auth): Bearer,
    Query(f): Query<CampaignFilter>,
) -> Result<Json<Vec<CampaignView>>, ApiError> {
    auth.require(Permission::ReadReviews)?;
    let visible = Visible::to(&s.db, &auth).await?;
    let all =
        crate::review::views::list_campaigns(&s.db, &visible, f.policy.as_deref(), s.clock.now())
            .await?;
    let out = all
        .into_iter()
        .filter(|v| match f.status.as_deref() {
            None => true,
            Some("overdue") => v.overdue,
            Some(st) => v.status.as_str() == st,
        })
        .collect();
    Ok(Json(out))
}

/// One campaign with its items; 404 to a reviewer not assigned to it, as for a missing one.
#[utoipa::path(get, path = "/reviews/campaigns/{id}", params(("id" = i32, Path)), tag = "reviews", responses((status = 200, body = CampaignDetail), (status = 404)), security(("bearer" = [])))]
pub async fn get_campaign(
    State(s): State<AppState>,
    Bearer(auth): Bearer,
    Path(id): Path<i32>,
) -> Result<Json<CampaignDetail>, ApiError> {
    auth.require(Permission::ReadReviews)?;
    Ok(Json(
        campaign_detail(&s.db, id, &auth, s.clock.now()).await?,
    ))
}

/// Decide an item: keep / revoke (with a justification) or unsure.
#[utoipa::path(post, path = "/reviews/items/{id}/decision", params(("id" = i32, Path)), request_body = NewDecision, tag = "reviews",
    responses((status = 200, body = ItemView), (status = 400), (status = 403), (status = 409)), security(("bearer" = [])))]
pub async fn decide_item(
    State(s): State<AppState>,
    Bearer(auth): Bearer,
    Path(id): Path<i32>,
    extract::Json(req): extract::Json<NewDecision>,
) -> Result<Json<ItemView>, ApiError> {
    auth.require(Permission::DecideReviews)?;
    Ok(Json(decide(&s, id, &auth, &req).await?))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseRequest {
    /// A DPO's approval of revocations beyond the policy's guard.
    #[serde(default)]
    pub approve: bool,
}

/// Close a campaign whose items are all decided; revocations run; the closing is evidence.
#[utoipa::path(post, path = "/reviews/campaigns/{id}/close", params(("id" = i32, Path)), request_body = CloseRequest, tag = "reviews",
    responses((status = 200, body = Tally), (status = 409)), security(("bearer" = [])))]
pub async fn close_campaign(
    State(s): State<AppState>,
    Bearer(auth): Bearer,
    Path(id): Path<i32>,
    extract::Json(req): extract::Json<CloseRequest>,
) -> Result<Json<Tally>, ApiError> {
    auth.require(Permission::ManageReviews)?;
    Ok(Json(start_close(&s, id, req.approve).await?))
}

/// Open a campaign now; a CSV-sourced policy takes the accounts as `text/csv`
/// (`key,display,role,last_activity`).
#[utoipa::path(post, path = "/reviews/policies/{id}/campaigns", params(("id" = String, Path)), request_body(content = String, content_type = "text/csv"), tag = "reviews",
    responses((status = 201, body = CampaignView), (status = 400), (status = 404), (status = 409), (status = 502, description = "the policy's datasource failed")), security(("bearer" = [])))]
pub async fn open_campaign(
    State(s): State<AppState>,
    Bearer(auth): Bearer,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: String,
) -> Result<(StatusCode, Json<CampaignView>), ApiError> {
    auth.require(Permission::ManageReviews)?;
    let is_csv = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/csv"));
    let csv = if is_csv {
        Some(accounts::from_csv(&body).map_err(ApiError::BadRequest)?)
    } else {
        None
    };
    let campaign = open(&s, &id, None, csv).await?;
    let detail = campaign_detail(&s.db, campaign, &auth, s.clock.now()).await?;
    Ok((StatusCode::CREATED, Json(detail.campaign)))
}
