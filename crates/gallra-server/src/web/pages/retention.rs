//! `/retention`: rules with their next run, last outcome and breach state; runs with filters;
//! a run's page (and its approval, DPO); a rule's page (its holds, placing and lifting them,
//! and a dry run).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

use super::labels::Labels;
use crate::auth::Permission;
use crate::context::AppState;
use crate::retention::breach::BreachView;
use crate::retention::hold_ops::{self, HoldError};
use crate::retention::holds::{self, HoldView, NewHold};
use crate::retention::views::{rule_views, run_row, runs_page, RuleView, RunRow};
use crate::retention::{self, Outcome, RunOptions};
use crate::web::error::{urlencode, WebError};
use crate::web::nav::Nav;
use crate::web::user::WebUser;

fn html(t: impl Template) -> Result<Html<String>, WebError> {
    Ok(Html(t.render().map_err(anyhow::Error::from)?))
}

pub struct RuleLine {
    pub rule: RuleView,
    pub next: Option<String>,
    pub last: Option<RunRow>,
    pub breach: BreachView,
}

#[derive(Template)]
#[template(path = "retention.html")]
struct RetentionPage {
    nav: Nav,
    labels: Labels,
    rules: Vec<RuleLine>,
}

pub async fn show_retention(
    State(s): State<AppState>,
    user: WebUser,
) -> Result<Html<String>, WebError> {
    user.require(Permission::ReadRetention)?;
    let t = user.tr;
    let rules = crate::retention::status::all(&s.db, s.clock.now())
        .await?
        .into_iter()
        .map(|st| RuleLine {
            next: st.rule.next_run.map(|n| t.date_time(n)),
            rule: st.rule,
            last: st.last,
            breach: st.breach,
        })
        .collect();
    html(RetentionPage {
        nav: Nav::new(&user, "/retention"),
        labels: Labels::new(t),
        rules,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct RunQuery {
    #[serde(default)]
    rule: String,
    #[serde(default)]
    outcome: String,
    offset: Option<u64>,
}

#[derive(Template)]
#[template(path = "runs.html")]
struct RunsPage {
    nav: Nav,
    labels: Labels,
    q: RunQuery,
    runs: Vec<RunRow>,
    total: u64,
    next: Option<String>,
    prev: Option<String>,
    outcomes: [Outcome; 7],
}

const RUNS_PAGE: u64 = 50;

pub async fn list_runs(
    State(s): State<AppState>,
    user: WebUser,
    Query(q): Query<RunQuery>,
) -> Result<Html<String>, WebError> {
    user.require(Permission::ReadRetention)?;
    let set = |v: &str| Some(v.to_owned()).filter(|v| !v.is_empty());
    let offset = q.offset.unwrap_or(0).min(i64::MAX as u64);
    let page = runs_page(
        &s.db,
        set(&q.rule).as_deref(),
        set(&q.outcome).as_deref(),
        RUNS_PAGE,
        offset,
    )
    .await?;
    let link = |o: u64| {
        format!(
            "/retention/runs?rule={}&outcome={}&offset={o}",
            crate::web::error::urlencode(&q.rule),
            crate::web::error::urlencode(&q.outcome)
        )
    };
    html(RunsPage {
        nav: Nav::new(&user, "/retention"),
        labels: Labels::new(user.tr),
        next: (offset + RUNS_PAGE < page.total).then(|| link(offset + RUNS_PAGE)),
        prev: (offset > 0).then(|| link(offset.saturating_sub(RUNS_PAGE))),
        total: page.total,
        runs: page.items,
        q,
        outcomes: [
            Outcome::Succeeded,
            Outcome::Failed,
            Outcome::AwaitingApproval,
            Outcome::PostconditionFailed,
            Outcome::DryRun,
            Outcome::Running,
            Outcome::Interrupted,
        ],
    })
}

#[derive(Template)]
#[template(path = "run.html")]
struct RunPage {
    nav: Nav,
    labels: Labels,
    run: RunRow,
    may_approve: bool,
    error: Option<String>,
}

pub async fn show_run(
    State(s): State<AppState>,
    user: WebUser,
    Path(id): Path<i32>,
) -> Result<Html<String>, WebError> {
    user.require(Permission::ReadRetention)?;
    run_page(&s, &user, id, None).await
}

async fn run_page(
    s: &AppState,
    user: &WebUser,
    id: i32,
    error: Option<String>,
) -> Result<Html<String>, WebError> {
    let run = run_row(&s.db, id)
        .await?
        .ok_or_else(|| WebError::NotFound(format!("no run {id}")))?;
    html(RunPage {
        nav: Nav::new(user, "/retention"),
        labels: Labels::new(user.tr),
        may_approve: user.may(Permission::ApproveAndHold)
            && run.outcome == Outcome::AwaitingApproval,
        run,
        error,
    })
}

#[derive(Deserialize)]
pub struct ApproveForm {
    csrf: String,
    #[serde(default)]
    reason: String,
}

/// Approve a guarded run with a reason; it runs now, on a task of its own (a closed tab must
/// not stop a purge half way).
pub async fn approve_run(
    State(s): State<AppState>,
    user: WebUser,
    Path(id): Path<i32>,
    Form(f): Form<ApproveForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&f.csrf)?;
    user.require(Permission::ApproveAndHold)?;
    if f.reason.trim().is_empty() {
        let page = run_page(&s, &user, id, Some(user.tr.t("approve-reason-required"))).await?;
        return Ok((axum::http::StatusCode::BAD_REQUEST, page).into_response());
    }
    let by = format!("{} (token {})", user.name, user.token_id);
    let report = retention::start_approval(&s, id, user.token_id, &by, &f.reason).await?;
    Ok(Redirect::to(&format!("/retention/runs/{}", report.run_id)).into_response())
}

#[derive(Template)]
#[template(path = "rule.html")]
struct RulePage {
    nav: Nav,
    rule: RuleView,
    next: Option<String>,
    holds: Vec<HoldView>,
    may_hold: bool,
    may_run: bool,
    error: Option<String>,
}

pub async fn show_rule(
    State(s): State<AppState>,
    user: WebUser,
    Path(id): Path<String>,
) -> Result<Html<String>, WebError> {
    user.require(Permission::ReadRetention)?;
    rule_page(&s, &user, &id, None).await
}

async fn rule_page(
    s: &AppState,
    user: &WebUser,
    id: &str,
    error: Option<String>,
) -> Result<Html<String>, WebError> {
    let rule = rule_views(&s.db, s.clock.now())
        .await?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or_else(|| WebError::NotFound(format!("no retention rule `{id}`")))?;
    let holds = holds::list(&s.db)
        .await?
        .into_iter()
        .filter(|h| h.rule == id)
        .collect();
    html(RulePage {
        nav: Nav::new(user, "/retention"),
        next: rule.next_run.map(|n| user.tr.date_time(n)),
        rule,
        holds,
        may_hold: user.may(Permission::ApproveAndHold),
        may_run: user.may(Permission::RunRetention),
        error,
    })
}

#[derive(Deserialize)]
pub struct HoldForm {
    csrf: String,
    #[serde(default)]
    reason: String,
    /// One key a line; empty: the whole rule.
    #[serde(default)]
    keys: String,
}

pub async fn place_hold(
    State(s): State<AppState>,
    user: WebUser,
    Path(id): Path<String>,
    Form(f): Form<HoldForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&f.csrf)?;
    user.require(Permission::ApproveAndHold)?;
    let keys: Vec<String> = f
        .keys
        .lines()
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_owned)
        .collect();
    if f.reason.trim().is_empty() {
        return refused(&s, &user, &id, user.tr.t("hold-reason-required")).await;
    }
    let req = NewHold {
        keys: (!keys.is_empty()).then_some(keys),
        reason: f.reason.clone(),
    };
    let by = format!("{} (token {})", user.name, user.token_id);
    match hold_ops::place(&s, &id, &req, &by).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/retention/rules/{}#holds", urlencode(&id))).into_response())
        }
        Err(HoldError::Refused(why)) => refused(&s, &user, &id, why).await,
        Err(e) => Err(e.into()),
    }
}

/// The rule's page again, with why the hold was refused beside its form.
async fn refused(
    s: &AppState,
    user: &WebUser,
    id: &str,
    why: String,
) -> Result<Response, WebError> {
    let page = rule_page(s, user, id, Some(why)).await?;
    Ok((axum::http::StatusCode::BAD_REQUEST, page).into_response())
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

pub async fn lift_hold(
    State(s): State<AppState>,
    user: WebUser,
    Path(id): Path<i32>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&f.csrf)?;
    user.require(Permission::ApproveAndHold)?;
    let by = format!("{} (token {})", user.name, user.token_id);
    let hold = hold_ops::lift(&s, id, &by).await?;
    Ok(Redirect::to(&format!("/retention/rules/{}#holds", urlencode(&hold.rule))).into_response())
}

/// A dry run: counts what a run would do, changes nothing.
pub async fn dry_run(
    State(s): State<AppState>,
    user: WebUser,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&f.csrf)?;
    user.require(Permission::RunRetention)?;
    let report = retention::start_run(&s, &id, RunOptions::manual(true)).await?;
    Ok(Redirect::to(&format!("/retention/runs/{}", report.run_id)).into_response())
}
