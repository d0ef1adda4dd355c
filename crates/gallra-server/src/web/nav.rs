//! What every page's frame shows: the sections, who is signed in, the language switch, and the
//! CSRF token the sign-out form carries.

use super::error::urlencode;
use super::i18n::{Lang, Tr};
use super::user::WebUser;
use crate::auth::{Permission, Role};

pub struct Nav {
    pub t: Tr,
    pub name: String,
    pub role: Role,
    pub csrf: String,
    /// The section this page belongs to (its link is marked current).
    pub current: &'static str,
    path: String,
}

impl Nav {
    pub fn new(user: &WebUser, current: &'static str) -> Self {
        Nav {
            t: user.tr,
            name: user.name.clone(),
            role: user.role,
            csrf: user.csrf.clone(),
            current,
            path: user.path.clone(),
        }
    }

    /// The sections this role may see.
    pub fn links(&self) -> Vec<(&'static str, &'static str)> {
        let mut links = Vec::new();
        let may = |p| self.role.may(p);
        links.push(("/", "nav-overview"));
        if may(Permission::ReadRegister) {
            links.push(("/services", "nav-register"));
        }
        if may(Permission::ReadRetention) {
            links.push(("/retention", "nav-retention"));
        }
        if may(Permission::ReadReviews) {
            links.push(("/reviews", "nav-reviews"));
        }
        if may(Permission::ReadEvidence) {
            links.push(("/evidence", "nav-evidence"));
            links.push(("/exports", "nav-exports"));
        }
        if may(Permission::ImportDocuments) {
            links.push(("/import", "nav-import"));
        }
        links
    }

    pub fn is_current(&self, href: &str) -> bool {
        self.current == href
    }

    pub fn is_lang(&self, code: &str) -> bool {
        self.t.code() == code
    }

    pub fn role_key(&self) -> String {
        format!("role-{}", self.role)
    }

    /// Each language with the link that switches to it and comes back here.
    pub fn languages(&self) -> Vec<(&'static str, &'static str, String)> {
        Lang::ALL
            .into_iter()
            .map(|l| {
                let href = format!("/lang/{}?next={}", l.code(), urlencode(&self.path));
                (l.code(), l.name(), href)
            })
            .collect()
    }
}
