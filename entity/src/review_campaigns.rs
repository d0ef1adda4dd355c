//! `review_campaigns`: one review of a policy's accounts, unique per (policy, scheduled occurrence).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "review_campaigns")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub policy_id: String,
    pub policy_hash: String,
    pub kind: String,
    pub trigger: String,
    pub scheduled_for: Option<DateTimeUtc>,
    pub opened_at: DateTimeUtc,
    pub due_at: DateTimeUtc,
    pub closed_at: Option<DateTimeUtc>,
    pub status: CampaignStatus,
    pub overdue_notified_at: Option<DateTimeUtc>,
    pub evidence_index: Option<i64>,
    /// While `closing`: the token of the close that holds it, and since when.
    pub closing_by: Option<String>,
    pub closing_at: Option<DateTimeUtc>,
}

/// Where a campaign stands, stored as its lowercase name (`open`, `closing`, `closed`): the
/// column stays the plain string it always was, so existing stores read unchanged.
#[derive(
    Copy,
    Clone,
    Debug,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    serde::Serialize,
    serde::Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "lowercase")]
pub enum CampaignStatus {
    /// Items may be decided.
    #[sea_orm(string_value = "open")]
    Open,
    /// A close holds it (`closing_by`) while it revokes and records; decisions are refused.
    #[sea_orm(string_value = "closing")]
    Closing,
    #[sea_orm(string_value = "closed")]
    Closed,
}

impl CampaignStatus {
    /// The stored name, as the API, the evidence and the pages show it.
    pub fn as_str(self) -> &'static str {
        match self {
            CampaignStatus::Open => "open",
            CampaignStatus::Closing => "closing",
            CampaignStatus::Closed => "closed",
        }
    }
}

impl std::fmt::Display for CampaignStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{ActiveEnum, Iterable};

    /// Stores written before the column was typed hold exactly these strings; the API and
    /// the evidence show the same.
    #[test]
    fn stored_and_shown_names_are_the_old_strings() {
        let names: Vec<String> = CampaignStatus::iter().map(|v| v.to_value()).collect();
        assert_eq!(names, ["open", "closing", "closed"]);
        for v in CampaignStatus::iter() {
            assert_eq!(v.to_value(), v.as_str());
            assert_eq!(
                serde_json::to_string(&v).unwrap(),
                format!("\"{}\"", v.as_str())
            );
            assert_eq!(
                CampaignStatus::try_from_value(&v.as_str().to_owned()).unwrap(),
                v
            );
        }
    }
}
