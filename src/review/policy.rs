//! Review policies as stored by `apply`.

use chrono::{DateTime, Utc};
use entity::rules;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::policy::duration::Period;
use crate::policy::schedule::parse_timezone;
use crate::policy::spec::ReviewPolicy;
use crate::register::record::from_body;

#[derive(Debug, Clone)]
pub struct Policy {
    pub spec: ReviewPolicy,
    pub hash: String,
    pub due: Period,
    pub tz: chrono_tz::Tz,
}

impl Policy {
    pub fn id(&self) -> &str {
        self.spec.id.get_ref()
    }

    /// When a campaign opened at `opened` is due: months are counted in the policy's zone.
    pub fn due_at(&self, opened: DateTime<Utc>) -> DateTime<Utc> {
        self.due
            .after(opened.with_timezone(&self.tz))
            .with_timezone(&Utc)
    }

    /// Whether a caller may decide this policy's items: a DPO or admin always; otherwise a
    /// reviewer named in `reviewers`, by `role:<role>` or by token name.
    pub fn assigned(&self, role: crate::auth::Role, token_name: &str) -> bool {
        use crate::auth::Role;
        matches!(role, Role::Dpo | Role::Admin)
            || self
                .spec
                .reviewers
                .iter()
                .any(|r| r.get_ref() == token_name || r.get_ref() == &format!("role:{role}"))
    }

    fn from_model(m: rules::Model) -> anyhow::Result<Self> {
        let spec: ReviewPolicy = from_body(&m.body)?;
        let due = Period::parse(spec.due.get_ref()).map_err(anyhow::Error::msg)?;
        let tz = parse_timezone(spec.timezone.get_ref()).map_err(anyhow::Error::msg)?;
        Ok(Policy {
            spec,
            hash: m.content_hash,
            due,
            tz,
        })
    }
}

pub async fn load(db: &impl ConnectionTrait, id: &str) -> anyhow::Result<Option<Policy>> {
    let found = rules::Entity::find_by_id(id)
        .filter(rules::Column::Kind.eq("review"))
        .filter(rules::Column::RetiredAt.is_null())
        .one(db)
        .await?;
    found.map(Policy::from_model).transpose()
}

pub async fn list(db: &impl ConnectionTrait) -> anyhow::Result<Vec<Policy>> {
    rules::Entity::find()
        .filter(rules::Column::Kind.eq("review"))
        .filter(rules::Column::RetiredAt.is_null())
        .order_by_asc(rules::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(Policy::from_model)
        .collect()
}
