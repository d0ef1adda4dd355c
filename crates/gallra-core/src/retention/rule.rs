//! Retention rules as stored by `apply`: the spec of the current version and its hash.

use entity::rules;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::policy::duration::Period;
use crate::policy::schedule::parse_timezone;
use crate::policy::spec::RetentionRule;
use crate::register::record::from_body;

#[derive(Debug, Clone)]
pub struct Rule {
    pub spec: RetentionRule,
    pub hash: String,
    /// The canonical body `hash` is taken of: what a run records that it works by.
    pub body: String,
    pub keep_for: Period,
    pub tz: chrono_tz::Tz,
}

impl Rule {
    pub fn id(&self) -> &str {
        self.spec.id.get_ref()
    }

    /// now − keep_for, counting calendar months in the rule's time zone.
    pub fn cutoff(&self, now: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
        self.keep_for
            .before(now.with_timezone(&self.tz))
            .with_timezone(&chrono::Utc)
    }

    /// The rule's datasource, checked to have its table and columns, and the active holds.
    pub async fn prepare(
        &self,
        state: &crate::context::AppState,
    ) -> Result<(sea_orm::DatabaseConnection, super::holds::Held), String> {
        let ds = state
            .datasources
            .get(self.spec.datasource.get_ref())
            .await
            .map_err(|e| e.to_string())?;
        super::exec::check_schema(&ds, &self.spec).await?;
        let held = super::holds::active(&state.db, self.id())
            .await
            .map_err(|e| format!("reading legal holds: {e}"))?;
        Ok((ds, held))
    }

    fn from_model(m: rules::Model) -> anyhow::Result<Self> {
        Self::from_body(m.body, m.content_hash)
    }

    /// The rule of a stored canonical body and its hash.
    pub fn from_body(body: String, hash: String) -> anyhow::Result<Self> {
        let spec: RetentionRule = from_body(&body)?;
        let keep_for = Period::parse(spec.keep_for.get_ref()).map_err(anyhow::Error::msg)?;
        let tz = parse_timezone(spec.timezone.get_ref()).map_err(anyhow::Error::msg)?;
        Ok(Rule {
            spec,
            hash,
            body,
            keep_for,
            tz,
        })
    }
}

/// The live retention rule `id`, if any.
pub async fn load(db: &impl ConnectionTrait, id: &str) -> anyhow::Result<Option<Rule>> {
    let found = rules::Entity::find_by_id(id)
        .filter(rules::Column::Kind.eq("retention"))
        .filter(rules::Column::RetiredAt.is_null())
        .one(db)
        .await?;
    found.map(Rule::from_model).transpose()
}

/// The retention rule `id` as stored, retired or not: a cut-off run of a rule retired since
/// is still settled against it.
pub async fn stored(db: &impl ConnectionTrait, id: &str) -> anyhow::Result<Option<Rule>> {
    let found = rules::Entity::find_by_id(id)
        .filter(rules::Column::Kind.eq("retention"))
        .one(db)
        .await?;
    found.map(Rule::from_model).transpose()
}

pub async fn list(db: &impl ConnectionTrait) -> anyhow::Result<Vec<Rule>> {
    rules::Entity::find()
        .filter(rules::Column::Kind.eq("retention"))
        .filter(rules::Column::RetiredAt.is_null())
        .order_by_asc(rules::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(Rule::from_model)
        .collect()
}
