//! The work on the datasource: counting, deleting or anonymizing in batches bounded by
//! timestamp ranges (each batch one short statement on the timestamp index), and the
//! post-condition. Identifiers are validated and quoted; every value is bound.

use std::time::Instant;

use chrono::{DateTime, Utc};
use sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, Statement, TransactionTrait, Value,
};
use sha2::{Digest, Sha256};

use super::holds::Held;
use super::instant;
use super::report::Counts;
use crate::datasource::sql::{instant as bind_instant, key_as_text, param, quote};
use crate::policy::spec::{AnonymizeMethod, RetentionAction, RetentionRule, TimestampFormat};

/// Rows per batch: small enough that each transaction stays short on a busy table.
pub const BATCH: u64 = 50_000;

pub struct Plan<'a> {
    pub rule: &'a RetentionRule,
    pub held: &'a Held,
    pub cutoff: DateTime<Utc>,
    pub batch: u64,
}

pub struct Done {
    pub affected: u64,
    pub keys_sha256: String,
    pub batches: u64,
    pub longest_batch_ms: u64,
}

/// Builds the statements of one rule for one backend.
struct Sql {
    backend: DatabaseBackend,
    table: String,
    key: String,
    ts: String,
    format: TimestampFormat,
    /// `AND (… IS NOT NULL OR …)` for anonymize: rows already anonymized are done.
    pending: String,
}

impl Sql {
    fn new(backend: DatabaseBackend, rule: &RetentionRule) -> Result<Self, String> {
        let q = |n: &str| quote(backend, n);
        let pending = match (&rule.action, &rule.anonymize) {
            (RetentionAction::Anonymize, Some(a)) => {
                let cols: Result<Vec<String>, String> = a
                    .get_ref()
                    .columns
                    .iter()
                    .map(|c| Ok(format!("{} IS NOT NULL", q(c.get_ref())?)))
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
        })
    }

    fn bind(&self, at: DateTime<Utc>) -> Value {
        bind_instant(self.backend, self.format, at)
    }

    /// ` AND key NOT IN (…)` with parameters from `first`, and its values.
    fn not_held(&self, held: &Held, first: usize) -> (String, Vec<Value>) {
        if held.keys.is_empty() {
            return (String::new(), Vec::new());
        }
        let params: Vec<String> = (0..held.keys.len())
            .map(|i| param(self.backend, first + i))
            .collect();
        let clause = format!(
            " AND {} NOT IN ({})",
            key_as_text(self.backend, &self.key),
            params.join(", ")
        );
        (
            clause,
            held.keys.iter().map(|k| Value::from(k.clone())).collect(),
        )
    }

    fn stmt(&self, sql: String, values: Vec<Value>) -> Statement {
        Statement::from_sql_and_values(self.backend, sql, values)
    }
}

async fn count(db: &impl ConnectionTrait, stmt: Statement) -> Result<u64, DbErr> {
    let row = db.query_one_raw(stmt).await?;
    Ok(row
        .map(|r| r.try_get_by_index::<i64>(0))
        .transpose()?
        .unwrap_or(0) as u64)
}

/// Check the table and columns exist, so a misnamed one is a clear error, not a failed DELETE.
pub async fn check_schema(db: &DatabaseConnection, rule: &RetentionRule) -> Result<(), String> {
    let s = Sql::new(db.get_database_backend(), rule)?;
    let mut cols = vec![s.key.clone(), s.ts.clone()];
    if let Some(a) = &rule.anonymize {
        for c in &a.get_ref().columns {
            cols.push(quote(s.backend, c.get_ref())?);
        }
    }
    let sql = format!("SELECT {} FROM {} WHERE 1 = 0", cols.join(", "), s.table);
    db.query_all_raw(s.stmt(sql, vec![]))
        .await
        .map(|_| ())
        .map_err(|e| {
            format!(
                "table `{}` or one of its columns ({}) is missing or unreadable: {e}",
                rule.table.get_ref(),
                cols.join(", ")
            )
        })
}

pub async fn counts(db: &DatabaseConnection, p: &Plan<'_>) -> Result<Counts, DbErr> {
    let s = Sql::new(db.get_database_backend(), p.rule).map_err(DbErr::Custom)?;
    let table_rows = count(
        db,
        s.stmt(format!("SELECT COUNT(*) FROM {}", s.table), vec![]),
    )
    .await?;
    let over_age = format!(
        "FROM {} WHERE {} < {}{}",
        s.table,
        s.ts,
        param(s.backend, 1),
        s.pending
    );
    let matched = count(
        db,
        s.stmt(
            format!("SELECT COUNT(*) {over_age}"),
            vec![s.bind(p.cutoff)],
        ),
    )
    .await?;
    let held = if p.held.whole_rule {
        matched
    } else if p.held.keys.is_empty() {
        0
    } else {
        let (clause, mut values) = s.not_held(p.held, 2);
        values.insert(0, s.bind(p.cutoff));
        let outside = count(
            db,
            s.stmt(format!("SELECT COUNT(*) {over_age}{clause}"), values),
        )
        .await?;
        matched - outside
    };
    Ok(Counts {
        table_rows,
        matched,
        held,
        affected: matched - held,
    })
}

/// Rows over age outside holds, and the oldest timestamp left in the table.
pub async fn postcondition(
    db: &DatabaseConnection,
    p: &Plan<'_>,
) -> Result<(u64, Option<DateTime<Utc>>), DbErr> {
    let s = Sql::new(db.get_database_backend(), p.rule).map_err(DbErr::Custom)?;
    let remaining = if p.held.whole_rule {
        0
    } else {
        let (clause, mut values) = s.not_held(p.held, 2);
        values.insert(0, s.bind(p.cutoff));
        let sql = format!(
            "SELECT COUNT(*) FROM {} WHERE {} < {}{}{clause}",
            s.table,
            s.ts,
            param(s.backend, 1),
            s.pending
        );
        count(db, s.stmt(sql, values)).await?
    };
    let row = db
        .query_one_raw(s.stmt(
            format!("SELECT MIN({}) AS oldest FROM {}", s.ts, s.table),
            vec![],
        ))
        .await?;
    Ok((
        remaining,
        row.and_then(|r| instant::read(&r, "oldest", s.format)),
    ))
}

/// Delete or anonymize every row over age outside holds, batch by batch: each batch takes the
/// oldest `batch` rows from a lower timestamp bound that moves up, so no batch rescans the
/// index entries its predecessors left dead.
pub async fn purge(
    db: &DatabaseConnection,
    p: &Plan<'_>,
    mut progress: impl FnMut(u64),
) -> Result<Done, DbErr> {
    let s = Sql::new(db.get_database_backend(), p.rule).map_err(DbErr::Custom)?;
    if let Some(a) = &p.rule.anonymize {
        if a.get_ref().method == AnonymizeMethod::Hash {
            return Err(DbErr::Custom(
                "anonymize method `hash` is not supported yet; use `null`".into(),
            ));
        }
    }
    let mut keys = KeyList::default();
    if p.held.whole_rule {
        return Ok(Done {
            affected: 0,
            keys_sha256: keys.digest(),
            batches: 0,
            longest_batch_ms: 0,
        });
    }
    let (mut batches, mut longest) = (0u64, 0u64);
    let mut lower: Option<DateTime<Utc>> = None;
    loop {
        let started = Instant::now();
        let b = batch(db, &s, p, lower).await?;
        longest = longest.max(started.elapsed().as_millis() as u64);
        batches += 1;
        progress(b.keys.len() as u64);
        keys.extend(b.keys);
        match b.newest {
            Some(n) if !b.last => lower = Some(n),
            _ => break,
        }
    }
    Ok(Done {
        affected: keys.len() as u64,
        keys_sha256: keys.digest(),
        batches,
        longest_batch_ms: longest,
    })
}

/// What one batch changed.
struct Changed {
    keys: Vec<String>,
    newest: Option<DateTime<Utc>>,
    /// No row over age is left beyond this batch.
    last: bool,
}

/// Separates keys aggregated into one string: a batch comes back as one row, not thousands.
const SEP: char = '\u{1f}';

/// One batch in one short transaction: the affected keys (as text) and the newest timestamp.
async fn batch(
    db: &DatabaseConnection,
    s: &Sql,
    p: &Plan<'_>,
    lower: Option<DateTime<Utc>>,
) -> Result<Changed, DbErr> {
    let mut values = vec![s.bind(p.cutoff)];
    let mut cond = format!("{} < {}{}", s.ts, param(s.backend, 1), s.pending);
    if let Some(l) = lower {
        cond.push_str(&format!(" AND {} >= {}", s.ts, param(s.backend, 2)));
        values.push(s.bind(l));
    }
    let (held, held_values) = s.not_held(p.held, values.len() + 1);
    cond.push_str(&held);
    values.extend(held_values);
    let b = Batch { s, p, cond, values };
    match s.backend {
        DatabaseBackend::Postgres => b.postgres(db).await,
        DatabaseBackend::MySql => b.mysql(db).await,
        _ => b.sqlite(db).await,
    }
}

struct Batch<'a> {
    s: &'a Sql,
    p: &'a Plan<'a>,
    cond: String,
    values: Vec<Value>,
}

impl Batch<'_> {
    /// The oldest `batch` rows' `what`, in a stable order (ties broken by address).
    fn oldest(&self, what: &str, tie: &str) -> String {
        format!(
            "SELECT {what} FROM {} WHERE {} ORDER BY {}, {tie} LIMIT {}",
            self.s.table, self.cond, self.s.ts, self.p.batch
        )
    }

    fn key(&self) -> String {
        key_as_text(self.s.backend, &self.s.key)
    }

    /// A timestamp range holding about `batch` rows, changed in one statement that returns one
    /// aggregated row. Range deletes cost what a plain DELETE costs per row.
    async fn postgres(self, db: &DatabaseConnection) -> Result<Changed, DbErr> {
        let txn = db.begin().await?;
        // A bitmap scan would gather every remaining expired row to find the n-th oldest:
        // quadratic over a purge. The ordered index scan stops after n. This transaction only.
        txn.execute_unprepared("SET LOCAL enable_bitmapscan = off")
            .await?;
        let pick = |offset: u64| {
            format!(
                "(SELECT {ts} FROM {} WHERE {} ORDER BY {ts} OFFSET {offset} LIMIT 1)",
                self.s.table,
                self.cond,
                ts = self.s.ts
            )
        };
        let bound = format!(
            "SELECT {} AS first, {} AS bound",
            pick(0),
            pick(self.p.batch)
        );
        let row = txn
            .query_one_raw(self.s.stmt(bound, self.values.clone()))
            .await?;
        let key = self.key();
        let mut values = self.values;
        let mut which = self.cond.clone();
        let read = |col: &str| {
            row.as_ref()
                .and_then(|r| instant::read(r, col, self.s.format))
        };
        let upper = read("bound");
        if let Some(upper) = upper {
            // `<=` when one instant holds more rows than a batch: it goes whole, and the next
            // batch starts above it.
            let op = if read("first") == Some(upper) {
                "<="
            } else {
                "<"
            };
            which.push_str(&format!(
                " AND {} {op} {}",
                self.s.ts,
                param(self.s.backend, values.len() + 1)
            ));
            values.push(self.s.bind(upper));
        }
        let change = change(self.s, self.p, &which)?;
        let sql = format!(
            "WITH d AS ({change} RETURNING {key} AS k, {} AS t) SELECT COALESCE(string_agg(k, chr(31)), '') AS ks, MAX(t) AS t, COUNT(*) AS n FROM d",
            self.s.ts
        );
        let row = txn.query_one_raw(self.s.stmt(sql, values)).await?;
        txn.commit().await?;
        aggregated(row, self.s.format, |_| upper.is_none())
    }

    /// Read then change the same rows, in one write transaction (taken at BEGIN).
    async fn sqlite(self, db: &DatabaseConnection) -> Result<Changed, DbErr> {
        let batch = self.p.batch;
        let read = format!(
            "SELECT COALESCE(group_concat(k, char(31)), '') AS ks, MAX(t) AS t, COUNT(*) AS n FROM ({})",
            self.oldest(&format!("{} AS k, {} AS t", self.key(), self.s.ts), "rowid")
        );
        let change = change(
            self.s,
            self.p,
            &format!("rowid IN ({})", self.oldest("rowid", "rowid")),
        )?;
        let txn = db
            .begin_with_options(sea_orm::TransactionOptions {
                sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
                ..Default::default()
            })
            .await?;
        let row = txn
            .query_one_raw(self.s.stmt(read, self.values.clone()))
            .await?;
        txn.execute_raw(self.s.stmt(change, self.values)).await?;
        txn.commit().await?;
        aggregated(row, self.s.format, |n| (n as u64) < batch)
    }

    /// MySQL has no RETURNING and cannot subquery the table it changes: lock, read, change.
    async fn mysql(self, db: &DatabaseConnection) -> Result<Changed, DbErr> {
        let key = self.key();
        let select = format!(
            "{} FOR UPDATE",
            self.oldest(&format!("{key} AS k, {} AS t", self.s.ts), &self.s.key)
        );
        let txn = db.begin().await?;
        let rows = txn.query_all_raw(self.s.stmt(select, self.values)).await?;
        let keys: Vec<String> = rows
            .iter()
            .map(|r| r.try_get::<String>("", "k"))
            .collect::<Result<_, _>>()?;
        if !keys.is_empty() {
            let marks = vec!["?"; keys.len()].join(", ");
            let change = change(self.s, self.p, &format!("{key} IN ({marks})"))?;
            txn.execute_raw(
                self.s
                    .stmt(change, keys.iter().cloned().map(Value::from).collect()),
            )
            .await?;
        }
        txn.commit().await?;
        let newest = rows
            .iter()
            .filter_map(|r| instant::read(r, "t", self.s.format))
            .max();
        Ok(Changed {
            last: (keys.len() as u64) < self.p.batch,
            keys,
            newest,
        })
    }
}

fn aggregated(
    row: Option<sea_orm::QueryResult>,
    format: TimestampFormat,
    last: impl FnOnce(usize) -> bool,
) -> Result<Changed, DbErr> {
    let Some(row) = row else {
        return Ok(Changed {
            keys: Vec::new(),
            newest: None,
            last: true,
        });
    };
    let ks: String = row.try_get("", "ks")?;
    let n: i64 = row.try_get("", "n")?;
    let keys: Vec<String> = if ks.is_empty() {
        Vec::new()
    } else {
        ks.split(SEP).map(str::to_owned).collect()
    };
    if keys.len() as i64 != n {
        // The batch is committed; its count is right, but the key list cannot be trusted.
        return Err(DbErr::Custom(format!(
            "a key contains the separator U+001F: {n} rows changed, {} keys read",
            keys.len()
        )));
    }
    Ok(Changed {
        last: last(keys.len()),
        newest: instant::read(&row, "t", format),
        keys,
    })
}

/// The DELETE, or the UPDATE that anonymizes, of the rows matching `which`.
fn change(s: &Sql, p: &Plan<'_>, which: &str) -> Result<String, DbErr> {
    Ok(match (&p.rule.action, &p.rule.anonymize) {
        (RetentionAction::Anonymize, Some(a)) => {
            let sets: Result<Vec<String>, String> = a
                .get_ref()
                .columns
                .iter()
                .map(|c| Ok(format!("{} = NULL", quote(s.backend, c.get_ref())?)))
                .collect();
            format!(
                "UPDATE {} SET {} WHERE {which}",
                s.table,
                sets.map_err(DbErr::Custom)?.join(", ")
            )
        }
        _ => format!("DELETE FROM {} WHERE {which}", s.table),
    })
}

/// Affected keys, kept as integers while every key is one (8 bytes each, not a String).
#[derive(Default)]
struct KeyList {
    ints: Vec<i64>,
    texts: Option<Vec<String>>,
}

impl KeyList {
    fn extend(&mut self, keys: Vec<String>) {
        for k in keys {
            match (&mut self.texts, k.parse::<i64>()) {
                (None, Ok(i)) => self.ints.push(i),
                (None, Err(_)) => {
                    let mut all: Vec<String> = self.ints.drain(..).map(|i| i.to_string()).collect();
                    all.push(k);
                    self.texts = Some(all);
                }
                (Some(t), _) => t.push(k),
            }
        }
    }

    fn len(&self) -> usize {
        self.texts.as_ref().map_or(self.ints.len(), Vec::len)
    }

    fn digest(self) -> String {
        match self.texts {
            Some(t) => digest(t),
            None => {
                let mut ints = self.ints;
                ints.sort_unstable();
                let mut h = Sha256::new();
                for i in ints {
                    h.update(i.to_string().as_bytes());
                    h.update(b"\n");
                }
                hex::encode(h.finalize())
            }
        }
    }
}

/// SHA-256 over the keys in key order (numeric when every key is an integer), one per line.
pub fn digest(mut keys: Vec<String>) -> String {
    if keys.iter().all(|k| k.parse::<i64>().is_ok()) {
        keys.sort_by_key(|k| k.parse::<i64>().unwrap_or(0));
    } else {
        keys.sort();
    }
    let mut h = Sha256::new();
    for k in &keys {
        h.update(k.as_bytes());
        h.update(b"\n");
    }
    hex::encode(h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_orders_numeric_keys_numerically() {
        let a = digest(vec!["10".into(), "9".into(), "100".into()]);
        let b = digest(vec!["9".into(), "10".into(), "100".into()]);
        assert_eq!(a, b);
        assert_eq!(b, hex::encode(Sha256::digest(b"9\n10\n100\n")));
        let mut list = KeyList::default();
        list.extend(vec!["100".into(), "9".into(), "10".into()]);
        assert_eq!(list.digest(), b);
    }
}
