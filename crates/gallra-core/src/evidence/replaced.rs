//! The key replacements the log records (`key_replaced` entries), read back: verification
//! accepts a checkpoint signed before a replacement under the key it replaced.

use entity::evidence_entries;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

/// A replacement, as its entry records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    /// The entry's index: a tree of this size or less was signed before it.
    pub index: i64,
    pub key: String,
    pub old: String,
    pub new: String,
}

/// Every replacement in the log, oldest first; entries that do not parse are skipped (the
/// walk over the log reports a changed entry).
pub async fn replacements(db: &impl ConnectionTrait) -> Result<Vec<Replacement>, DbErr> {
    let rows = evidence_entries::Entity::find()
        .filter(evidence_entries::Column::Kind.eq("key_replaced"))
        .order_by_asc(evidence_entries::Column::Idx)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let v: serde_json::Value = serde_json::from_str(&r.body).ok()?;
            let field = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_owned);
            Some(Replacement {
                index: r.idx,
                key: field("key")?,
                old: field("old")?,
                new: field("new")?,
            })
        })
        .collect())
}
