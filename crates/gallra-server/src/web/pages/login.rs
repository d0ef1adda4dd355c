//! Signing in with a token (or the demo's one-time link), signing out, and the language switch.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{Extensions, HeaderMap};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use axum_extra::extract::cookie::{Cookie, CookieJar};
use serde::Deserialize;
use subtle::ConstantTimeEq;

use crate::auth::throttle::{ClientAddr, RetryAfter};
use crate::auth::{session, token};
use crate::context::AppState;
use crate::web::error::WebError;
use crate::web::i18n::{Lang, Tr};
use crate::web::user::{cookie, secure, PageLang, WebUser, LANG_COOKIE, SESSION_COOKIE};

/// Before a session exists, the sign-in form's CSRF token is a cookie of its own that the form
/// repeats (double submit): another site can neither read the cookie nor set it.
const LOGIN_CSRF_COOKIE: &str = "gallra_login_csrf";

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    t: Tr,
    csrf: String,
    next: String,
    error: Option<String>,
    langs: [Lang; 3],
}

#[derive(Deserialize)]
pub struct Next {
    next: Option<String>,
}

/// The client's address, as the server recorded it.
fn client(ext: &Extensions) -> Option<std::net::IpAddr> {
    ext.get::<ClientAddr>().and_then(|c| c.0)
}

fn too_many(t: &Tr, wait: RetryAfter) -> WebError {
    WebError::TooManyRequests(t.t("login-too-many"), wait.0)
}

fn local(next: Option<String>) -> String {
    crate::web::next::local_path(next.as_deref())
}

fn page(
    t: Tr,
    csrf: String,
    next: String,
    error: Option<String>,
) -> Result<Html<String>, WebError> {
    let p = LoginPage {
        t,
        csrf,
        next,
        error,
        langs: Lang::ALL,
    };
    Ok(Html(p.render().map_err(anyhow::Error::from)?))
}

pub async fn show_login(
    State(s): State<AppState>,
    PageLang(t): PageLang,
    headers: HeaderMap,
    jar: CookieJar,
    Query(q): Query<Next>,
) -> Result<Response, WebError> {
    let csrf = crate::auth::session::random_secret();
    let jar = jar.add(cookie(
        LOGIN_CSRF_COOKIE,
        csrf.clone(),
        secure(&s, &headers),
    ));
    Ok((jar, page(t, csrf, local(q.next), None)?).into_response())
}

#[derive(Deserialize)]
pub struct LoginForm {
    token: String,
    csrf: String,
    next: Option<String>,
}

pub async fn log_in(
    State(s): State<AppState>,
    PageLang(t): PageLang,
    headers: HeaderMap,
    ext: Extensions,
    jar: CookieJar,
    Form(f): Form<LoginForm>,
) -> Result<Response, WebError> {
    let expected = jar
        .get(LOGIN_CSRF_COOKIE)
        .map(|c| c.value().to_owned())
        .unwrap_or_default();
    if expected.is_empty() || !bool::from(expected.as_bytes().ct_eq(f.csrf.as_bytes())) {
        return Err(WebError::Forbidden(t.t("error-csrf")));
    }
    let next = local(f.next);
    let client = client(&ext);
    s.throttle.check(client).map_err(|w| too_many(&t, w))?;
    let Some(tok) = token::authenticate(&s.db, f.token.trim()).await? else {
        if let Some(wait) = s.throttle.failed(client) {
            return Err(too_many(&t, wait));
        }
        let html = page(t, expected, next, Some(t.t("login-bad-token")))?;
        return Ok((axum::http::StatusCode::UNAUTHORIZED, html).into_response());
    };
    signed_in(
        &s,
        tok.id,
        &headers,
        jar.remove(Cookie::from(LOGIN_CSRF_COOKIE)),
        &next,
    )
    .await
}

/// A new session for `token_id`, its cookie set, and on to `next`.
async fn signed_in(
    s: &AppState,
    token_id: i32,
    headers: &HeaderMap,
    jar: CookieJar,
    next: &str,
) -> Result<Response, WebError> {
    let id = session::start(&s.db, token_id, s.clock.now()).await?;
    let jar = jar.add(cookie(SESSION_COOKIE, id, secure(s, headers)));
    Ok((jar, Redirect::to(next)).into_response())
}

/// The demo's one-time link: signs its token in once, then is void.
pub async fn use_link(
    State(s): State<AppState>,
    PageLang(t): PageLang,
    headers: HeaderMap,
    ext: Extensions,
    jar: CookieJar,
    Path(link): Path<String>,
) -> Result<Response, WebError> {
    let client = client(&ext);
    s.throttle.check(client).map_err(|w| too_many(&t, w))?;
    match session::use_login_link(&s.db, &link, s.clock.now()).await? {
        Some(token_id) => signed_in(&s, token_id, &headers, jar, "/").await,
        None => Err(match s.throttle.failed(client) {
            Some(wait) => too_many(&t, wait),
            None => WebError::Forbidden(t.t("login-link-used")),
        }),
    }
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    csrf: String,
}

pub async fn log_out(
    State(s): State<AppState>,
    user: WebUser,
    jar: CookieJar,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    user.check_csrf(&f.csrf)?;
    if let Some(c) = jar.get(SESSION_COOKIE) {
        session::end(&s.db, c.value(), s.clock.now()).await?;
    }
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    Ok((jar, Redirect::to("/login")).into_response())
}

/// Switch the language and come back.
pub async fn set_lang(
    State(s): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
    Path(code): Path<String>,
    Query(q): Query<Next>,
) -> Result<Response, WebError> {
    let lang =
        Lang::parse(&code).ok_or_else(|| WebError::NotFound(format!("no language `{code}`")))?;
    let jar = jar.add(cookie(
        LANG_COOKIE,
        lang.code().into(),
        secure(&s, &headers),
    ));
    Ok((jar, Redirect::to(&local(q.next))).into_response())
}
