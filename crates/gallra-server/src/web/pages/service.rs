//! `/services/{id}`: one processing record — every Art. 28(3)/30(2) field with its source,
//! Art. 9/10 and sensitive types in words, open fields as such, each instruction with what
//! enforces it and how that went — and its versions, any two side by side.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use serde::Deserialize;

use super::labels::Labels;
use crate::auth::Permission;
use crate::context::AppState;
use crate::register::query::{get_service, service_version_body, service_versions, VersionView};
use crate::register::views::{Enforcement, Openness, ServiceView};
use crate::web::error::WebError;
use crate::web::nav::Nav;
use crate::web::user::WebUser;

/// How one instruction is carried out, as the service page shows it.
pub struct EnforcementRow {
    pub source: String,
    pub text: String,
    /// `enforced`, `manual` or `none`.
    pub state: &'static str,
    pub what: String,
    pub link: Option<String>,
    pub schedule: Option<String>,
    pub last: Option<String>,
    pub breach: Option<bool>,
}

/// Two versions side by side, line by line.
pub struct Diff {
    pub from: i32,
    pub to: i32,
    pub rows: Vec<(String, String, bool)>,
}

#[derive(Template)]
#[template(path = "service.html")]
struct ServicePage {
    nav: Nav,
    s: ServiceView,
    lang: &'static str,
    labels: Labels,
    instructions: Vec<EnforcementRow>,
    versions: Vec<VersionView>,
    diff: Option<Diff>,
    as_of: Option<String>,
}

#[derive(Deserialize)]
pub struct DiffQuery {
    from: Option<i32>,
    to: Option<i32>,
    /// The record as it stood then (a date, the end of that day; or an RFC 3339 instant).
    #[serde(default)]
    as_of: String,
}

pub async fn show_service(
    State(s): State<AppState>,
    user: WebUser,
    Path(id): Path<String>,
    Query(q): Query<DiffQuery>,
) -> Result<Html<String>, WebError> {
    user.require(Permission::ReadRegister)?;
    let t = user.tr;
    let as_of = match q.as_of.trim() {
        "" => None,
        text => Some(crate::register::history::parse_as_of(text).map_err(WebError::BadRequest)?),
    };
    let view = match as_of {
        Some(at) => crate::register::as_of::service(&s.db, &id, at).await?,
        None => get_service(&s.db, &id).await?,
    }
    .ok_or_else(|| WebError::NotFound(t.x("error-no-service", &id)))?;
    let versions = service_versions(&s.db, &id).await?.unwrap_or_default();
    let diff = match (q.from, q.to) {
        (Some(from), Some(to)) => Some(diff(&s, &id, from, to).await?),
        _ => None,
    };
    let mut instructions = Vec::new();
    for i in &view.instructions {
        instructions.push(enforcement(&s, &user, &i.source, &i.text, &i.enforcement).await?);
    }
    let page = ServicePage {
        nav: Nav::new(&user, "/services"),
        lang: match view.language {
            crate::policy::spec::Language::Sv => "sv",
            crate::policy::spec::Language::Da => "da",
            crate::policy::spec::Language::En => "en",
        },
        labels: Labels::new(t),
        s: view,
        instructions,
        versions,
        diff,
        as_of: as_of.map(|at| t.date_time(at)),
    };
    Ok(Html(page.render().map_err(anyhow::Error::from)?))
}

async fn diff(s: &AppState, id: &str, from: i32, to: i32) -> Result<Diff, WebError> {
    let body = |v| service_version_body(&s.db, id, v);
    let (Some(a), Some(b)) = (body(from).await?, body(to).await?) else {
        return Err(WebError::NotFound(format!(
            "no version {from} or {to} of `{id}`"
        )));
    };
    let changes = similar::TextDiff::from_lines(&a, &b);
    let mut rows = Vec::new();
    for op in changes.ops() {
        for change in changes.iter_changes(op) {
            let text = change.value().trim_end().to_owned();
            match change.tag() {
                similar::ChangeTag::Equal => rows.push((text.clone(), text, false)),
                similar::ChangeTag::Delete => rows.push((text, String::new(), true)),
                similar::ChangeTag::Insert => rows.push((String::new(), text, true)),
            }
        }
    }
    Ok(Diff { from, to, rows })
}

/// An instruction's enforcement: the rule or review policy, its schedule in local time, its
/// last run or campaign and outcome, its breach state.
async fn enforcement(
    s: &AppState,
    user: &WebUser,
    source: &str,
    text: &str,
    e: &Enforcement,
) -> Result<EnforcementRow, WebError> {
    let t = user.tr;
    let labels = Labels::new(t);
    let mut row = EnforcementRow {
        source: source.into(),
        text: text.into(),
        state: "none",
        what: String::new(),
        link: None,
        schedule: None,
        last: None,
        breach: None,
    };
    match e {
        Enforcement::Manual { owner, .. } if owner.is_empty() => {}
        Enforcement::Manual { owner, note } => {
            row.state = "manual";
            row.what = match note {
                Some(n) => format!("{owner} — {n}"),
                None => owner.clone(),
            };
        }
        Enforcement::Enforced { kind, rule } if kind == "retention" => {
            row.state = "enforced";
            row.what = t.x("enforced-by-rule", rule);
            row.link = Some(format!("/retention/rules/{rule}"));
            if let Some(st) = crate::retention::status::of(&s.db, rule, s.clock.now()).await? {
                let r = &st.rule;
                row.schedule = Some(format!(
                    "{} ({}){}",
                    r.schedule,
                    r.timezone,
                    r.next_run
                        .map(|n| format!(" — {}: {}", t.t("next-run"), t.date_time(n)))
                        .unwrap_or_default()
                ));
                if user.may(Permission::ReadRetention) {
                    row.last = st.last.as_ref().map(|r| {
                        format!(
                            "{} — {}",
                            labels.outcome(r.outcome.as_str()),
                            r.finished_at
                                .or(r.started_at)
                                .map(|x| t.date_time(x))
                                .unwrap_or_default()
                        )
                    });
                    row.breach = st.breach.compliant;
                }
            }
        }
        Enforcement::Enforced { rule, .. } => {
            row.state = "enforced";
            row.what = t.x("enforced-by-review", rule);
            row.link = Some(format!("/reviews?policy={rule}"));
            if let Some(p) = crate::review::policy::load(&s.db, rule).await? {
                row.schedule = Some(format!(
                    "{} ({})",
                    p.spec.schedule.get_ref(),
                    p.spec.timezone.get_ref()
                ));
            }
            if user.may(Permission::ReadReviews) {
                let visible = crate::review::Visible::to(&s.db, &user.principal).await?;
                let c = crate::review::views::list_campaigns(
                    &s.db,
                    &visible,
                    Some(rule),
                    s.clock.now(),
                )
                .await?;
                row.last = c.first().map(|c| {
                    format!(
                        "{} — {}",
                        labels.status(if c.overdue {
                            "overdue"
                        } else {
                            c.status.as_str()
                        }),
                        t.date_time(c.opened_at)
                    )
                });
            }
        }
    }
    Ok(row)
}

/// Whether an open field is stated, stated as none, or left open by the source.
pub fn openness_key(o: &Openness) -> &'static str {
    match o {
        Openness::Stated => "open-stated",
        Openness::None => "open-none",
        Openness::NotStated => "open-not-stated",
    }
}

impl ServicePage {
    fn duration_key(&self) -> &'static str {
        use crate::policy::spec::DurationKind as K;
        match self.s.processing.duration.kind {
            K::UntilFurtherNotice => "duration-until-further-notice",
            K::ContractTerm => "duration-contract-term",
            K::UntilDate => "duration-until-date",
            K::NotStated => "open-not-stated",
        }
    }

    fn open(&self, o: &Openness) -> &'static str {
        openness_key(o)
    }

    fn person(&self, p: &crate::policy::spec::Person) -> String {
        [p.name.as_deref(), p.email.as_deref(), p.phone.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn safeguard(&self, s: &crate::policy::spec::Safeguard) -> String {
        self.nav
            .t
            .t(format!("safeguard-{}", format!("{s:?}").to_lowercase()))
    }
}
