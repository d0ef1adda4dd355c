//! The SQL of one rule on one backend: quoted identifiers, bound values, the conditions.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseBackend, DbErr, Statement, Value};

use super::hashed::HASHED;
use super::holds::Held;
use super::key_column::KeyColumn;
use crate::datasource::sql::{instant as bind_instant, key_as_text, param, quote};
use crate::policy::spec::{AnonymizeMethod, RetentionAction, RetentionRule, TimestampFormat};

/// Builds the statements of one rule for one backend.
pub(super) struct Sql {
    pub backend: DatabaseBackend,
    pub table: String,
    pub key: String,
    pub ts: String,
    pub format: TimestampFormat,
    /// `AND (… IS NOT NULL OR …)` for anonymize: rows already anonymized are done.
    pub pending: String,
    /// SQLite: where a preupdate hook reads the key, when a batch takes its keys that way.
    pub hook: Option<KeyColumn>,
    /// PostgreSQL: the key is an integer column, read as one binary array rather than text.
    pub int_key: bool,
}

impl Sql {
    pub fn new(backend: DatabaseBackend, rule: &RetentionRule) -> Result<Self, String> {
        let q = |n: &str| quote(backend, n);
        let pending = match (&rule.action, &rule.anonymize) {
            (RetentionAction::Anonymize, Some(a)) => {
                let cols: Result<Vec<String>, String> = a
                    .get_ref()
                    .columns
                    .iter()
                    .map(|c| {
                        let c = q(c.get_ref())?;
                        Ok(match a.get_ref().method {
                            AnonymizeMethod::Null => format!("{c} IS NOT NULL"),
                            // A keyed hash is recognisable by its prefix: such a row is done.
                            AnonymizeMethod::Hash => {
                                format!("({c} IS NOT NULL AND {c} NOT LIKE '{HASHED}%')")
                            }
                        })
                    })
                    .collect();
                format!(" AND ({})", cols?.join(" OR "))
            }
            _ => String::new(),
        };
        Ok(Sql {
            backend,
            table: q(rule.table.get_ref())?,
            key: q(rule.key.get_ref())?,
            ts: q(rule.timestamp.get_ref())?,
            format: rule.timestamp_format,
            pending,
            hook: None,
            int_key: false,
        })
    }

    pub fn bind(&self, at: DateTime<Utc>) -> Value {
        bind_instant(self.backend, self.format, at)
    }

    /// ` AND key NOT IN (…)` with parameters from `first`, and its values.
    pub fn not_held(&self, held: &Held, first: usize) -> (String, Vec<Value>) {
        if held.keys.is_empty() {
            return (String::new(), Vec::new());
        }
        self.key_in(" NOT", held, first)
    }

    /// ` AND key{not} IN (…)` with parameters from `first`, and its values.
    fn key_in(&self, not: &str, held: &Held, first: usize) -> (String, Vec<Value>) {
        let params: Vec<String> = (0..held.keys.len())
            .map(|i| param(self.backend, first + i))
            .collect();
        let clause = format!(
            " AND {}{not} IN ({})",
            key_as_text(self.backend, &self.key),
            params.join(", ")
        );
        (
            clause,
            held.keys.iter().map(|k| Value::from(k.clone())).collect(),
        )
    }

    /// `ts < cutoff` (parameter 1), still pending, outside `held`: the rows a run is for.
    pub fn over_age(&self, cutoff: DateTime<Utc>, held: &Held) -> (String, Vec<Value>) {
        self.aged(cutoff, self.not_held(held, 2))
    }

    /// `ts < cutoff` (parameter 1), still pending, with a key `held` lists (some must).
    pub fn held(&self, cutoff: DateTime<Utc>, held: &Held) -> (String, Vec<Value>) {
        self.aged(cutoff, self.key_in("", held, 2))
    }

    /// `ts < cutoff` (parameter 1), still pending, and `clause` on the keys.
    fn aged(
        &self,
        cutoff: DateTime<Utc>,
        (clause, mut values): (String, Vec<Value>),
    ) -> (String, Vec<Value>) {
        values.insert(0, self.bind(cutoff));
        let (ts, p1, pending) = (&self.ts, param(self.backend, 1), &self.pending);
        (format!("{ts} < {p1}{pending}{clause}"), values)
    }

    /// PostgreSQL: whether the key column is `smallint`, `integer` or `bigint`.
    pub async fn has_int_key(&self, db: &impl ConnectionTrait, key: &str) -> Result<bool, DbErr> {
        // The table's name as its quoted identifier, read by regclass's own parser.
        let sql = "SELECT format_type(atttypid, NULL) AS ty FROM pg_attribute \
                   WHERE attrelid = CAST($1 AS regclass) AND attname = $2 AND NOT attisdropped";
        let row = db
            .query_one_raw(self.stmt(sql.into(), vec![self.table.clone().into(), key.into()]))
            .await?;
        let ty: Option<String> = row.map(|r| r.try_get("", "ty")).transpose()?;
        Ok(matches!(
            ty.as_deref(),
            Some("smallint" | "integer" | "bigint")
        ))
    }

    pub fn stmt(&self, sql: String, values: Vec<Value>) -> Statement {
        Statement::from_sql_and_values(self.backend, sql, values)
    }
}

pub(super) async fn count(db: &impl ConnectionTrait, stmt: Statement) -> Result<u64, DbErr> {
    let row = db.query_one_raw(stmt).await?;
    Ok(row
        .map(|r| r.try_get_by_index::<i64>(0))
        .transpose()?
        .unwrap_or(0) as u64)
}
