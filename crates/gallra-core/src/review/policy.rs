//! Review policies as stored by `apply`.

use chrono::{DateTime, Utc};
use entity::rules;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::auth::{Permission, Principal, Role};
use crate::policy::duration::Period;
use crate::policy::reviewer::Reviewer;
use crate::policy::schedule::parse_timezone;
use crate::policy::spec::ReviewPolicy;
use crate::register::record::from_body;

#[derive(Debug, Clone)]
pub struct Policy {
    pub spec: ReviewPolicy,
    pub hash: String,
    pub due: Period,
    pub tz: chrono_tz::Tz,
    /// `spec.reviewers` as identities. An entry stored before names stopped counting (a bare
    /// token name) parses to nothing here, so it assigns no one until the policy is re-applied.
    pub reviewers: Vec<Reviewer>,
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

    /// Whether `who` may decide this policy's items: its role must decide reviews, and then a
    /// DPO or admin always may; anyone else only as one of `reviewers`, by role or token id.
    pub fn assigned(&self, who: &Principal) -> bool {
        let role = who.token.role;
        role.may(Permission::DecideReviews)
            && (matches!(role, Role::Dpo | Role::Admin)
                || self.reviewers.iter().any(|r| r.matches(who)))
    }

    fn from_model(m: rules::Model) -> anyhow::Result<Self> {
        let spec: ReviewPolicy = from_body(&m.body)?;
        let due = Period::parse(spec.due.get_ref()).map_err(anyhow::Error::msg)?;
        let tz = parse_timezone(spec.timezone.get_ref()).map_err(anyhow::Error::msg)?;
        let reviewers = spec
            .reviewers
            .iter()
            .filter_map(|r| r.get_ref().parse().ok())
            .collect();
        Ok(Policy {
            reviewers,
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
