//! The authenticated caller: a token and its role. Each edge finds it its own way (a bearer
//! header, a session); what it may do is decided here.

use super::token::TokenView;
use super::Permission;

#[derive(Debug, Clone)]
pub struct Principal {
    pub token: TokenView,
}

/// The caller's role does not grant what it asked for.
#[derive(Debug, thiserror::Error)]
#[error("role `{role}` may not do this")]
pub struct Denied {
    pub role: String,
}

impl Principal {
    /// Ok when the caller's role grants `p`.
    pub fn require(&self, p: Permission) -> Result<&Self, Denied> {
        if self.token.role.may(p) {
            Ok(self)
        } else {
            Err(Denied {
                role: self.token.role.to_string(),
            })
        }
    }
}
