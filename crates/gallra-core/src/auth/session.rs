//! Web sessions and one-time login links, kept in the store by the SHA-256 of their secrets:
//! a session outlives a restart and works on every replica, and a stolen copy of the store
//! opens none of them.

use base64::Engine;
use chrono::{DateTime, TimeDelta, Utc};
use entity::{api_tokens, login_links, web_sessions};
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};

use super::token::TokenView;
use crate::digest::sha256_hex;

/// A session unused this long is over.
pub const IDLE: TimeDelta = TimeDelta::minutes(30);
/// A session is over this long after sign-in, however busy.
pub const ABSOLUTE: TimeDelta = TimeDelta::hours(12);
/// A one-time login link not used within this is void.
pub const LINK_VALID: TimeDelta = TimeDelta::hours(24);
/// `last_seen_at` is written at most this often: not a write per page.
const TOUCH_EVERY: TimeDelta = TimeDelta::minutes(1);

/// A signed-in browser: its token, and the CSRF token its forms must carry.
#[derive(Debug, Clone)]
pub struct Session {
    pub token: TokenView,
    pub csrf: String,
}

/// 256 random bits, URL-safe: session ids, CSRF tokens, link secrets.
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Start a session for `token_id`; returns the cookie's secret (never stored).
pub async fn start(
    db: &impl ConnectionTrait,
    token_id: i32,
    now: DateTime<Utc>,
) -> Result<String, sea_orm::DbErr> {
    let id = random_secret();
    web_sessions::ActiveModel {
        id_hash: Set(sha256_hex(id.as_bytes())),
        token_id: Set(token_id),
        csrf: Set(random_secret()),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + ABSOLUTE),
        ended_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// The live session whose cookie holds `id`, its token not revoked; marks it seen.
pub async fn find(
    db: &impl ConnectionTrait,
    id: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<Session>> {
    let Some(s) = web_sessions::Entity::find_by_id(sha256_hex(id.as_bytes()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if s.ended_at.is_some() || now >= s.expires_at || now - s.last_seen_at >= IDLE {
        return Ok(None);
    }
    let token = api_tokens::Entity::find_by_id(s.token_id)
        .filter(api_tokens::Column::RevokedAt.is_null())
        .one(db)
        .await?;
    let Some(token) = token else { return Ok(None) };
    if now - s.last_seen_at >= TOUCH_EVERY {
        web_sessions::Entity::update_many()
            .col_expr(web_sessions::Column::LastSeenAt, Expr::value(now))
            .filter(web_sessions::Column::IdHash.eq(s.id_hash.clone()))
            .exec(db)
            .await?;
    }
    Ok(Some(Session {
        token: token.try_into()?,
        csrf: s.csrf,
    }))
}

/// End the session whose cookie holds `id` (sign-out).
pub async fn end(
    db: &impl ConnectionTrait,
    id: &str,
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    web_sessions::Entity::update_many()
        .col_expr(web_sessions::Column::EndedAt, Expr::value(Some(now)))
        .filter(web_sessions::Column::IdHash.eq(sha256_hex(id.as_bytes())))
        .filter(web_sessions::Column::EndedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// A one-time login link's secret for `token_id`, valid for [`LINK_VALID`].
pub async fn create_login_link(
    db: &impl ConnectionTrait,
    token_id: i32,
    now: DateTime<Utc>,
) -> Result<String, sea_orm::DbErr> {
    let s = random_secret();
    login_links::ActiveModel {
        secret_hash: Set(sha256_hex(s.as_bytes())),
        token_id: Set(token_id),
        created_at: Set(now),
        expires_at: Set(now + LINK_VALID),
        used_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(s)
}

/// Use a login link: the token it signs in, once. A second use, or one past its time, is none.
pub async fn use_login_link(
    db: &impl ConnectionTrait,
    link: &str,
    now: DateTime<Utc>,
) -> Result<Option<i32>, sea_orm::DbErr> {
    let hash = sha256_hex(link.as_bytes());
    // One statement takes it: two browsers racing on one link cannot both sign in.
    let taken = login_links::Entity::update_many()
        .col_expr(login_links::Column::UsedAt, Expr::value(Some(now)))
        .filter(login_links::Column::SecretHash.eq(hash.clone()))
        .filter(login_links::Column::UsedAt.is_null())
        .filter(login_links::Column::ExpiresAt.gt(now))
        .exec(db)
        .await?;
    if taken.rows_affected != 1 {
        return Ok(None);
    }
    Ok(login_links::Entity::find_by_id(hash)
        .one(db)
        .await?
        .map(|l| l.token_id))
}
