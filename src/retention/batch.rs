//! One batch of a purge, per backend, in one short transaction.

use chrono::{DateTime, Utc};
use sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, TransactionTrait, Value,
};

use super::exec::Plan;
use super::instant;
use super::statements::Sql;
use crate::datasource::sql::{key_as_text, param, quote};
use crate::policy::spec::{RetentionAction, TimestampFormat};

/// What one batch changed.
pub(super) struct Changed {
    pub keys: Vec<String>,
    pub newest: Option<DateTime<Utc>>,
    /// No row over age is left beyond this batch.
    pub last: bool,
}

/// Separates keys aggregated into one string: a batch comes back as one row, not thousands.
const SEP: char = '\u{1f}';

/// One batch in one short transaction: the affected keys (as text) and the newest timestamp.
pub(super) async fn batch(
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
pub(super) fn change(s: &Sql, p: &Plan<'_>, which: &str) -> Result<String, DbErr> {
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
