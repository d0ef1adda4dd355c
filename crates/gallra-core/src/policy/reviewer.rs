//! Who a review policy assigns, as an identity: a role, or one token by its id. Never a name: an
//! admin may give a token any name (`role:dpo` too), so a name decides nothing.

use std::fmt;
use std::str::FromStr;

use crate::auth::{Permission, Principal, Role};

/// One entry of a review policy's `reviewers`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reviewer {
    /// `role:<role>`: every caller whose role this is.
    Role(Role),
    /// `token:<id>`: the one token with this id (as `gallra token list` shows it).
    Token(i32),
}

impl Reviewer {
    /// Whether `who` is this reviewer: by its role or its token's id, nothing else.
    pub fn matches(&self, who: &Principal) -> bool {
        match *self {
            Reviewer::Role(r) => who.token.role == r,
            Reviewer::Token(id) => who.token.id == id,
        }
    }
}

impl FromStr for Reviewer {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(role) = s.strip_prefix("role:") {
            let role: Role = role.parse()?;
            // A role that decides nothing would be an assignment that silently never works.
            if !role.may(Permission::DecideReviews) {
                return Err(format!(
                    "role `{role}` may not decide reviews: assign `role:reviewer`, `role:dpo` or a `token:<id>`"
                ));
            }
            return Ok(Reviewer::Role(role));
        }
        if let Some(id) = s.strip_prefix("token:") {
            return match id.parse::<i32>() {
                Ok(n) if n > 0 && id.bytes().all(|b| b.is_ascii_digit()) => Ok(Reviewer::Token(n)),
                _ => Err(format!(
                    "`{s}`: a token is named by its id, a positive number (`token:12`, as `gallra token list` shows it)"
                )),
            };
        }
        Err(format!(
            "unknown reviewer `{s}`: a reviewer is `role:<role>` or `token:<id>`; a token is named by its id, not its name, since any token may be given any name"
        ))
    }
}

impl fmt::Display for Reviewer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reviewer::Role(r) => write!(f, "role:{r}"),
            Reviewer::Token(id) => write!(f, "token:{id}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who(id: i32, name: &str, role: Role) -> Principal {
        Principal {
            token: crate::auth::token::TokenView {
                id,
                name: name.into(),
                role,
                created_at: chrono::Utc::now(),
                revoked_at: None,
            },
        }
    }

    #[test]
    fn parses_roles_and_token_ids_and_round_trips() {
        for s in ["role:dpo", "role:reviewer", "role:admin", "token:7"] {
            assert_eq!(s.parse::<Reviewer>().unwrap().to_string(), s);
        }
    }

    #[test]
    fn refuses_names_and_unknown_forms() {
        for s in [
            "kontakt-granskare",
            "role:root",
            "role:auditor",
            "role:operator",
            "token:",
            "token:0",
            "token:-3",
            "token:+3",
            "token:kontakt-granskare",
            " role:dpo",
            "role:dpo ",
            "Role:dpo",
            "user:anna",
            "",
        ] {
            assert!(s.parse::<Reviewer>().is_err(), "{s:?}");
        }
    }

    #[test]
    fn matches_by_role_and_id_never_by_name() {
        let named = who(5, "role:dpo", Role::Reviewer);
        assert!(!Reviewer::Role(Role::Dpo).matches(&named));
        assert!(Reviewer::Role(Role::Reviewer).matches(&named));
        assert!(Reviewer::Token(5).matches(&named));
        assert!(!Reviewer::Token(6).matches(&named));
        assert!(Reviewer::Role(Role::Dpo).matches(&who(9, "anything", Role::Dpo)));
    }
}
