//! The accounts a campaign reviews: read from a datasource table, or from an uploaded CSV.

use std::collections::BTreeSet;

use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde::Deserialize;

use crate::datasource::sql::{key_as_text, quote};
use crate::policy::spec::ReviewPolicy;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Account {
    pub key: String,
    pub display: String,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub last_activity: Option<String>,
}

/// Every account of the policy's source table, by key.
pub async fn from_datasource(
    db: &DatabaseConnection,
    p: &ReviewPolicy,
) -> Result<Vec<Account>, String> {
    let src = p.source.get_ref();
    let b = db.get_database_backend();
    let col = |c: &Option<crate::policy::spec::Sp<String>>| -> Result<Option<String>, String> {
        c.as_ref()
            .map(|c| quote(b, c.get_ref()).map(|q| key_as_text(b, &q)))
            .transpose()
    };
    let need = |c: &Option<crate::policy::spec::Sp<String>>, what: &str| {
        col(c)?.ok_or_else(|| format!("the source has no `{what}` column"))
    };
    let table = quote(
        b,
        src.table
            .as_ref()
            .ok_or("the source has no table")?
            .get_ref(),
    )?;
    let key = need(&src.key, "key")?;
    let display = need(&src.display, "display")?;
    let role = col(&src.role)?.unwrap_or_else(|| "NULL".into());
    let last = col(&src.last_activity)?.unwrap_or_else(|| "NULL".into());
    let sql = format!(
        "SELECT {key} AS k, {display} AS d, {role} AS r, {last} AS l FROM {table} ORDER BY 1"
    );
    let rows = db
        .query_all_raw(Statement::from_string(b, sql))
        .await
        .map_err(|e| format!("reading the accounts of `{}`: {e}", p.id.get_ref()))?;
    rows.iter()
        .map(|r| {
            Ok(Account {
                key: r.try_get("", "k").map_err(|e| e.to_string())?,
                display: r
                    .try_get::<Option<String>>("", "d")
                    .map_err(|e| e.to_string())?
                    .unwrap_or_default(),
                role: r.try_get("", "r").map_err(|e| e.to_string())?,
                last_activity: r.try_get("", "l").map_err(|e| e.to_string())?,
            })
        })
        .collect()
}

/// The keys of a roster table (for exit reviews).
pub async fn roster(db: &DatabaseConnection, p: &ReviewPolicy) -> Result<BTreeSet<String>, String> {
    let r = p
        .roster
        .as_ref()
        .ok_or("an exit review needs a roster")?
        .get_ref();
    let b = db.get_database_backend();
    let sql = format!(
        "SELECT {} AS k FROM {}",
        key_as_text(b, &quote(b, r.key.get_ref())?),
        quote(b, r.table.get_ref())?
    );
    let rows = db
        .query_all_raw(Statement::from_string(b, sql))
        .await
        .map_err(|e| format!("reading the roster: {e}"))?;
    rows.iter()
        .map(|r| r.try_get::<String>("", "k").map_err(|e| e.to_string()))
        .collect()
}

/// Accounts from CSV with a header row: `key,display[,role][,last_activity]`.
pub fn from_csv(text: &str) -> Result<Vec<Account>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for (i, row) in reader.deserialize::<Account>().enumerate() {
        let a = row.map_err(|e| format!("CSV row {}: {e}", i + 2))?;
        if a.key.is_empty() {
            return Err(format!("CSV row {}: empty key", i + 2));
        }
        out.push(a);
    }
    if out.is_empty() {
        return Err("the CSV holds no accounts (expected a header `key,display,role,last_activity` and rows)".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_needs_key_and_display() {
        let a = from_csv("key,display,role\n1, Anna Admin ,admin\n2,Bo,\n").unwrap();
        assert_eq!(a[0].display, "Anna Admin");
        assert_eq!(a.len(), 2);
        assert!(from_csv("key,role\n1,admin\n")
            .unwrap_err()
            .contains("row 2"));
        assert!(from_csv("key,display\n").is_err());
    }
}
