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

/// An uploaded CSV holds at most this many bytes (some 100 bytes an account: 80,000 accounts).
pub const MAX_CSV_BYTES: usize = 8 << 20;
/// At most this many accounts in one campaign from a CSV.
pub const MAX_CSV_ACCOUNTS: usize = 50_000;
/// At most this many bytes in one cell (a key, a name, a role, a date).
pub const MAX_CSV_FIELD: usize = 1024;

/// Accounts from a CSV file or stream, read no further than [`MAX_CSV_BYTES`].
pub fn from_csv_reader(reader: impl std::io::Read) -> Result<Vec<Account>, String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    reader
        .take(MAX_CSV_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("the CSV cannot be read: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "the CSV is not UTF-8 (byte {})",
            e.utf8_error().valid_up_to() + 1
        )
    })?;
    from_csv(&text)
}

/// Accounts from CSV with a header row: `key,display[,role][,last_activity]`; bounded in
/// size, rows and cell length, each refusal saying which bound and where.
pub fn from_csv(text: &str) -> Result<Vec<Account>, String> {
    if text.len() > MAX_CSV_BYTES {
        return Err(format!(
            "the CSV holds more than {MAX_CSV_BYTES} bytes: split the accounts over campaigns"
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for (i, row) in reader.deserialize::<Account>().enumerate() {
        let line = i + 2;
        if out.len() == MAX_CSV_ACCOUNTS {
            return Err(format!(
                "CSV row {line}: more than {MAX_CSV_ACCOUNTS} accounts"
            ));
        }
        let a = row.map_err(|e| format!("CSV row {line}: {e}"))?;
        if a.key.is_empty() {
            return Err(format!("CSV row {line}: empty key"));
        }
        let cells = [
            ("key", Some(&a.key)),
            ("display", Some(&a.display)),
            ("role", a.role.as_ref()),
            ("last_activity", a.last_activity.as_ref()),
        ];
        if let Some((column, _)) = cells
            .iter()
            .find(|(_, v)| v.is_some_and(|v| v.len() > MAX_CSV_FIELD))
        {
            return Err(format!(
                "CSV row {line}: {column} is longer than {MAX_CSV_FIELD} bytes"
            ));
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

    #[test]
    fn csv_is_bounded_in_bytes_rows_and_cell_length_saying_where() {
        let big = format!("key,display\n{}", "1,a\n".repeat(MAX_CSV_BYTES / 4 + 1));
        assert!(from_csv(&big)
            .unwrap_err()
            .contains("more than 8388608 bytes"));
        let e = from_csv_reader(big.as_bytes()).unwrap_err();
        assert!(e.contains("more than 8388608 bytes"), "{e}");

        let rows: String = (0..=MAX_CSV_ACCOUNTS).map(|i| format!("{i},a\n")).collect();
        let e = from_csv(&format!("key,display\n{rows}")).unwrap_err();
        assert_eq!(
            e,
            format!(
                "CSV row {}: more than {MAX_CSV_ACCOUNTS} accounts",
                MAX_CSV_ACCOUNTS + 2
            )
        );
        let ok: String = (0..MAX_CSV_ACCOUNTS).map(|i| format!("{i},a\n")).collect();
        assert_eq!(
            from_csv(&format!("key,display\n{ok}")).unwrap().len(),
            MAX_CSV_ACCOUNTS
        );

        let long = "x".repeat(MAX_CSV_FIELD + 1);
        let e = from_csv(&format!("key,display,role\n1,a,\n2,b,{long}\n")).unwrap_err();
        assert_eq!(e, "CSV row 3: role is longer than 1024 bytes");
        let e = from_csv_reader(&b"key,display\n1,\xff\n"[..]).unwrap_err();
        assert_eq!(e, "the CSV is not UTF-8 (byte 15)");
    }
}
