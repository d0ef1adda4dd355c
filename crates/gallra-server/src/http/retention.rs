//! Handlers for retention: rules with their next run, runs, triggering, approvals, holds, breaches.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::Bearer;
use super::extract::{self, Path, Query};
use super::{ApiError, AppState};
use crate::auth::Permission;
use crate::retention::breach::{self, BreachView};
use crate::retention::hold_ops;
use crate::retention::holds::{self, HoldView, NewHold};
use crate::retention::views::{self, RuleView, RunPage};
use crate::retention::{self, rule, RunOptions, RunReport};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_rules))
        .routes(routes!(create_run))
        .routes(routes!(create_hold))
        .routes(routes!(list_runs))
        .routes(routes!(approve_run))
        .routes(routes!(list_holds))
        .routes(routes!(lift_hold))
        .routes(routes!(list_breaches))
}

/// Retention rules with their next scheduled run.
#[utoipa::path(get, path = "/retention/rules", tag = "retention", responses((status = 200, body = Vec<RuleView>)), security(("bearer" = [])))]
pub async fn list_rules(
    State(s): State<AppState>,
    Bearer(auth): Bearer,
) -> Result<Json<Vec<RuleView>>, ApiError> {
    auth.require(Permission::ReadRetention)?;
    Ok(Json(views::rule_views(&s.db, s.clock.now()).await?))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRun {
    #[serde(default)]
    pub dry_run: bool,
}

/// Run a rule now (or dry-run it). A guarded run comes back `awaiting_approval`. A run that
/// outlasts the request (30 s) goes on to its end: `GET /api/v1/retention/runs` shows it.
#[utoipa::path(post, path = "/retention/rules/{id}/runs", params(("id" = String, Path)), request_body = NewRun, tag = "retention",
    responses((status = 200, body = RunReport), (status = 404), (status = 409, description = "another run of the rule is working")), security(("bearer" = [])))]
pub async fn create_run(
    State(s): State<AppState>,
    Bearer(auth): Bearer,
    Path(id): Path<String>,
    extract::Json(req): extract::Json<NewRun>,
) -> Result<Json<RunReport>, ApiError> {
    auth.require(Permission::RunRetention)?;
    Ok(Json(
        retention::start_run(&s, &id, RunOptions::manual(req.dry_run)).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RunFilter {
    pub rule: Option<String>,
    pub outcome: Option<String>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    #[param(maximum = 9223372036854775807_u64)]
    pub offset: Option<u64>,
}

/// Runs, newest first, filtered by rule and outcome.
#[utoipa::path(get, path = "/retention/runs", params(RunFilter), tag = "retention", responses((status = 200, body = RunPage)), security(("bearer" = [])))]
pub async fn list_runs(
    State(s): State<AppState>,
    Bearer(auth): Bearer,
    Query(f): Query<RunFilter>,
) -> Result<Json<RunPage>, ApiError> {
    auth.require(Permission::ReadRetention)?;
    let limit = f.limit.unwrap_or(50);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::BadRequest(
            "limit must be between 1 and 500".into(),
        ));
    }
    let offset = extract::position(f.offset, "offset")?;
    Ok(Json(
        views::runs_page(
            &s.db,
            f.rule.as_deref(),
            f.outcome.as_deref(),
            limit,
            offset,
        )
        .await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    /// Why: not blank, at most 2,000 characters.
    #[schema(min_length = 1, max_length = 2000, pattern = r"\S")]
    pub reason: String,
}

/// Approve a run a guard stopped: it runs now, past its guard; the approval is evidence.
#[utoipa::path(post, path = "/retention/runs/{id}/approval", params(("id" = i32, Path)), request_body = Approval, tag = "retention",
    responses((status = 200, body = RunReport), (status = 404), (status = 409)), security(("bearer" = [])))]
pub async fn approve_run(
    State(s): State<AppState>,
    Bearer(auth): Bearer,
    Path(id): Path<i32>,
    extract::Json(req): extract::Json<Approval>,
) -> Result<Json<RunReport>, ApiError> {
    auth.require(Permission::ApproveAndHold)?;
    let by = format!("{} (token {})", auth.token.name, auth.token.id);
    let report = retention::start_approval(&s, id, auth.token.id, &by, &req.reason).await?;
    Ok(Json(report))
}

#[utoipa::path(get, path = "/retention/holds", tag = "retention", responses((status = 200, body = Vec<HoldView>)), security(("bearer" = [])))]
pub async fn list_holds(
    State(s): State<AppState>,
    Bearer(auth): Bearer,
) -> Result<Json<Vec<HoldView>>, ApiError> {
    auth.require(Permission::ReadRetention)?;
    Ok(Json(holds::list(&s.db).await?))
}

/// Place a legal hold on a whole rule or on listed keys.
#[utoipa::path(post, path = "/retention/rules/{id}/holds", params(("id" = String, Path)), request_body = NewHold, tag = "retention",
    responses((status = 201, body = HoldView), (status = 400), (status = 404)), security(("bearer" = [])))]
pub async fn create_hold(
    State(s): State<AppState>,
    Bearer(auth): Bearer,
    Path(id): Path<String>,
    extract::Json(req): extract::Json<NewHold>,
) -> Result<(StatusCode, Json<HoldView>), ApiError> {
    auth.require(Permission::ApproveAndHold)?;
    let by = format!("{} (token {})", auth.token.name, auth.token.id);
    let hold = hold_ops::place(&s, &id, &req, &by).await?;
    Ok((StatusCode::CREATED, Json(hold)))
}

/// Lift a legal hold.
#[utoipa::path(delete, path = "/retention/holds/{id}", params(("id" = i32, Path)), tag = "retention", responses((status = 200, body = HoldView), (status = 404)), security(("bearer" = [])))]
pub async fn lift_hold(
    State(s): State<AppState>,
    Bearer(auth): Bearer,
    Path(id): Path<i32>,
) -> Result<Json<HoldView>, ApiError> {
    auth.require(Permission::ApproveAndHold)?;
    let by = format!("{} (token {})", auth.token.name, auth.token.id);
    Ok(Json(hold_ops::lift(&s, id, &by).await?))
}

/// Per rule: the oldest record against keep_for; compliant only when nothing is over age.
#[utoipa::path(get, path = "/retention/breaches", tag = "retention", responses((status = 200, body = Vec<BreachView>)), security(("bearer" = [])))]
pub async fn list_breaches(
    State(s): State<AppState>,
    Bearer(auth): Bearer,
) -> Result<Json<Vec<BreachView>>, ApiError> {
    auth.require(Permission::ReadRetention)?;
    let mut out = Vec::new();
    for r in rule::list(&s.db).await? {
        out.push(breach::check(&s, &r).await);
    }
    Ok(Json(out))
}
