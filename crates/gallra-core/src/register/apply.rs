//! Syncing a validated policy set into the register, all or nothing, as new versions.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{instructions, register_entries, register_versions, rules, service_terms};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter,
};
use serde::Serialize;

use super::canonical::{sha256_hex, to_canonical};
use super::record::{desired_entries, service_terms, Desired, SERVICE};
use crate::evidence::{self, Event, Subject};
use crate::policy::spec::ServiceFile;
use crate::policy::PolicySet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Changed,
    Retired,
}

#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub kind: &'static str,
    pub key: String,
    pub change: ChangeKind,
    pub version: i32,
    pub content_hash: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ApplyReport {
    pub changes: Vec<Change>,
    pub unchanged: usize,
}

/// Who applied and why, recorded on every version written.
#[derive(Debug, Clone)]
pub struct Author {
    pub name: String,
    pub reason: String,
}

/// Apply the whole set in one transaction: any failure leaves the register as it was.
pub async fn apply(
    db: &DatabaseConnection,
    set: &PolicySet,
    author: &Author,
    now: DateTime<Utc>,
) -> anyhow::Result<ApplyReport> {
    crate::text::AUTHOR.check(&author.name)?;
    crate::text::REASON.check(&author.reason)?;
    let desired = desired_entries(set)?;
    let txn = crate::db::begin_write(db).await?;
    let report = apply_in(&txn, &desired, author, now).await?;
    txn.commit().await?;
    Ok(report)
}

async fn apply_in(
    db: &impl ConnectionTrait,
    desired: &[Desired],
    author: &Author,
    now: DateTime<Utc>,
) -> anyhow::Result<ApplyReport> {
    let existing: HashMap<(String, String), register_entries::Model> =
        register_entries::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|e| ((e.kind.clone(), e.key.clone()), e))
            .collect();
    let mut report = ApplyReport::default();
    // Each change with the id of the version row that records it.
    let mut written: Vec<(Change, i32)> = Vec::new();
    for d in desired {
        match existing.get(&(d.kind.to_owned(), d.key.clone())) {
            Some(e) if e.retired_at.is_none() && e.content_hash == d.content_hash => {
                report.unchanged += 1
            }
            Some(e) => written.push(update_entry(db, e, d, author, now).await?),
            None => written.push(insert_entry(db, d, author, now).await?),
        }
    }
    for e in existing.values() {
        let wanted = desired.iter().any(|d| d.kind == e.kind && d.key == e.key);
        if !wanted && e.retired_at.is_none() {
            written.push(retire_entry(db, e, author, now).await?);
        }
    }
    written.sort_by(|(a, _), (b, _)| (a.kind, &a.key).cmp(&(b.kind, &b.key)));
    // Each new version is evidence, in the same transaction as the version itself; the version
    // row keeps its entry's index, so the register as of a date cites its proof.
    let events: Vec<(Event, Subject)> = written
        .iter()
        .map(|(c, row)| {
            let event = Event::RegisterVersion {
                entry: c.kind.to_owned(),
                key: c.key.clone(),
                version: c.version,
                content_hash: c.content_hash.clone(),
                retired: c.change == ChangeKind::Retired,
            };
            (event, Subject::RegisterVersion(*row))
        })
        .collect();
    evidence::append_all_for(db, &events, now).await?;
    report.changes = written.into_iter().map(|(c, _)| c).collect();
    Ok(report)
}

async fn insert_entry(
    db: &impl ConnectionTrait,
    d: &Desired,
    author: &Author,
    now: DateTime<Utc>,
) -> anyhow::Result<(Change, i32)> {
    let entry = register_entries::ActiveModel {
        updated_at: Set(now),
        kind: Set(d.kind.to_owned()),
        key: Set(d.key.clone()),
        name: Set(d.name.clone()),
        current_version: Set(1),
        content_hash: Set(d.content_hash.clone()),
        body: Set(d.body.clone()),
        search_text: Set(d.search_text.clone()),
        retired_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let row = write_version(db, entry.id, 1, d, author, false, now).await?;
    sync_service(db, entry.id, d.service.as_ref(), now).await?;
    Ok((change(d, ChangeKind::Added, 1), row))
}

async fn update_entry(
    db: &impl ConnectionTrait,
    e: &register_entries::Model,
    d: &Desired,
    author: &Author,
    now: DateTime<Utc>,
) -> anyhow::Result<(Change, i32)> {
    let version = e.current_version + 1;
    let mut entry: register_entries::ActiveModel = e.clone().into();
    entry.updated_at = Set(now);
    entry.name = Set(d.name.clone());
    entry.current_version = Set(version);
    entry.content_hash = Set(d.content_hash.clone());
    entry.body = Set(d.body.clone());
    entry.search_text = Set(d.search_text.clone());
    entry.retired_at = Set(None);
    entry.update(db).await?;
    let row = write_version(db, e.id, version, d, author, false, now).await?;
    sync_service(db, e.id, d.service.as_ref(), now).await?;
    let kind = if e.retired_at.is_some() {
        ChangeKind::Added
    } else {
        ChangeKind::Changed
    };
    Ok((change(d, kind, version), row))
}

/// A removed entry keeps its history; its last version says it was retired.
async fn retire_entry(
    db: &impl ConnectionTrait,
    e: &register_entries::Model,
    author: &Author,
    now: DateTime<Utc>,
) -> anyhow::Result<(Change, i32)> {
    let version = e.current_version + 1;
    let mut entry: register_entries::ActiveModel = e.clone().into();
    entry.updated_at = Set(now);
    entry.current_version = Set(version);
    entry.retired_at = Set(Some(now));
    entry.update(db).await?;
    let d = Desired {
        kind: kind_str(&e.kind),
        key: e.key.clone(),
        name: e.name.clone(),
        body: e.body.clone(),
        content_hash: e.content_hash.clone(),
        source_file: String::new(),
        source_hash: String::new(),
        search_text: e.search_text.clone(),
        service: None,
    };
    let row = write_version(db, e.id, version, &d, author, true, now).await?;
    sync_service(db, e.id, None, now).await?;
    let change = Change {
        kind: kind_str(&e.kind),
        key: e.key.clone(),
        change: ChangeKind::Retired,
        version,
        content_hash: e.content_hash.clone(),
    };
    Ok((change, row))
}

fn kind_str(kind: &str) -> &'static str {
    match kind {
        SERVICE => SERVICE,
        super::record::DATASOURCE => super::record::DATASOURCE,
        _ => super::record::ORGANISATION,
    }
}

fn change(d: &Desired, change: ChangeKind, version: i32) -> Change {
    Change {
        kind: d.kind,
        key: d.key.clone(),
        change,
        version,
        content_hash: d.content_hash.clone(),
    }
}

async fn write_version(
    db: &impl ConnectionTrait,
    entry_id: i32,
    version: i32,
    d: &Desired,
    author: &Author,
    retired: bool,
    now: DateTime<Utc>,
) -> anyhow::Result<i32> {
    let source = |s: &String| (!s.is_empty()).then(|| s.clone());
    let row = register_versions::ActiveModel {
        created_at: Set(now),
        entry_id: Set(entry_id),
        version: Set(version),
        content_hash: Set(d.content_hash.clone()),
        source_file: Set(source(&d.source_file)),
        source_hash: Set(source(&d.source_hash)),
        author: Set(author.name.clone()),
        reason: Set(author.reason.clone()),
        retired: Set(retired),
        body: Set(d.body.clone()),
        evidence_index: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

/// Rebuild the derived rows of one service (terms, instructions, rules) from its current spec.
async fn sync_service(
    db: &impl ConnectionTrait,
    entry_id: i32,
    spec: Option<&ServiceFile>,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    service_terms::Entity::delete_many()
        .filter(service_terms::Column::EntryId.eq(entry_id))
        .exec(db)
        .await?;
    instructions::Entity::delete_many()
        .filter(instructions::Column::EntryId.eq(entry_id))
        .exec(db)
        .await?;
    let Some(spec) = spec else {
        retire_rules(db, entry_id, &[], now).await?;
        return Ok(());
    };
    let terms: Vec<_> = service_terms(spec)
        .into_iter()
        .map(|(term, value)| service_terms::ActiveModel {
            entry_id: Set(entry_id),
            term: Set(term.to_owned()),
            value: Set(value),
            ..Default::default()
        })
        .collect();
    if !terms.is_empty() {
        service_terms::Entity::insert_many(terms)
            .exec_without_returning(db)
            .await?;
    }
    let rows: Vec<_> = spec
        .instructions
        .iter()
        .map(|i| instructions::ActiveModel {
            entry_id: Set(entry_id),
            instruction_id: Set(i.id.get_ref().clone()),
            source: Set(i.source.clone()),
            text: Set(i.text.clone()),
            enforced_by: Set(i.enforced_by.as_ref().map(|b| b.get_ref().clone())),
            manual_owner: Set(i.manual.as_ref().map(|m| m.owner.clone())),
            ..Default::default()
        })
        .collect();
    if !rows.is_empty() {
        instructions::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await?;
    }
    let mut ids = Vec::new();
    for rule in &spec.retention {
        ids.push(rule.id.get_ref().clone());
        upsert_rule(
            db,
            rule.id.get_ref(),
            "retention",
            entry_id,
            to_canonical(rule)?,
        )
        .await?;
    }
    for review in &spec.reviews {
        ids.push(review.id.get_ref().clone());
        upsert_rule(
            db,
            review.id.get_ref(),
            "review",
            entry_id,
            to_canonical(review)?,
        )
        .await?;
    }
    retire_rules(db, entry_id, &ids, now).await
}

async fn upsert_rule(
    db: &impl ConnectionTrait,
    id: &str,
    kind: &str,
    entry_id: i32,
    body: String,
) -> anyhow::Result<()> {
    let model = rules::ActiveModel {
        id: Set(id.to_owned()),
        kind: Set(kind.to_owned()),
        entry_id: Set(entry_id),
        content_hash: Set(sha256_hex(body.as_bytes())),
        body: Set(body),
        retired_at: Set(None),
    };
    if rules::Entity::find_by_id(id).one(db).await?.is_some() {
        model.update(db).await?;
    } else {
        model.insert(db).await?;
    }
    Ok(())
}

async fn retire_rules(
    db: &impl ConnectionTrait,
    entry_id: i32,
    keep: &[String],
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    rules::Entity::update_many()
        .col_expr(
            rules::Column::RetiredAt,
            sea_orm::sea_query::Expr::value(Some(now)),
        )
        .filter(rules::Column::EntryId.eq(entry_id))
        .filter(rules::Column::Id.is_not_in(keep.iter().cloned()))
        .filter(rules::Column::RetiredAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
