//! One batch of a purge, per backend, in one short transaction.

use chrono::{DateTime, Utc};
use sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseConnection, DatabaseTransaction, DbErr,
    IsolationLevel, TransactionTrait, Value,
};

use super::hooked;
use super::instant;
use super::journal;
use super::keys::KeyList;
use super::plan::Plan;
use super::statements::Sql;
use super::tally::Changed;
use crate::datasource::sql::{joined_text, key_as_text, param, quote};
use crate::policy::spec::RetentionAction;

/// Separates keys aggregated into one string: a batch comes back as one row, not thousands.
const SEP: char = '\u{1f}';

/// Tries of a PostgreSQL batch whose rows a concurrent writer changed under its snapshot.
const SNAPSHOT_ATTEMPTS: u32 = 3;

/// SQLSTATE 40001: the snapshot's rows changed under it; the batch can simply be retried.
fn serialization_failure(e: &DbErr) -> bool {
    use sea_orm::RuntimeErr::SqlxError;
    match e {
        DbErr::Query(SqlxError(e)) | DbErr::Exec(SqlxError(e)) => e
            .as_database_error()
            .and_then(|d| d.code())
            .is_some_and(|c| c == "40001"),
        _ => false,
    }
}

/// A PostgreSQL REPEATABLE READ transaction. A DELETE in it sees the snapshot of the read
/// before it: it removes exactly the rows whose keys were read, or fails (SQLSTATE 40001) if
/// one of them changed meanwhile. Rows inserted meanwhile are in neither.
pub(super) async fn snapshot(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_config(Some(IsolationLevel::RepeatableRead), None)
        .await
}

/// Run a batch made in a `snapshot` again while a concurrent change makes it fail, up to
/// `SNAPSHOT_ATTEMPTS` times.
pub(super) async fn in_snapshot<F, Fut>(mut batch: F) -> Result<Changed, DbErr>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<Changed, DbErr>>,
{
    let mut attempt = 1;
    loop {
        match batch().await {
            Err(e) if attempt < SNAPSHOT_ATTEMPTS && serialization_failure(&e) => attempt += 1,
            other => return other,
        }
    }
}

/// In `txn` (a snapshot or a write lock): read the keys of the rows matching `which`, as one
/// aggregated row, then change those rows with one statement, and commit. `RETURNING` the keys
/// instead would cost half as much again as the DELETE on PostgreSQL; the read costs a
/// quarter. A read and a change that disagree are rolled back.
pub(super) async fn read_then_change(
    txn: DatabaseTransaction,
    s: &Sql,
    p: &Plan<'_>,
    which: &str,
    values: Vec<Value>,
    last: bool,
) -> Result<Changed, DbErr> {
    let joined = if s.int_key {
        format!("COALESCE(array_agg({}::int8), '{{}}'::int8[])", s.key)
    } else {
        joined_text(s.backend, &key_as_text(s.backend, &s.key))
    };
    let keys = format!(
        "SELECT {joined} AS ks, MAX({ts}) AS t, COUNT(*) AS n FROM {} WHERE {which}",
        s.table,
        ts = s.ts
    );
    let row = txn.query_one_raw(s.stmt(keys, values.clone())).await?;
    let changed = aggregated(row, s, |_| last)?;
    // In the same snapshot the change would find nothing either: no second read of the rows.
    if changed.keys.is_empty() {
        txn.commit().await?;
        return Ok(changed);
    }
    let done = txn
        .execute_raw(s.stmt(change(s, p, which)?, values))
        .await?;
    if done.rows_affected() != changed.keys.len() as u64 {
        // Cannot happen in one snapshot or write lock; if it does, nothing of it stays.
        txn.rollback().await?;
        return Err(DbErr::Custom(format!(
            "a batch read {} keys but changed {} rows; it was rolled back",
            changed.keys.len(),
            done.rows_affected()
        )));
    }
    let entry = journal::before(p.journal, &changed.keys).await?;
    txn.commit().await?;
    journal::after(p.journal, entry).await;
    Ok(changed)
}

/// One batch in one short transaction: the affected keys (as text) and the newest timestamp.
pub(super) async fn batch(
    db: &DatabaseConnection,
    s: &Sql,
    p: &Plan<'_>,
    lower: Option<DateTime<Utc>>,
) -> Result<Changed, DbErr> {
    let mut values = vec![s.bind(p.cutoff)];
    let mut rest = s.pending.clone();
    if let Some(l) = lower {
        rest.push_str(&format!(" AND {} >= {}", s.ts, param(s.backend, 2)));
        values.push(s.bind(l));
    }
    let (held, held_values) = s.not_held(p.held, values.len() + 1);
    rest.push_str(&held);
    values.extend(held_values);
    let cond = format!("{} < {}{rest}", s.ts, param(s.backend, 1));
    let b = Batch {
        s,
        p,
        cond,
        rest,
        values,
    };
    match s.backend {
        DatabaseBackend::Postgres => b.postgres(db).await,
        DatabaseBackend::MySql => b.mysql(db).await,
        _ => b.sqlite(db).await,
    }
}

struct Batch<'a> {
    s: &'a Sql,
    p: &'a Plan<'a>,
    /// `ts < cutoff` (parameter 1) and `rest`.
    cond: String,
    /// The conditions after the cutoff: pending, lower bound, holds.
    rest: String,
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

    /// PostgreSQL: a range under one snapshot, retried if its rows changed.
    async fn postgres(self, db: &DatabaseConnection) -> Result<Changed, DbErr> {
        in_snapshot(|| async {
            let txn = snapshot(db).await?;
            // A bitmap scan would gather every remaining expired row to find the n-th oldest:
            // quadratic over a purge. The ordered index scan stops after n. This transaction
            // only.
            txn.execute_unprepared("SET LOCAL enable_bitmapscan = off")
                .await?;
            self.range(txn).await
        })
        .await
    }

    /// SQLite: where a hook can read the keys, the range's bounds are read first and the
    /// change takes its keys as it goes; otherwise the range is read and changed in one write
    /// transaction, taken at BEGIN, so no writer comes between the read and the change.
    async fn sqlite(self, db: &DatabaseConnection) -> Result<Changed, DbErr> {
        if let Some(key) = &self.s.hook {
            let (which, values, upper) = self.bounds(db).await?;
            let sql = change(self.s, self.p, &which)?;
            if let Some(keys) = hooked::change(db, key, sql, values, self.p.journal).await? {
                // The range's end is where the next one starts: no row below it is left.
                return Ok(Changed {
                    keys,
                    newest: upper,
                    last: upper.is_none(),
                });
            }
        }
        let txn = crate::db::begin_write(db).await?;
        self.range(txn).await
    }

    /// The oldest `batch` rows as a timestamp range, read and changed by ranged statements: the
    /// plan a plain DELETE uses.
    async fn range(&self, txn: DatabaseTransaction) -> Result<Changed, DbErr> {
        let (which, values, upper) = self.bounds(&txn).await?;
        read_then_change(txn, self.s, self.p, &which, values, upper.is_none()).await
    }

    /// The condition and values that take the oldest `batch` rows, and the range's end (`None`
    /// when no more than `batch` rows are left: then the condition is the cutoff's).
    async fn bounds(
        &self,
        conn: &impl ConnectionTrait,
    ) -> Result<(String, Vec<Value>, Option<DateTime<Utc>>), DbErr> {
        let pick = |offset: u64| {
            format!(
                "(SELECT {ts} FROM {} WHERE {} ORDER BY {ts} LIMIT 1 OFFSET {offset})",
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
        let row = conn
            .query_one_raw(self.s.stmt(bound, self.values.clone()))
            .await?;
        let mut values = self.values.clone();
        let mut which = self.cond.clone();
        let read = |col: &str| {
            row.as_ref()
                .and_then(|r| instant::read(r, col, self.s.format))
        };
        let upper = read("bound");
        if let Some(upper) = upper {
            // The range's end replaces the cutoff (it is below it): with two upper bounds, a
            // planner that cannot compare parameters may range over every expired row. `<=`
            // when one instant holds more rows than a batch: it goes whole, and the next batch
            // starts above it.
            let op = if read("first") == Some(upper) {
                "<="
            } else {
                "<"
            };
            which = format!(
                "{} {op} {}{}",
                self.s.ts,
                param(self.s.backend, 1),
                self.rest
            );
            values[0] = self.s.bind(upper);
        }
        Ok((which, values, upper))
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
        let list: KeyList = keys.iter().map(String::as_str).collect();
        let entry = journal::before(self.p.journal, &list).await?;
        txn.commit().await?;
        journal::after(self.p.journal, entry).await;
        let newest = rows
            .iter()
            .filter_map(|r| instant::read(r, "t", self.s.format))
            .max();
        Ok(Changed {
            last: (keys.len() as u64) < self.p.batch,
            keys: list,
            newest,
        })
    }
}

/// The keys, newest timestamp and count of one aggregated row: the keys as one text (or, for
/// `int_key`, one array of integers).
fn aggregated(
    row: Option<sea_orm::QueryResult>,
    s: &Sql,
    last: impl FnOnce(usize) -> bool,
) -> Result<Changed, DbErr> {
    let Some(row) = row else {
        return Ok(Changed {
            keys: KeyList::default(),
            newest: None,
            last: true,
        });
    };
    let n: i64 = row.try_get("", "n")?;
    let keys: KeyList = if s.int_key {
        let ints: Vec<i64> = row.try_get("", "ks")?;
        let mut keys = KeyList::default();
        ints.into_iter().for_each(|k| keys.push_int(k));
        keys
    } else {
        let ks: String = row.try_get("", "ks")?;
        match ks.is_empty() {
            true => KeyList::default(),
            false => ks.split(SEP).collect(),
        }
    };
    if keys.len() as i64 != n {
        // Read before the change: the batch is rolled back, nothing is left half-recorded.
        return Err(DbErr::Custom(format!(
            "a key is NULL or contains the separator U+001F: {n} rows matched, {} keys read",
            keys.len()
        )));
    }
    Ok(Changed {
        last: last(keys.len()),
        newest: instant::read(&row, "t", s.format),
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
