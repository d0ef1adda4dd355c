//! `/`: the state of compliance at a glance, each number a link to the list behind it.

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use crate::auth::Permission;
use crate::context::AppState;
use crate::register::query::ServiceFilter;
use crate::review::CampaignStatus;
use crate::web::error::WebError;
use crate::web::nav::Nav;
use crate::web::user::WebUser;

#[derive(Default)]
pub struct Numbers {
    pub services: u64,
    pub enforced: u64,
    pub manual: u64,
    pub not_enforced: u64,
    pub rules: u64,
    pub compliant: u64,
    pub in_breach: u64,
    pub unchecked: u64,
    pub awaiting_approval: u64,
    pub failed: u64,
    pub campaigns_open: u64,
    pub campaigns_overdue: u64,
    pub campaigns_closing: u64,
}

#[derive(Template)]
#[template(path = "overview.html")]
struct OverviewPage {
    nav: Nav,
    n: Numbers,
    checkpoint: Option<(u64, String)>,
    health: Option<(String, Option<String>)>,
    retention: bool,
    reviews: bool,
    evidence: bool,
}

pub async fn show_overview(
    State(s): State<AppState>,
    user: WebUser,
) -> Result<Html<String>, WebError> {
    let t = user.tr;
    let mut n = Numbers::default();
    if user.may(Permission::ReadRegister) {
        let page = s
            .listing
            .page(&s.db, &ServiceFilter::default(), 1, 0)
            .await?;
        n.services = page.total;
        let e = s.listing.enforcement(&s.db).await?;
        (n.enforced, n.manual, n.not_enforced) = (e.enforced, e.manual, e.not_enforced);
    }
    if user.may(Permission::ReadRetention) {
        retention_numbers(&s, &mut n).await?;
    }
    if user.may(Permission::ReadReviews) {
        let visible = crate::review::Visible::to(&s.db, &user.principal).await?;
        for c in crate::review::views::list_campaigns(&s.db, &visible, None, s.clock.now()).await? {
            n.campaigns_open += u64::from(c.status == CampaignStatus::Open);
            n.campaigns_closing += u64::from(c.status == CampaignStatus::Closing);
            n.campaigns_overdue += u64::from(c.overdue);
        }
    }
    let evidence = user.may(Permission::ReadEvidence);
    let checkpoint = if evidence {
        crate::evidence::latest_checkpoint(&s.db)
            .await?
            .map(|c| (c.tree_size as u64, t.date_time(c.created_at)))
    } else {
        None
    };
    let health = s.log_health.last().map(|h| (t.date_time(h.at), h.problem));
    let page = OverviewPage {
        retention: user.may(Permission::ReadRetention),
        reviews: user.may(Permission::ReadReviews),
        nav: Nav::new(&user, "/"),
        n,
        checkpoint,
        health: health.filter(|_| evidence),
        evidence,
    };
    Ok(Html(page.render().map_err(anyhow::Error::from)?))
}

/// Rules against their breach check, runs waiting for a DPO, failed runs.
async fn retention_numbers(s: &AppState, n: &mut Numbers) -> Result<(), WebError> {
    for r in crate::retention::status::all(&s.db, s.clock.now()).await? {
        n.rules += 1;
        match r.breach.compliant {
            Some(true) => n.compliant += 1,
            Some(false) => n.in_breach += 1,
            None => n.unchecked += 1,
        }
    }
    use crate::retention::{views::count_with_outcome, Outcome};
    n.awaiting_approval = count_with_outcome(&s.db, Outcome::AwaitingApproval).await?;
    n.failed = count_with_outcome(&s.db, Outcome::Failed).await?;
    Ok(())
}
