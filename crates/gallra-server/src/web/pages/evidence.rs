//! `/evidence`: the latest signed checkpoint, the verifier key, the entries paged with their
//! kind, and a page per entry — its canonical JSON, its inclusion proof against the latest
//! checkpoint, and a link back to what it records.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use base64::Engine;
use serde::Deserialize;

use crate::auth::Permission;
use crate::context::AppState;
use crate::evidence::{self, tree};
use crate::web::error::WebError;
use crate::web::nav::Nav;
use crate::web::user::WebUser;

const PAGE: u64 = 50;

fn html(t: impl Template) -> Result<Html<String>, WebError> {
    Ok(Html(t.render().map_err(anyhow::Error::from)?))
}

/// One entry as a list shows it.
pub struct EntryLine {
    pub index: u64,
    pub kind: String,
    pub at: String,
    pub link: Option<(String, String)>,
}

/// The kind, time and the page of what entry `body` records.
fn describe(index: u64, body: &str) -> EntryLine {
    let v: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    let s = |k: &str| {
        v.get(k)
            .and_then(|x| x.as_str())
            .unwrap_or_default()
            .to_owned()
    };
    let n = |k: &str| v.get(k).and_then(|x| x.as_i64()).unwrap_or_default();
    let kind = s("kind");
    let link = match kind.as_str() {
        "retention_run" | "run_approved" => Some((
            format!("/retention/runs/{}", n("run_id")),
            format!("{} {}", s("rule"), n("run_id")),
        )),
        "review_closed" => Some((format!("/reviews/{}", n("campaign_id")), s("policy"))),
        "hold_placed" | "hold_lifted" => {
            Some((format!("/retention/rules/{}#holds", s("rule")), s("rule")))
        }
        "register_version" if s("entry") == "service" => Some((
            format!("/services/{}#versions", s("key")),
            format!("{} v{}", s("key"), n("version")),
        )),
        _ => None,
    };
    EntryLine {
        index,
        kind,
        at: s("at"),
        link,
    }
}

#[derive(Template)]
#[template(path = "evidence.html")]
struct EvidencePage {
    nav: Nav,
    checkpoint: Option<String>,
    verifier_key: String,
    size: u64,
    entries: Vec<EntryLine>,
    prev: Option<u64>,
    next: Option<u64>,
}

#[derive(Deserialize)]
pub struct From {
    from: Option<u64>,
}

pub async fn show_evidence(
    State(s): State<AppState>,
    user: WebUser,
    Query(q): Query<From>,
) -> Result<Html<String>, WebError> {
    user.require(Permission::ReadEvidence)?;
    let size = tree::size(&s.db).await?;
    // Newest first by default: the last page of the log.
    let from = q
        .from
        .unwrap_or(size.saturating_sub(PAGE))
        .min(size.saturating_sub(1))
        .min(i64::MAX as u64);
    let mut entries: Vec<EntryLine> = tree::entries(&s.db, from, PAGE)
        .await?
        .iter()
        .map(|(i, b)| describe(*i, b))
        .collect();
    entries.reverse();
    html(EvidencePage {
        nav: Nav::new(&user, "/evidence"),
        checkpoint: evidence::latest_checkpoint(&s.db).await?.map(|c| c.note),
        verifier_key: s.keys.verifier_key.clone(),
        prev: (from + PAGE < size).then_some(from + PAGE),
        next: (from > 0).then(|| from.saturating_sub(PAGE)),
        size,
        entries,
    })
}

#[derive(Template)]
#[template(path = "entry.html")]
struct EntryPage {
    nav: Nav,
    line: EntryLine,
    canonical: String,
    pretty: String,
    leaf_hash: String,
    proof: Option<(u64, Vec<String>, bool)>,
}

pub async fn show_entry(
    State(s): State<AppState>,
    user: WebUser,
    Path(index): Path<u64>,
) -> Result<Html<String>, WebError> {
    user.require(Permission::ReadEvidence)?;
    let index = index.min(i64::MAX as u64);
    let canonical = tree::entry(&s.db, index)
        .await?
        .ok_or_else(|| WebError::NotFound(format!("no evidence entry {index}")))?;
    let leaf = tlog_tiles::tlog::record_hash(canonical.as_bytes());
    let proof = match evidence::latest_checkpoint(&s.db).await? {
        Some(c) if (c.tree_size as u64) > index => {
            let size = c.tree_size as u64;
            let (_, p) = tree::inclusion_proof(&s.db, index, size)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let root = base64::engine::general_purpose::STANDARD
                .decode(&c.root_hash)
                .ok()
                .and_then(|b| tree::to_hash(&b).ok());
            let hashes: Vec<tlog_tiles::tlog::Hash> = p
                .hashes
                .iter()
                .filter_map(|h| base64::engine::general_purpose::STANDARD.decode(h).ok())
                .filter_map(|b| tree::to_hash(&b).ok())
                .collect();
            let holds = root.is_some_and(|r| {
                tlog_tiles::tlog::check_record(&hashes, size, r, index, leaf).is_ok()
            });
            Some((size, p.hashes, holds))
        }
        _ => None,
    };
    let pretty = serde_json::from_str::<serde_json::Value>(&canonical)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| canonical.clone());
    html(EntryPage {
        nav: Nav::new(&user, "/evidence"),
        line: describe(index, &canonical),
        leaf_hash: base64::engine::general_purpose::STANDARD.encode(leaf.0),
        canonical,
        pretty,
        proof,
    })
}

fn kind_key(kind: &str) -> String {
    format!("kind-{}", kind.replace('_', "-"))
}

impl EvidencePage {
    fn kind_key(&self, kind: &str) -> String {
        kind_key(kind)
    }
}

impl EntryPage {
    fn kind_key(&self, kind: &str) -> String {
        kind_key(kind)
    }
}
