//! Recording events in the caller's transaction, and the sequencer's integration that puts
//! queued events in the tree.
//!
//! An event is recorded in the same transaction as the change it records, so the two commit
//! together or not at all. If no other transaction holds the tree's head row, the event goes
//! straight into the tree and the transaction holds the head row until it ends (on SQLite,
//! whose writers take turns anyway, always). If another one holds it, the event is written to
//! `evidence_queue` instead, which takes no shared lock, so concurrent callers commit at once
//! (PostgreSQL groups their flushes) rather than one after another. Queued events enter the
//! tree in one batch under the head row's lock: after each commit that recorded evidence
//! (`Sequencer`), at start, and every minute.

use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, Utc};
use entity::evidence_queue;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Statement,
};

use super::grow::{self, Leaf};
use super::tree::TreeError;
use super::Event;

/// Queued events moved into the tree per statement batch.
const BATCH: u64 = 10_000;

/// Ids per DELETE of integrated queue rows.
const IDS: usize = 1_000;

/// A row that stores the index of its event once the event is in the tree.
#[derive(Clone, Copy, Debug)]
pub enum Subject {
    RetentionRun(i32),
    ReviewCampaign(i32),
    /// A row of `register_versions`: the register as of a date cites its version's entry.
    RegisterVersion(i32),
}

impl Subject {
    fn table(self) -> &'static str {
        match self {
            Subject::RetentionRun(_) => "retention_runs",
            Subject::ReviewCampaign(_) => "review_campaigns",
            Subject::RegisterVersion(_) => "register_versions",
        }
    }

    fn id(self) -> i32 {
        match self {
            Subject::RetentionRun(id)
            | Subject::ReviewCampaign(id)
            | Subject::RegisterVersion(id) => id,
        }
    }

    /// The statement that records the index; the table comes from this closed list only.
    fn update_sql(table: &str, backend: DatabaseBackend) -> Option<&'static str> {
        let pg = backend == DatabaseBackend::Postgres;
        Some(match (table, pg) {
            ("retention_runs", true) => {
                "UPDATE retention_runs SET evidence_index = $1 WHERE id = $2"
            }
            ("retention_runs", false) => {
                "UPDATE retention_runs SET evidence_index = ? WHERE id = ?"
            }
            ("review_campaigns", true) => {
                "UPDATE review_campaigns SET evidence_index = $1 WHERE id = $2"
            }
            ("review_campaigns", false) => {
                "UPDATE review_campaigns SET evidence_index = ? WHERE id = ?"
            }
            ("register_versions", true) => {
                "UPDATE register_versions SET evidence_index = $1 WHERE id = $2"
            }
            ("register_versions", false) => {
                "UPDATE register_versions SET evidence_index = ? WHERE id = ?"
            }
            _ => return None,
        })
    }
}

/// Record one event in the caller's transaction.
pub async fn append(
    db: &impl ConnectionTrait,
    event: &Event,
    now: DateTime<Utc>,
) -> Result<(), TreeError> {
    queue(db, &[(event, None)], now).await
}

/// Record events, in order, in the caller's transaction.
pub async fn append_all(
    db: &impl ConnectionTrait,
    events: &[Event],
    now: DateTime<Utc>,
) -> Result<(), TreeError> {
    let items: Vec<_> = events.iter().map(|e| (e, None)).collect();
    queue(db, &items, now).await
}

/// Record events, in order, each with the row that stores its index once it is in the tree.
pub async fn append_all_for(
    db: &impl ConnectionTrait,
    events: &[(Event, Subject)],
    now: DateTime<Utc>,
) -> Result<(), TreeError> {
    let items: Vec<_> = events.iter().map(|(e, s)| (e, Some(*s))).collect();
    queue(db, &items, now).await
}

/// Record one event whose index `subject` stores once the event is in the tree.
pub async fn append_for(
    db: &impl ConnectionTrait,
    event: &Event,
    subject: Subject,
    now: DateTime<Utc>,
) -> Result<(), TreeError> {
    queue(db, &[(event, Some(subject))], now).await
}

async fn queue(
    db: &impl ConnectionTrait,
    events: &[(&Event, Option<Subject>)],
    now: DateTime<Utc>,
) -> Result<(), TreeError> {
    if let Some(head) = grow::try_lock_head(db).await? {
        // Nobody else is growing the tree: straight in, in this transaction, which then holds
        // the head row until it ends.
        let leaves: Vec<Leaf> = events
            .iter()
            .map(|(e, _)| Leaf {
                kind: e.kind().to_owned(),
                body: e.to_entry(now),
                created_at: now,
            })
            .collect();
        let (_, indexes) = grow::extend(db, head, &leaves).await?;
        for ((_, subject), index) in events.iter().zip(indexes) {
            if let Some(s) = subject {
                record_index(db, s.table(), s.id() as i64, index).await?;
            }
        }
        return Ok(());
    }
    QUEUED.store(true, Ordering::SeqCst);
    for chunk in events.chunks(IDS) {
        let rows = chunk
            .iter()
            .map(|(e, subject)| evidence_queue::ActiveModel {
                created_at: Set(now),
                kind: Set(e.kind().to_owned()),
                body: Set(e.to_entry(now)),
                subject: Set(subject.map(|s| s.table().to_owned())),
                subject_id: Set(subject.map(|s| s.id() as i64)),
                ..Default::default()
            });
        evidence_queue::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Whether this process has ever queued an event. Until it has, every event it recorded went
/// straight into the tree, and `integrate_own` has nothing to do.
static QUEUED: AtomicBool = AtomicBool::new(false);

/// Put the caller's committed events in the tree if any of them may have been queued.
pub async fn integrate_own(db: &DatabaseConnection) -> Result<u64, TreeError> {
    if !QUEUED.load(Ordering::SeqCst) {
        return Ok(0);
    }
    integrate(db).await
}

/// Events committed but not yet in the tree.
pub async fn pending(db: &impl ConnectionTrait) -> Result<u64, TreeError> {
    Ok(evidence_queue::Entity::find().count(db).await?)
}

/// Move every committed queued event into the tree, in its own transaction; returns how many.
/// Cheap when nothing is queued: one read, no lock.
pub async fn integrate(db: &DatabaseConnection) -> Result<u64, TreeError> {
    if evidence_queue::Entity::find()
        .limit(1)
        .one(db)
        .await?
        .is_none()
    {
        return Ok(0);
    }
    let txn = crate::db::begin_write(db).await?;
    let n = integrate_locked(&txn).await?;
    txn.commit().await?;
    Ok(n)
}

/// Move every queued event visible to this transaction into the tree, in queue order. Takes
/// the head row's lock first: on PostgreSQL each statement then sees every event committed
/// before the lock was granted, so none is left behind by a concurrent integration.
pub async fn integrate_locked(db: &impl ConnectionTrait) -> Result<u64, TreeError> {
    let mut head = grow::lock_head(db).await?;
    let mut total = 0;
    loop {
        let rows = evidence_queue::Entity::find()
            .order_by_asc(evidence_queue::Column::Id)
            .limit(BATCH)
            .all(db)
            .await?;
        if rows.is_empty() {
            break;
        }
        let leaves: Vec<Leaf> = rows
            .iter()
            .map(|r| Leaf {
                kind: r.kind.clone(),
                body: r.body.clone(),
                created_at: r.created_at,
            })
            .collect();
        let (next, indexes) = grow::extend(db, head, &leaves).await?;
        head = next;
        for (row, index) in rows.iter().zip(indexes) {
            if let (Some(table), Some(id)) = (&row.subject, row.subject_id) {
                record_index(db, table, id, index).await?;
            }
        }
        // Exactly the rows read: a row with a lower id may commit later and is still queued.
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        for chunk in ids.chunks(IDS) {
            evidence_queue::Entity::delete_many()
                .filter(evidence_queue::Column::Id.is_in(chunk.to_vec()))
                .exec(db)
                .await?;
        }
        total += rows.len() as u64;
        if (rows.len() as u64) < BATCH {
            break;
        }
    }
    Ok(total)
}

async fn record_index(
    db: &impl ConnectionTrait,
    table: &str,
    id: i64,
    index: u64,
) -> Result<(), TreeError> {
    let backend = db.get_database_backend();
    let sql = Subject::update_sql(table, backend)
        .ok_or_else(|| TreeError::Tlog(format!("queued event names an unknown table {table:?}")))?;
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql,
        [(index as i64).into(), id.into()],
    ))
    .await?;
    Ok(())
}
