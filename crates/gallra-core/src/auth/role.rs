//! Roles and what each may do: the permission matrix docs/api.md (Roles) documents.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Dpo,
    Reviewer,
    Auditor,
    Operator,
}

/// Something a request may want to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Read the register: services, versions, instructions, organisations.
    ReadRegister,
    /// Create, list and revoke API tokens.
    ManageTokens,
    /// Read retention rules, runs and breaches.
    ReadRetention,
    /// Trigger retention runs.
    RunRetention,
    /// Approve guarded runs, place and lift legal holds.
    ApproveAndHold,
    /// Decide review items assigned to oneself.
    DecideReviews,
    /// See review campaigns and their items.
    ReadReviews,
    /// Open and close review campaigns, upload account lists.
    ManageReviews,
    /// Read the evidence log.
    ReadEvidence,
    /// Download audit bundles.
    ExportAudit,
    /// Import processors' documents as draft policy files (the web's `/import`).
    ImportDocuments,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Dpo,
        Role::Reviewer,
        Role::Auditor,
        Role::Operator,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Dpo => "dpo",
            Role::Reviewer => "reviewer",
            Role::Auditor => "auditor",
            Role::Operator => "operator",
        }
    }

    pub fn may(self, p: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Admin => true,
            Role::Dpo => !matches!(p, ManageTokens),
            Role::Auditor => matches!(
                p,
                ReadRegister | ReadRetention | ReadEvidence | ReadReviews | ExportAudit
            ),
            Role::Operator => matches!(
                p,
                ReadRegister | ReadRetention | RunRetention | ReadEvidence
            ),
            // A reviewer sees the campaigns assigned to them, not the register.
            Role::Reviewer => matches!(p, DecideReviews | ReadReviews),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown role `{s}`: expected one of admin, dpo, reviewer, auditor, operator"
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admin_manages_tokens() {
        for r in Role::ALL {
            assert_eq!(r.may(Permission::ManageTokens), r == Role::Admin, "{r}");
        }
    }

    #[test]
    fn parses_every_role_name() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>(), Ok(r));
        }
        assert!("root".parse::<Role>().is_err());
    }
}
