//! The register as it stood at an instant: for each entry the version in force then (the latest
//! written at or before it), with the index of the evidence entry that recorded it.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use entity::{evidence_entries, register_entries, register_versions};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};
use serde::Deserialize;

/// Ids per `IN (…)` list: far below SQLite's and PostgreSQL's limits on bound parameters.
const IDS: usize = 1_000;

/// One register entry's version in force at an instant.
#[derive(Debug, Clone)]
pub struct InForce {
    pub kind: String,
    pub key: String,
    pub version: i32,
    pub content_hash: String,
    pub created_at: DateTime<Utc>,
    pub retired: bool,
    pub body: String,
    /// `None` only while its event is queued, not yet in the tree.
    pub evidence_index: Option<i64>,
}

/// The OpenAPI schema of an `as_of`-like parameter: a date or an RFC 3339 instant.
#[cfg(feature = "openapi")]
pub fn as_of_schema() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{
        KnownFormat, ObjectBuilder, OneOfBuilder, Schema, SchemaFormat, Type,
    };
    Schema::OneOf(
        OneOfBuilder::new()
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date))),
            )
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime))),
            )
            .build(),
    )
}

/// An instant from `as_of`: RFC 3339, or a date, which means the end of that day (UTC) — the
/// register once that day's changes were made.
pub fn parse_as_of(text: &str) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    // An unencoded `+` in a query string arrives as a space: `…T10:00:00 01:00`.
    if let Ok(t) = DateTime::parse_from_rfc3339(&text.replacen(' ', "+", 1)) {
        return Ok(t.with_timezone(&Utc));
    }
    let end_of_day = NaiveTime::from_hms_micro_opt(23, 59, 59, 999_999).unwrap_or(NaiveTime::MIN);
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(|d| d.and_time(end_of_day).and_utc())
        .map_err(|_| {
            format!("as_of must be an RFC 3339 instant or a date (YYYY-MM-DD), not `{text}`")
        })
}

/// The versions of entries of `kind` (only `key`, if given) in force at `as_of`, in key order;
/// retired ones included, flagged. Entries not yet added then are absent.
pub async fn in_force(
    db: &impl ConnectionTrait,
    kind: &str,
    key: Option<&str>,
    as_of: DateTime<Utc>,
) -> Result<Vec<InForce>, DbErr> {
    use register_entries::Column as E;
    use register_versions::Column as V;
    let mut entries = register_entries::Entity::find()
        .select_only()
        .columns([E::Id, E::Key])
        .filter(E::Kind.eq(kind));
    if let Some(key) = key {
        entries = entries.filter(E::Key.eq(key));
    }
    let entries: HashMap<i32, String> = entries.into_tuple().all(db).await?.into_iter().collect();
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    // Without their bodies first: only the versions in force are read whole.
    let mut heads = register_versions::Entity::find().select_only().columns([
        V::Id,
        V::EntryId,
        V::Version,
        V::CreatedAt,
    ]);
    if key.is_some() {
        heads = heads.filter(V::EntryId.is_in(entries.keys().copied()));
    }
    let heads: Vec<(i32, i32, i32, DateTime<Utc>)> = heads.into_tuple().all(db).await?;
    let mut chosen: HashMap<i32, (i32, i32)> = HashMap::new();
    for (id, entry, version, created_at) in heads {
        if created_at > as_of || !entries.contains_key(&entry) {
            continue;
        }
        let best = chosen.entry(entry).or_insert((id, version));
        if version > best.1 {
            *best = (id, version);
        }
    }
    let ids: Vec<i32> = chosen.values().map(|c| c.0).collect();
    let mut rows = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IDS) {
        rows.extend(
            register_versions::Entity::find()
                .filter(V::Id.is_in(chunk.to_vec()))
                .all(db)
                .await?,
        );
    }
    let mut out: Vec<InForce> = rows
        .into_iter()
        .filter_map(|v| {
            Some(InForce {
                kind: kind.to_owned(),
                key: entries.get(&v.entry_id)?.clone(),
                version: v.version,
                content_hash: v.content_hash,
                created_at: v.created_at,
                retired: v.retired,
                body: v.body,
                evidence_index: v.evidence_index,
            })
        })
        .collect();
    out.sort_by(|a, b| a.key.cmp(&b.key));
    fill_indexes(db, &mut out).await?;
    Ok(out)
}

/// The evidence index of one version: the one its row holds, else found in the log.
pub async fn evidence_index(
    db: &impl ConnectionTrait,
    kind: &str,
    key: &str,
    entry_id: i32,
    version: i32,
) -> Result<Option<i64>, DbErr> {
    use register_versions::Column as V;
    let stored: Option<Option<i64>> = register_versions::Entity::find()
        .select_only()
        .column(V::EvidenceIndex)
        .filter(V::EntryId.eq(entry_id))
        .filter(V::Version.eq(version))
        .into_tuple()
        .one(db)
        .await?;
    if let Some(Some(index)) = stored {
        return Ok(Some(index));
    }
    Ok(recorded_versions(db)
        .await?
        .into_iter()
        .find(|r| r.entry == kind && r.key == key && r.version == version)
        .map(|r| r.idx))
}

/// Versions written before their rows kept an index: their entry is the `register_version`
/// event with the same kind, key and version (the first, and of the same content).
async fn fill_indexes(db: &impl ConnectionTrait, versions: &mut [InForce]) -> Result<(), DbErr> {
    if versions.iter().all(|v| v.evidence_index.is_some()) {
        return Ok(());
    }
    let mut by_key: HashMap<(String, String, i32), &Recorded> = HashMap::new();
    let recorded = recorded_versions(db).await?;
    for r in &recorded {
        by_key
            .entry((r.entry.clone(), r.key.clone(), r.version))
            .or_insert(r);
    }
    for v in versions.iter_mut().filter(|v| v.evidence_index.is_none()) {
        let found = by_key.get(&(v.kind.clone(), v.key.clone(), v.version));
        v.evidence_index = found
            .filter(|r| r.content_hash == v.content_hash)
            .map(|r| r.idx);
    }
    Ok(())
}

/// A `register_version` event as the log holds it.
#[derive(Debug, Clone, Deserialize)]
pub struct Recorded {
    #[serde(skip)]
    pub idx: i64,
    pub entry: String,
    pub key: String,
    pub version: i32,
    pub content_hash: String,
    pub retired: bool,
}

/// Every `register_version` event in the tree, in index order. A body that does not read as
/// one is reported by its index.
pub async fn recorded_versions_checked(
    db: &impl ConnectionTrait,
) -> Result<Vec<Result<Recorded, i64>>, DbErr> {
    use evidence_entries::Column as L;
    let rows: Vec<(i64, String)> = evidence_entries::Entity::find()
        .select_only()
        .columns([L::Idx, L::Body])
        .filter(L::Kind.eq("register_version"))
        .into_tuple()
        .all(db)
        .await?;
    let mut out: Vec<Result<Recorded, i64>> = rows
        .into_iter()
        .map(|(idx, body)| {
            serde_json::from_str::<Recorded>(&body)
                .map(|r| Recorded { idx, ..r })
                .map_err(|_| idx)
        })
        .collect();
    out.sort_by_key(|r| match r {
        Ok(r) => r.idx,
        Err(idx) => *idx,
    });
    Ok(out)
}

async fn recorded_versions(db: &impl ConnectionTrait) -> Result<Vec<Recorded>, DbErr> {
    Ok(recorded_versions_checked(db)
        .await?
        .into_iter()
        .filter_map(Result::ok)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_is_the_end_of_that_day_and_an_instant_is_itself() {
        let day = parse_as_of("2026-03-01").unwrap();
        assert_eq!(day.to_rfc3339(), "2026-03-01T23:59:59.999999+00:00");
        let t = parse_as_of("2026-03-01T10:00:00+01:00").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-03-01T09:00:00+00:00");
        assert_eq!(parse_as_of("2026-03-01T10:00:00 01:00"), Ok(t));
        assert!(parse_as_of("1 March").unwrap_err().contains("as_of"));
    }
}
