//! The bundle's tables read from the store: register versions, retention runs and review
//! campaigns whose evidence lies in the period, and the stand-in register as of its end.

use std::collections::HashMap;

use chrono::{DateTime, SecondsFormat, Utc};
use entity::{
    evidence_entries, register_entries, register_versions, retention_runs, review_campaigns,
    review_items,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::Value;

use super::error::ExportError;
use super::rows::{ReviewRow, RunRow, VersionRow};
use crate::review::decide::Decision;

fn instant(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Entries of one kind with indexes in `lo..hi`, parsed.
async fn entries_of(
    db: &impl ConnectionTrait,
    kind: &str,
    lo: u64,
    hi: u64,
) -> Result<Vec<(u64, Value)>, DbErr> {
    let rows: Vec<(i64, String)> = evidence_entries::Entity::find()
        .select_only()
        .columns([
            evidence_entries::Column::Idx,
            evidence_entries::Column::Body,
        ])
        .filter(evidence_entries::Column::Kind.eq(kind))
        .filter(evidence_entries::Column::Idx.gte(lo as i64))
        .filter(evidence_entries::Column::Idx.lt(hi as i64))
        .order_by_asc(evidence_entries::Column::Idx)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(i, b)| (i as u64, serde_json::from_str(&b).unwrap_or(Value::Null)))
        .collect())
}

/// (kind, key, version) of a `register_version` entry.
fn version_key(v: &Value) -> (String, String, i64) {
    (
        v["entry"].as_str().unwrap_or_default().to_owned(),
        v["key"].as_str().unwrap_or_default().to_owned(),
        v["version"].as_i64().unwrap_or(-1),
    )
}

/// Every register version recorded in entries `first..=last`, with its author and reason.
pub async fn versions(
    db: &impl ConnectionTrait,
    first: u64,
    last: u64,
) -> Result<Vec<VersionRow>, ExportError> {
    let keys: HashMap<i32, (String, String)> = register_entries::Entity::find()
        .select_only()
        .columns([
            register_entries::Column::Id,
            register_entries::Column::Kind,
            register_entries::Column::Key,
        ])
        .into_tuple::<(i32, String, String)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, kind, key)| (id, (kind, key)))
        .collect();
    type V = (i32, i32, String, bool, String, String, DateTime<Utc>);
    let versions: HashMap<(String, String, i64), V> = register_versions::Entity::find()
        .select_only()
        .columns([
            register_versions::Column::EntryId,
            register_versions::Column::Version,
            register_versions::Column::ContentHash,
            register_versions::Column::Retired,
            register_versions::Column::Author,
            register_versions::Column::Reason,
            register_versions::Column::CreatedAt,
        ])
        .into_tuple::<V>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|v| {
            let (kind, key) = keys.get(&v.0)?.clone();
            Some(((kind, key, i64::from(v.1)), v))
        })
        .collect();
    let mut out = Vec::new();
    for (index, e) in entries_of(db, "register_version", first, last + 1).await? {
        let k = version_key(&e);
        let v = versions.get(&k).ok_or_else(|| {
            ExportError::Inconsistent(format!(
                "entry {index}: no register version {} {} v{}",
                k.0, k.1, k.2
            ))
        })?;
        out.push(VersionRow {
            evidence_index: index,
            entry: k.0,
            key: k.1,
            version: v.1,
            content_hash: v.2.clone(),
            retired: v.3,
            author: v.4.clone(),
            reason: v.5.clone(),
            created_at: instant(v.6),
        });
    }
    Ok(out)
}

/// Every retention run whose evidence lies in `first..=last`, from its row and report.
pub async fn runs(
    db: &impl ConnectionTrait,
    first: u64,
    last: u64,
) -> Result<Vec<RunRow>, ExportError> {
    let rows = retention_runs::Entity::find()
        .filter(retention_runs::Column::EvidenceIndex.between(first as i64, last as i64))
        .order_by_asc(retention_runs::Column::EvidenceIndex)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(run_row).collect())
}

fn run_row(r: retention_runs::Model) -> RunRow {
    let report: Value = r
        .report
        .as_deref()
        .and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or(Value::Null);
    let count = |f: &str| report[f].as_u64().unwrap_or(0);
    RunRow {
        evidence_index: r.evidence_index.unwrap_or_default() as u64,
        run_id: r.id,
        attempt: r.attempt,
        rule: r.rule_id,
        rule_hash: r.rule_hash,
        trigger: r.trigger,
        cutoff: report["cutoff"].as_str().unwrap_or_default().to_owned(),
        matched: count("matched"),
        affected: count("affected"),
        held: count("held"),
        keys_sha256: report["keys_sha256"].as_str().map(str::to_owned),
        remaining_over_age: report["remaining_over_age"].as_u64(),
        // The outcome the run's evidence recorded; the row's own may have moved on since (an
        // approved run's `approved`).
        outcome: report["outcome"]
            .as_str()
            .map_or_else(|| r.outcome.as_str().to_owned(), str::to_owned),
        status: r.outcome.as_str().to_owned(),
        finished_at: r.finished_at.map(instant),
    }
}

/// Every review campaign closed with evidence in `first..=last`: its counts from its items, and
/// the keyed hash over its decisions, which only its entry keeps.
pub async fn reviews(
    db: &impl ConnectionTrait,
    first: u64,
    last: u64,
) -> Result<Vec<ReviewRow>, ExportError> {
    let campaigns = review_campaigns::Entity::find()
        .filter(review_campaigns::Column::EvidenceIndex.between(first as i64, last as i64))
        .order_by_asc(review_campaigns::Column::EvidenceIndex)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(campaigns.len());
    for c in campaigns {
        let index = c.evidence_index.unwrap_or_default() as u64;
        let entry = entries_of(db, "review_closed", index, index + 1).await?;
        let hmac = entry
            .first()
            .and_then(|(_, e)| e["decisions_hmac"].as_str())
            .unwrap_or_default()
            .to_owned();
        let items = review_items::Entity::find()
            .filter(review_items::Column::CampaignId.eq(c.id))
            .all(db)
            .await?;
        let decided = |d: Decision| items.iter().filter(|i| i.decision == Some(d)).count() as u64;
        let action = |f: &dyn Fn(&str) -> bool| {
            items
                .iter()
                .filter(|i| i.action.as_deref().is_some_and(f))
                .count() as u64
        };
        out.push(ReviewRow {
            evidence_index: index,
            campaign_id: c.id,
            policy: c.policy_id,
            policy_hash: c.policy_hash,
            kind: c.kind,
            items: items.len() as u64,
            kept: decided(Decision::Keep),
            revoked: decided(Decision::Revoke),
            unsure: items.len() as u64 - decided(Decision::Keep) - decided(Decision::Revoke),
            revocations_applied: action(&|a| a != "no_action" && !a.starts_with("failed:")),
            revocations_failed: action(&|a| a.starts_with("failed:")),
            decisions_hmac: hmac,
            closed_at: c.closed_at.map(instant),
        });
    }
    Ok(out)
}
