//! A run's journal in the store: each batch is written `pending` (with its keys) after the
//! datasource changed its rows and before it commits them, and marked `committed` after. The
//! datasource and the store are different databases; a batch cut off between the two commits
//! is `pending` in the journal and is decided later by asking the datasource which of its keys
//! are gone (or anonymized): exactly those were committed.

use std::sync::atomic::{AtomicU64, Ordering};

use std::sync::Arc;

use entity::run_journal;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter, QueryOrder, Value,
};

use super::keys::KeyList;
use super::lock::RunLock;
use super::statements::Sql;
use crate::clock::Clock;
use crate::datasource::sql::{key_as_text, param};
use crate::pause;

/// Where a run journals its batches, and the run lock it must still hold to commit one.
pub struct Journal<'a> {
    db: DatabaseConnection,
    clock: Arc<dyn Clock>,
    lock: &'a RunLock,
    run_id: i32,
    attempt: i32,
    batches: AtomicU64,
}

impl<'a> Journal<'a> {
    pub fn new(
        state: &crate::context::AppState,
        lock: &'a RunLock,
        run_id: i32,
        attempt: i32,
    ) -> Self {
        Journal {
            db: state.db.clone(),
            clock: state.clock.clone(),
            lock,
            run_id,
            attempt,
            batches: AtomicU64::new(0),
        }
    }

    pub fn run_id(&self) -> i32 {
        self.run_id
    }

    pub fn attempt(&self) -> i32 {
        self.attempt
    }
}

/// A batch written `pending`: its row and number.
pub(super) struct Entry(i32, u64);

/// Before the datasource commits a batch that changed `keys`: the journal's `pending` row,
/// committed in the store, and the run lock checked to be still held. An error here leaves the
/// datasource's transaction to roll back.
pub(super) async fn before(
    j: Option<&Journal<'_>>,
    keys: &KeyList,
) -> Result<Option<Entry>, DbErr> {
    let Some(j) = j else {
        return Ok(None);
    };
    if keys.is_empty() {
        return Ok(None);
    }
    let n = j.batches.fetch_add(1, Ordering::SeqCst) + 1;
    pause::at("batch-changed", Some(n)).await;
    let row = run_journal::ActiveModel {
        run_id: Set(j.run_id),
        attempt: Set(j.attempt),
        batch: Set(n as i64),
        state: Set("pending".into()),
        rows: Set(keys.len() as i64),
        keys: Set(keys.encode()),
        created_at: Set(j.clock.now()),
        ..Default::default()
    };
    // Only the id comes back, not the keys just written.
    let id = run_journal::Entity::insert(row)
        .exec(&j.db)
        .await?
        .last_insert_id;
    pause::at("batch-journaled", Some(n)).await;
    // Checked last, as near the datasource's commit as can be: a run that lost its lock may
    // have another beside it, which would settle this one from a journal still growing. The
    // pending row stays, decided from the datasource (which rolls this batch back).
    j.lock.check().await.map_err(DbErr::Custom)?;
    Ok(Some(Entry(id, n)))
}

/// After the datasource committed: the batch is marked `committed`. A store that fails here
/// leaves it `pending`, to be decided from the datasource: the batch itself stands.
pub(super) async fn after(j: Option<&Journal<'_>>, entry: Option<Entry>) {
    let (Some(j), Some(Entry(id, n))) = (j, entry) else {
        return;
    };
    pause::at("batch-committed", Some(n)).await;
    let marked = run_journal::Entity::update_many()
        .col_expr(run_journal::Column::State, Expr::value("committed"))
        .filter(run_journal::Column::Id.eq(id))
        .exec(&j.db)
        .await;
    if let Err(e) = marked {
        tracing::warn!(run = j.run_id, batch = n, error = %e, "could not mark a batch committed");
    }
}

/// What attempt `attempt` of a run journaled its committed batches changed: the keys of those
/// marked committed, and of those pending the keys the datasource no longer holds unchanged.
/// Only that attempt's: a later attempt of the same run (a retry) may be working beside a
/// process that lost its lock. `ds` is `None` when the datasource cannot be asked: then a
/// pending batch is an error.
pub(super) async fn changed(
    store: &impl ConnectionTrait,
    ds: Option<(&DatabaseConnection, &Sql)>,
    run_id: i32,
    attempt: i32,
) -> Result<(KeyList, u64), String> {
    let rows = run_journal::Entity::find()
        .filter(run_journal::Column::RunId.eq(run_id))
        .filter(run_journal::Column::Attempt.eq(attempt))
        .order_by_asc(run_journal::Column::Id)
        .all(store)
        .await
        .map_err(|e| format!("reading the run's journal: {e}"))?;
    let mut keys = KeyList::default();
    let mut batches = 0;
    for row in rows {
        let batch = KeyList::decode(&row.keys)?;
        let batch = match (row.state.as_str(), ds) {
            ("committed", _) => batch,
            (_, Some((ds, s))) => decide(ds, s, batch)
                .await
                .map_err(|e| format!("asking the datasource about a cut-off batch: {e}"))?,
            (_, None) => {
                return Err(format!(
                    "batch {} was cut off between the store's commit and the datasource's, and \
                     the datasource cannot be asked",
                    row.batch
                ))
            }
        };
        if !batch.is_empty() {
            batches += 1;
        }
        keys.append(batch);
    }
    Ok((keys, batches))
}

/// [`changed`] asked of `ds` after a batch failed: the datasource's pool and the store's may
/// hold connections the server ended (what made the batch fail), and each try that fails on
/// one drops it, so it is asked again, once more than both pools hold connections. Asked at
/// once, not after a pause: a try that fails for another reason fails as fast the next time.
pub(super) async fn changed_after_failure(
    store: &impl ConnectionTrait,
    ds: &DatabaseConnection,
    rule: &crate::policy::spec::RetentionRule,
    j: &Journal<'_>,
) -> Result<(KeyList, u64), String> {
    let mut last = String::new();
    for _ in 0..=crate::datasource::POOL_SIZE + crate::db::POOL_SIZE {
        let asked = match sql_for(ds, rule).await {
            Ok(s) => changed(store, Some((ds, &s)), j.run_id, j.attempt).await,
            Err(e) => Err(e),
        };
        match asked {
            Ok(c) => return Ok(c),
            Err(e) => last = e,
        }
    }
    Err(last)
}

/// The statements of `rule` on `ds`, for deciding a pending batch.
pub(super) async fn sql_for(
    ds: &DatabaseConnection,
    rule: &crate::policy::spec::RetentionRule,
) -> Result<Sql, String> {
    let mut s = Sql::new(ds.get_database_backend(), rule)?;
    if s.backend == DatabaseBackend::Postgres {
        s.int_key = s
            .has_int_key(ds, rule.key.get_ref())
            .await
            .map_err(|e| format!("reading the key's type: {e}"))?;
    }
    Ok(s)
}

/// Drop a settled run's journal (its keys: the store keeps none once the run is evidence),
/// with any row an earlier attempt that lost its lock left.
pub(super) async fn drop_run(store: &impl ConnectionTrait, run_id: i32) -> Result<(), DbErr> {
    run_journal::Entity::delete_many()
        .filter(run_journal::Column::RunId.eq(run_id))
        .exec(store)
        .await
        .map(|_| ())
}

/// Drop the rows of journals whose attempt is no longer working: left by a process that lost
/// its run lock after its run was settled (or taken for a retry) by another. Such a process
/// wrote its row, then found the lock gone and rolled its batch back, so the row's keys were
/// never changed by it and are kept by no one: the store must not hold them. A row of an
/// attempt still `running` is its run's to settle.
pub async fn drop_orphans(store: &impl ConnectionTrait) -> Result<u64, DbErr> {
    use sea_orm::sea_query::{Alias, ExprTrait, Query};
    let r = Alias::new("r");
    let working = Query::select()
        .expr(Expr::val(1))
        .from_as(entity::retention_runs::Entity, r.clone())
        .and_where(
            Expr::col((r.clone(), entity::retention_runs::Column::Id))
                .equals((run_journal::Entity, run_journal::Column::RunId)),
        )
        .and_where(
            Expr::col((r.clone(), entity::retention_runs::Column::Attempt))
                .equals((run_journal::Entity, run_journal::Column::Attempt)),
        )
        .and_where(
            Expr::col((r, entity::retention_runs::Column::Outcome)).eq(super::Outcome::Running),
        )
        .to_owned();
    run_journal::Entity::delete_many()
        .filter(Expr::exists(working).not())
        .exec(store)
        .await
        .map(|d| d.rows_affected)
}

/// Of a pending batch's keys, those its datasource committed: deleted, or no longer pending
/// anonymization. On PostgreSQL and MySQL the rows are read `FOR UPDATE`, and on SQLite under
/// the file's write lock, so a transaction of the killed process (or of one that lost its lock)
/// still open on the server is waited for, not guessed at.
async fn decide(ds: &DatabaseConnection, s: &Sql, batch: KeyList) -> Result<KeyList, DbErr> {
    const CHUNK: usize = 1000;
    let lock = match s.backend {
        DatabaseBackend::Sqlite => "",
        _ => " FOR UPDATE",
    };
    // Integers are bound as such where the column is one (PostgreSQL will not compare a text
    // column with an integer): the key's index finds them.
    let ints = batch
        .ints()
        .filter(|_| s.backend != DatabaseBackend::Postgres || s.int_key)
        .map(<[i64]>::to_vec);
    let texts = batch.texts();
    // In a write transaction: on SQLite, BEGIN IMMEDIATE waits for a writer still holding the
    // file (a process that lost its lock between its check and its commit), as FOR UPDATE
    // waits elsewhere; nothing is written in it.
    let txn = crate::db::begin_write(ds).await?;
    let mut unchanged = std::collections::HashSet::new();
    for (i, chunk) in texts.chunks(CHUNK).enumerate() {
        let marks: Vec<String> = (1..=chunk.len()).map(|n| param(s.backend, n)).collect();
        let (column, values): (String, Vec<Value>) = match &ints {
            Some(ints) => (
                s.key.clone(),
                ints[i * CHUNK..i * CHUNK + chunk.len()]
                    .iter()
                    .map(|k| Value::from(*k))
                    .collect(),
            ),
            None => (
                key_as_text(s.backend, &s.key),
                chunk.iter().cloned().map(Value::from).collect(),
            ),
        };
        let sql = format!(
            "SELECT {} AS k FROM {} WHERE {column} IN ({}){}{lock}",
            key_as_text(s.backend, &s.key),
            s.table,
            marks.join(", "),
            s.pending
        );
        for row in txn.query_all_raw(s.stmt(sql, values)).await? {
            unchanged.insert(row.try_get::<String>("", "k")?);
        }
    }
    txn.rollback().await?;
    Ok(texts
        .iter()
        .filter(|k| !unchanged.contains(*k))
        .map(String::as_str)
        .collect())
}
