//! `review_items`: one account in a campaign and the decision on it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "review_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub campaign_id: i32,
    pub account_key: String,
    pub display: String,
    pub role: Option<String>,
    pub last_activity: Option<String>,
    /// snapshot: `current`; differential: `added` / `changed` / `removed`; exit: `not_in_roster`.
    pub change: String,
    pub decision: Option<Decision>,
    #[sea_orm(column_type = "Text", nullable)]
    pub justification: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
    pub action: Option<String>,
}

// A reviewer's decision on an account, stored (and shown) as its lowercase name. (A `//`
// comment: a doc comment would become the OpenAPI schema's description.)
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
pub enum Decision {
    #[sea_orm(string_value = "keep")]
    Keep,
    #[sea_orm(string_value = "revoke")]
    Revoke,
    #[sea_orm(string_value = "unsure")]
    Unsure,
}

impl Decision {
    /// The stored name, as the API, the evidence and the pages show it.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Keep => "keep",
            Decision::Revoke => "revoke",
            Decision::Unsure => "unsure",
        }
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
        let names: Vec<String> = Decision::iter().map(|v| v.to_value()).collect();
        assert_eq!(names, ["keep", "revoke", "unsure"]);
        for v in Decision::iter() {
            assert_eq!(v.to_value(), v.as_str());
            assert_eq!(
                serde_json::to_string(&v).unwrap(),
                format!("\"{}\"", v.as_str())
            );
            assert_eq!(Decision::try_from_value(&v.as_str().to_owned()).unwrap(), v);
        }
    }
}
