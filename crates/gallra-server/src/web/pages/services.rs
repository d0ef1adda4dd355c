//! `/services` (the register: search, filters with counts, paging, kept in the URL) and
//! `/instructions` (each instruction and how it is enforced).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use serde::Deserialize;

use super::labels::Labels;
use crate::auth::Permission;
use crate::context::AppState;
use crate::register::query::{list_instructions, InstructionRow, ServiceFilter};
use crate::register::views::{Enforcement, ServiceSummary};
use crate::web::error::{urlencode, WebError};
use crate::web::nav::Nav;
use crate::web::user::WebUser;

const PAGE: u64 = 50;

/// The register page's query: the API's filters, all optional, empty meaning unset.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    data_type: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    special_category: String,
    #[serde(default)]
    controller: String,
    #[serde(default)]
    sub_processor: String,
    #[serde(default)]
    transfer_country: String,
    /// The register as it stood then (a date, the end of that day; or an RFC 3339 instant).
    #[serde(default)]
    as_of: String,
    offset: Option<u64>,
}

impl ListQuery {
    fn filter(&self) -> ServiceFilter {
        let set = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        ServiceFilter {
            q: set(&self.q),
            data_type: set(&self.data_type),
            subject: set(&self.subject),
            special_category: (self.special_category == "true").then_some(true),
            controller: set(&self.controller),
            sub_processor: set(&self.sub_processor),
            transfer_country: set(&self.transfer_country),
            limit: None,
            offset: None,
            as_of: None,
        }
    }

    /// This query's URL with another offset: the pager's links.
    fn with_offset(&self, offset: u64) -> String {
        let mut parts = Vec::new();
        for (k, v) in [
            ("q", &self.q),
            ("data_type", &self.data_type),
            ("subject", &self.subject),
            ("special_category", &self.special_category),
            ("controller", &self.controller),
            ("sub_processor", &self.sub_processor),
            ("transfer_country", &self.transfer_country),
            ("as_of", &self.as_of),
        ] {
            if !v.is_empty() {
                parts.push(format!("{k}={}", urlencode(v)));
            }
        }
        parts.push(format!("offset={offset}"));
        format!("/services?{}", parts.join("&"))
    }
}

/// One choice of a filter, with how many of the selected services hold it.
pub struct Facet {
    pub value: String,
    pub label: String,
    pub count: u64,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "services.html")]
struct ServicesPage {
    nav: Nav,
    q: ListQuery,
    items: Vec<ServiceSummary>,
    total: u64,
    prev: Option<String>,
    next: Option<String>,
    data_types: Vec<Facet>,
    subjects: Vec<Facet>,
    controllers: Vec<Facet>,
    sub_processors: Vec<Facet>,
    countries: Vec<Facet>,
    special_count: u64,
    labels: Labels,
}

pub async fn list_services(
    State(s): State<AppState>,
    user: WebUser,
    Query(q): Query<ListQuery>,
) -> Result<Html<String>, WebError> {
    user.require(Permission::ReadRegister)?;
    let labels = Labels::new(user.tr);
    let f = q.filter();
    let offset = q.offset.unwrap_or(0).min(i64::MAX as u64);
    // Today's register from its snapshot; an earlier one from the versions then in force, its
    // counts beside each choice taken from all of that day's selected services.
    let (page, facets) = match q.as_of.trim() {
        "" => (
            s.listing.page(&s.db, &f, PAGE, offset).await?,
            s.listing.facets(&s.db, &f).await?,
        ),
        text => {
            let at = crate::register::history::parse_as_of(text).map_err(WebError::BadRequest)?;
            let all = crate::register::as_of::page(&s.db, &f, at, u64::MAX, 0).await?;
            let facets = facets_of(&all.items);
            (
                crate::register::as_of::page(&s.db, &f, at, PAGE, offset).await?,
                facets,
            )
        }
    };
    let of = |term: &str, chosen: &str, label: &dyn Fn(&str) -> String| -> Vec<Facet> {
        facets
            .iter()
            .filter(|(t, _, _)| t == term)
            .map(|(_, v, n)| Facet {
                value: v.clone(),
                label: label(v),
                count: *n,
                selected: v == chosen,
            })
            .collect()
    };
    let same = |v: &str| v.to_owned();
    let page_view = ServicesPage {
        nav: Nav::new(&user, "/services"),
        data_types: of("data_type", &q.data_type, &|v| labels.data_type(v)),
        subjects: of("subject", &q.subject, &|v| labels.subject(v)),
        controllers: of("controller", &q.controller, &same),
        sub_processors: of("sub_processor", &q.sub_processor, &same),
        countries: of("transfer_country", &q.transfer_country, &same),
        special_count: facets
            .iter()
            .filter(|(t, _, _)| t == "special")
            .map(|x| x.2)
            .max()
            .unwrap_or(0),
        prev: (offset > 0).then(|| q.with_offset(offset.saturating_sub(PAGE))),
        next: (offset + PAGE < page.total).then(|| q.with_offset(offset + PAGE)),
        total: page.total,
        items: page.items,
        q,
        labels,
    };
    Ok(Html(page_view.render().map_err(anyhow::Error::from)?))
}

#[derive(Debug, Deserialize)]
pub struct InstructionQuery {
    /// `true`, `false` (no rule or review carries it out), or `manual` (an owner does).
    enforced: Option<String>,
}

#[derive(Template)]
#[template(path = "instructions.html")]
struct InstructionsPage {
    nav: Nav,
    rows: Vec<InstructionRow>,
}

pub async fn list_instruction_rows(
    State(s): State<AppState>,
    user: WebUser,
    Query(q): Query<InstructionQuery>,
) -> Result<Html<String>, WebError> {
    user.require(Permission::ReadRegister)?;
    let which = q.enforced.unwrap_or_default();
    let rows = list_instructions(&s.db, None)
        .await?
        .into_iter()
        .filter(|r| match (which.as_str(), &r.enforcement) {
            ("true", e) => matches!(e, Enforcement::Enforced { .. }),
            ("manual", Enforcement::Manual { owner, .. }) => !owner.is_empty(),
            ("false", Enforcement::Manual { owner, .. }) => owner.is_empty(),
            ("manual" | "false", _) => false,
            _ => true,
        })
        .collect();
    let page = InstructionsPage {
        nav: Nav::new(&user, "/services"),
        rows,
    };
    Ok(Html(page.render().map_err(anyhow::Error::from)?))
}

/// Counts per (term, value) over listed services: the facets of an earlier register.
fn facets_of(items: &[ServiceSummary]) -> Vec<(String, String, u64)> {
    let mut counts: std::collections::BTreeMap<(String, String), u64> = Default::default();
    for s in items {
        for (term, values) in [
            ("data_type", &s.data_types),
            ("subject", &s.subjects),
            ("controller", &s.controllers),
            ("special", &s.special_categories),
            ("sub_processor", &s.sub_processors),
            ("transfer_country", &s.transfer_countries),
        ] {
            for v in values {
                *counts.entry((term.to_owned(), v.clone())).or_default() += 1;
            }
        }
    }
    counts.into_iter().map(|((t, v), n)| (t, v, n)).collect()
}
