//! The reader's language from a request's headers: the switch's cookie, else
//! `Accept-Language`, else English; read by the pages and by the error page alike.

use axum_extra::extract::cookie::CookieJar;

use super::i18n::Lang;

pub const LANG_COOKIE: &str = "gallra_lang";

/// The language from a request's headers.
pub fn lang_of(headers: &axum::http::HeaderMap) -> Lang {
    let jar = CookieJar::from_headers(headers);
    jar.get(LANG_COOKIE)
        .and_then(|c| Lang::parse(c.value()))
        .unwrap_or_else(|| {
            let accept = headers
                .get(axum::http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            Lang::negotiate(accept)
        })
}
