//! Reading a timestamp column back as an instant, whatever the rule's format and the backend.

use chrono::{DateTime, NaiveDateTime, Utc};
use sea_orm::QueryResult;

use crate::policy::spec::TimestampFormat;

/// The instant in column `col` of `row`, or `None` when it is NULL or unreadable.
pub fn read(row: &QueryResult, col: &str, format: TimestampFormat) -> Option<DateTime<Utc>> {
    match format {
        TimestampFormat::UnixSeconds => int(row, col).and_then(|s| DateTime::from_timestamp(s, 0)),
        TimestampFormat::UnixMillis => int(row, col).and_then(DateTime::from_timestamp_millis),
        TimestampFormat::Iso8601 | TimestampFormat::Sql => {
            if let Ok(Some(t)) = row.try_get::<Option<DateTime<Utc>>>("", col) {
                return Some(t);
            }
            if let Ok(Some(t)) = row.try_get::<Option<NaiveDateTime>>("", col) {
                return Some(t.and_utc());
            }
            row.try_get::<Option<String>>("", col)
                .ok()
                .flatten()
                .and_then(|s| parse_text(&s))
        }
    }
}

/// An integer column of any width: PostgreSQL hands an `integer` only to a 32-bit read.
fn int(row: &QueryResult, col: &str) -> Option<i64> {
    match row.try_get::<Option<i64>>("", col) {
        Ok(v) => v,
        Err(_) => row
            .try_get::<Option<i32>>("", col)
            .ok()
            .flatten()
            .map(i64::from),
    }
}

/// RFC 3339, or `YYYY-MM-DD HH:MM:SS[.f]` taken as UTC.
pub fn parse_text(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f")
                .ok()
                .map(|t| t.and_utc())
        })
        .or_else(|| {
            NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .map(|t| t.and_utc())
        })
}
