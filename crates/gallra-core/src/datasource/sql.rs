//! SQL for datasources: identifiers validated and quoted per backend, values always bound.

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseBackend, Value};

use crate::policy::ident::check_ident;
use crate::policy::spec::TimestampFormat;

/// A quoted identifier; the name was validated against `[A-Za-z_][A-Za-z0-9_]*` first.
pub fn quote(backend: DatabaseBackend, name: &str) -> Result<String, String> {
    check_ident(name)?;
    Ok(match backend {
        DatabaseBackend::MySql => format!("`{name}`"),
        _ => format!("\"{name}\""),
    })
}

/// The `n`th bind placeholder (1-based).
pub fn param(backend: DatabaseBackend, n: usize) -> String {
    // SQLite numbers `?N` like PostgreSQL's `$N`, so a statement may use a value twice; MySQL
    // only takes them in order.
    match backend {
        DatabaseBackend::Postgres => format!("${n}"),
        DatabaseBackend::Sqlite => format!("?{n}"),
        _ => "?".to_owned(),
    }
}

/// A key cast to text, so keys of any type are read and digested alike.
pub fn key_as_text(backend: DatabaseBackend, quoted_key: &str) -> String {
    match backend {
        DatabaseBackend::MySql => format!("CAST({quoted_key} AS CHAR)"),
        _ => format!("CAST({quoted_key} AS TEXT)"),
    }
}

/// Every value of a text expression in one string, separated by U+001F ('' when there are
/// none): a batch's keys come back as one row, not thousands.
pub fn joined_text(backend: DatabaseBackend, text: &str) -> String {
    match backend {
        DatabaseBackend::Postgres => format!("COALESCE(string_agg({text}, chr(31)), '')"),
        _ => format!("COALESCE(group_concat({text}, char(31)), '')"),
    }
}

/// An instant as the rule's timestamp column stores it, for comparisons with bound values.
pub fn instant(backend: DatabaseBackend, format: TimestampFormat, at: DateTime<Utc>) -> Value {
    match format {
        TimestampFormat::UnixSeconds => Value::from(at.timestamp()),
        TimestampFormat::UnixMillis => Value::from(at.timestamp_millis()),
        // Text compared as text: a fraction of a second is written where there is one, so an
        // instant read back from a row (a batch's bound) is that row's text, not the second
        // before it, which every row of that second would sort after.
        TimestampFormat::Iso8601 => Value::from(at.format("%Y-%m-%dT%H:%M:%S%.fZ").to_string()),
        TimestampFormat::Sql => match backend {
            DatabaseBackend::Postgres => Value::from(at),
            DatabaseBackend::MySql => Value::from(at.naive_utc()),
            // SQLite keeps SQL timestamps as text `YYYY-MM-DD HH:MM:SS[.fff]`.
            _ => Value::from(at.format("%Y-%m-%d %H:%M:%S%.f").to_string()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_refuses_what_it_cannot_quote_safely() {
        assert_eq!(
            quote(DatabaseBackend::Postgres, "registered_at").unwrap(),
            "\"registered_at\""
        );
        assert_eq!(quote(DatabaseBackend::MySql, "id").unwrap(), "`id`");
        assert!(quote(DatabaseBackend::Sqlite, "id\"; DROP TABLE x; --").is_err());
    }
}
