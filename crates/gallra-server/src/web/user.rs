//! Who is signed in: the session cookie (HttpOnly, SameSite=Strict, Secure when served over TLS
//! or configured), the language, and the CSRF check every form goes through.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use subtle::ConstantTimeEq;

use super::error::WebError;
use super::i18n::{Lang, Tr};
use super::lang::lang_of;
use crate::auth::{session, Permission, Role};
use crate::context::AppState;

pub const SESSION_COOKIE: &str = "gallra_session";
pub use super::lang::LANG_COOKIE;

/// The signed-in user of a page or form.
#[derive(Debug, Clone)]
pub struct WebUser {
    pub token_id: i32,
    pub name: String,
    pub role: Role,
    /// The same caller as the domain knows it (deciding reviews checks its assignment).
    pub principal: crate::auth::Principal,
    pub csrf: String,
    pub tr: Tr,
    /// The path asked for, to come back to after signing in.
    pub path: String,
}

impl WebUser {
    pub fn may(&self, p: Permission) -> bool {
        self.role.may(p)
    }

    /// 403 unless the role grants `p` (forms for it are absent; this refuses them anyway).
    pub fn require(&self, p: Permission) -> Result<(), WebError> {
        if self.may(p) {
            Ok(())
        } else {
            Err(WebError::Forbidden(self.tr.t("error-forbidden")))
        }
    }

    /// 403 unless `token` is this session's CSRF token.
    pub fn check_csrf(&self, token: &str) -> Result<(), WebError> {
        if bool::from(token.as_bytes().ct_eq(self.csrf.as_bytes())) {
            Ok(())
        } else {
            Err(WebError::Forbidden(self.tr.t("error-csrf")))
        }
    }
}

/// The language: the switch's cookie, else `Accept-Language`, else English.
pub fn lang(parts: &Parts) -> Lang {
    lang_of(&parts.headers)
}

/// The page's language, for pages that need no session (sign-in, errors).
pub struct PageLang(pub Tr);

impl<S: Send + Sync> FromRequestParts<S> for PageLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(PageLang(Tr::new(lang(parts))))
    }
}

impl FromRequestParts<AppState> for WebUser {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let tr = Tr::new(lang(parts));
        let path = parts
            .uri
            .path_and_query()
            .map_or("/".into(), |p| p.to_string());
        let jar = CookieJar::from_headers(&parts.headers);
        let Some(id) = jar.get(SESSION_COOKIE).map(|c| c.value().to_owned()) else {
            return Err(WebError::SignIn(path));
        };
        let found = session::find(&state.db, &id, state.clock.now())
            .await
            .map_err(WebError::Internal)?;
        let Some(s) = found else {
            return Err(WebError::SignIn(path));
        };
        Ok(WebUser {
            token_id: s.token.id,
            name: s.token.name.clone(),
            role: s.token.role,
            principal: crate::auth::Principal { token: s.token },
            csrf: s.csrf,
            tr,
            path,
        })
    }
}

/// Whether cookies get `Secure`: `GALLRA_COOKIE_SECURE=true`, or a request that came over TLS
/// (as a proxy in front says with `X-Forwarded-Proto: https`).
pub fn secure(state: &AppState, parts_headers: &axum::http::HeaderMap) -> bool {
    state.cookie_secure
        || parts_headers
            .get("x-forwarded-proto")
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"))
}

/// A cookie only this site's own requests send, no script reads, and (over TLS) only TLS carries.
pub fn cookie(name: &'static str, value: String, secure: bool) -> Cookie<'static> {
    Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .build()
}
