//! Creating, listing, revoking and checking API tokens. Only hashes are stored.

use base64::Engine;
use chrono::{DateTime, Utc};
use entity::api_tokens;
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde::Serialize;

use super::Role;
use crate::digest::sha256_hex;
use crate::evidence::{self, Event};

/// Tokens start with this, so a leaked one is recognisable by secret scanners.
const PREFIX: &str = "gallra_";

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct TokenView {
    pub id: i32,
    pub name: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl TryFrom<api_tokens::Model> for TokenView {
    type Error = anyhow::Error;
    fn try_from(m: api_tokens::Model) -> anyhow::Result<Self> {
        let role = m.role.parse().map_err(anyhow::Error::msg)?;
        Ok(TokenView {
            id: m.id,
            name: m.name,
            role,
            created_at: m.created_at,
            revoked_at: m.revoked_at,
        })
    }
}

pub fn hash(secret: &str) -> String {
    sha256_hex(secret.as_bytes())
}

/// Create a token; the secret is returned once and never stored. Call inside a transaction:
/// the token and its evidence entry commit together.
pub async fn create(
    db: &impl ConnectionTrait,
    name: &str,
    role: Role,
    now: DateTime<Utc>,
) -> anyhow::Result<(TokenView, String)> {
    let name = crate::text::TOKEN_NAME.check(name)?;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret = format!(
        "{PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    );
    let model = api_tokens::ActiveModel {
        created_at: Set(now),
        name: Set(name),
        role: Set(role.as_str().to_owned()),
        token_hash: Set(hash(&secret)),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let event = Event::TokenCreated {
        token_id: model.id,
        role: model.role.clone(),
    };
    evidence::append(db, &event, now).await?;
    Ok((model.try_into()?, secret))
}

pub async fn list(db: &impl ConnectionTrait) -> anyhow::Result<Vec<TokenView>> {
    api_tokens::Entity::find()
        .order_by_asc(api_tokens::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(TryInto::try_into)
        .collect()
}

/// Revoke by id; `None` when there is no such token. Call inside a transaction.
pub async fn revoke(
    db: &impl ConnectionTrait,
    id: i32,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<TokenView>> {
    let Some(m) = api_tokens::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    if m.revoked_at.is_some() {
        return Ok(Some(m.try_into()?));
    }
    let mut active: api_tokens::ActiveModel = m.into();
    active.revoked_at = Set(Some(now));
    let revoked = active.update(db).await?;
    evidence::append(
        db,
        &Event::TokenRevoked {
            token_id: revoked.id,
        },
        now,
    )
    .await?;
    Ok(Some(revoked.try_into()?))
}

/// The live token with this secret, if any.
pub async fn authenticate(
    db: &impl ConnectionTrait,
    secret: &str,
) -> anyhow::Result<Option<TokenView>> {
    if !secret.starts_with(PREFIX) {
        return Ok(None);
    }
    let found = api_tokens::Entity::find()
        .filter(api_tokens::Column::TokenHash.eq(hash(secret)))
        .filter(api_tokens::Column::RevokedAt.is_null())
        .one(db)
        .await?;
    found.map(TryInto::try_into).transpose()
}
