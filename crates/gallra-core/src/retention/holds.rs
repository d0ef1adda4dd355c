//! Legal holds: a DPO places or lifts them, with a reason; each is evidence; held rows are
//! never purged and are counted as held.

use chrono::{DateTime, Utc};
use entity::legal_holds;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde::{Deserialize, Serialize};

use crate::digest::sha256_hex;
use crate::evidence::{self, Event};

/// The most keys the holds of one rule may list: each is a bound value of every statement of
/// the rule's runs, and SQLite takes 32,766 of those at most. More rows than this are held by
/// holding the whole rule.
pub const MAX_HELD_KEYS: usize = 10_000;

/// Why `hold` cannot be placed beside the holds `already` active on its rule, if it cannot.
pub fn refusal(hold: &NewHold, already: &Held) -> Option<String> {
    if let Err(e) = crate::text::REASON.check(&hold.reason) {
        return Some(format!("a legal hold needs a reason: {e}"));
    }
    let keys = hold.keys.as_ref()?;
    if let Some(e) = keys
        .iter()
        .find_map(|k| crate::text::HOLD_KEY.check(k).err())
    {
        return Some(e.to_string());
    }
    if keys.is_empty() {
        return Some(
            "a hold lists at least one key; leave `keys` out to hold the whole rule".into(),
        );
    }
    let mut all: Vec<&String> = already.keys.iter().chain(keys).collect();
    all.sort();
    all.dedup();
    (all.len() > MAX_HELD_KEYS).then(|| {
        format!(
            "the holds of one rule may list at most {MAX_HELD_KEYS} keys ({} with this one): hold the whole rule instead",
            all.len()
        )
    })
}

/// What the active holds of one rule protect.
#[derive(Debug, Clone, Default)]
pub struct Held {
    pub whole_rule: bool,
    pub keys: Vec<String>,
}

impl Held {
    pub fn is_empty(&self) -> bool {
        !self.whole_rule && self.keys.is_empty()
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct HoldView {
    pub id: i32,
    pub rule: String,
    /// `None`: the whole rule is held.
    pub keys: Option<Vec<String>>,
    pub reason: String,
    pub placed_by: String,
    pub placed_at: DateTime<Utc>,
    pub lifted_by: Option<String>,
    pub lifted_at: Option<DateTime<Utc>>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewHold {
    /// Keys to hold; omit to hold every row of the rule.
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 10_000))]
    pub keys: Option<Vec<String>>,
    /// Why: not blank, at most 2,000 characters.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 2000, pattern = r"\S")
    )]
    pub reason: String,
}

impl TryFrom<legal_holds::Model> for HoldView {
    type Error = serde_json::Error;
    fn try_from(m: legal_holds::Model) -> Result<Self, Self::Error> {
        let keys = m.keys.as_deref().map(serde_json::from_str).transpose()?;
        Ok(HoldView {
            id: m.id,
            rule: m.rule_id,
            keys,
            reason: m.reason,
            placed_by: m.placed_by,
            placed_at: m.placed_at,
            lifted_by: m.lifted_by,
            lifted_at: m.lifted_at,
        })
    }
}

pub async fn active(db: &impl ConnectionTrait, rule: &str) -> anyhow::Result<Held> {
    let rows = legal_holds::Entity::find()
        .filter(legal_holds::Column::RuleId.eq(rule))
        .filter(legal_holds::Column::LiftedAt.is_null())
        .all(db)
        .await?;
    let mut held = Held::default();
    for r in rows {
        match r.keys {
            None => held.whole_rule = true,
            Some(k) => held.keys.extend(serde_json::from_str::<Vec<String>>(&k)?),
        }
    }
    held.keys.sort();
    held.keys.dedup();
    Ok(held)
}

pub async fn list(db: &impl ConnectionTrait) -> anyhow::Result<Vec<HoldView>> {
    let rows = legal_holds::Entity::find()
        .order_by_asc(legal_holds::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(HoldView::try_from)
        .collect::<Result<_, _>>()?)
}

/// Place a hold (call in a transaction: the hold and its evidence commit together). The
/// evidence holds a hash of the keys, never the keys.
pub async fn place(
    db: &impl ConnectionTrait,
    rule: &str,
    hold: &NewHold,
    by: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<HoldView> {
    if let Some(why) = refusal(hold, &active(db, rule).await?) {
        anyhow::bail!(why);
    }
    let keys = hold.keys.as_ref().map(serde_json::to_string).transpose()?;
    let m = legal_holds::ActiveModel {
        rule_id: Set(rule.to_owned()),
        keys: Set(keys.clone()),
        reason: Set(hold.reason.trim().to_owned()),
        placed_by: Set(by.to_owned()),
        placed_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let event = Event::HoldPlaced {
        hold_id: m.id,
        rule: rule.to_owned(),
        keys: hold.keys.as_ref().map_or(0, |k| k.len() as i64),
        keys_sha256: keys.map(|k| sha256_hex(k.as_bytes())),
    };
    evidence::append(db, &event, now).await?;
    Ok(m.try_into()?)
}

/// Lift a hold; `None` when there is no such active hold.
pub async fn lift(
    db: &impl ConnectionTrait,
    id: i32,
    by: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<HoldView>> {
    let Some(m) = legal_holds::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    if m.lifted_at.is_some() {
        return Ok(Some(m.try_into()?));
    }
    let rule = m.rule_id.clone();
    let mut a: legal_holds::ActiveModel = m.into();
    a.lifted_by = Set(Some(by.to_owned()));
    a.lifted_at = Set(Some(now));
    let m = a.update(db).await?;
    evidence::append(db, &Event::HoldLifted { hold_id: id, rule }, now).await?;
    Ok(Some(m.try_into()?))
}
