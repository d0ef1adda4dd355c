//! Which campaigns a caller sees — the one rule the API, the web and the CLI apply: a reviewer
//! sees the campaigns of the policies it is assigned to and no others (not even that they
//! exist); a role that reads reviews as a whole (admin, DPO, auditor) sees them all.

use std::collections::BTreeSet;

use sea_orm::ConnectionTrait;

use super::{policy, ReviewError};
use crate::auth::{Permission, Principal, Role};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visible {
    /// Every campaign.
    All,
    /// The campaigns of these policies only.
    Policies(BTreeSet<String>),
}

impl Visible {
    /// What `who` sees.
    pub async fn to(db: &impl ConnectionTrait, who: &Principal) -> Result<Self, ReviewError> {
        let role = who.token.role;
        if role == Role::Reviewer {
            let mine = policy::list(db)
                .await?
                .into_iter()
                .filter(|p| p.assigned(who))
                .map(|p| p.id().to_owned())
                .collect();
            Ok(Visible::Policies(mine))
        } else if role.may(Permission::ReadReviews) {
            Ok(Visible::All)
        } else {
            Ok(Visible::Policies(BTreeSet::new()))
        }
    }

    /// Whether a campaign of `policy` is seen.
    pub fn sees(&self, policy: &str) -> bool {
        match self {
            Visible::All => true,
            Visible::Policies(p) => p.contains(policy),
        }
    }
}
