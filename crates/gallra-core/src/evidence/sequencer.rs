//! One process's integrations, grouped: callers that committed events while an integration ran
//! share the next one instead of each taking the head row's lock in turn.
//!
//! An integration takes every event committed before it began, so a caller is done once any
//! integration that began after its commit has finished. Callers queue on a mutex; the first
//! through integrates (and signs) for all who committed before it began, the rest find their
//! events already in the tree. Across processes the head row's lock still orders them.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, DatabaseTransaction};

use super::Keys;

#[derive(Clone, Default)]
pub struct Sequencer(Arc<State>);

#[derive(Default)]
struct State {
    /// Held while integrating; orders this process's integrations.
    gate: tokio::sync::Mutex<()>,
    /// Integrations begun, numbered from 1.
    begun: AtomicU64,
    /// The number of the last integration that finished.
    finished: AtomicU64,
    /// The number of the last integration that finished with a signed checkpoint.
    signed: AtomicU64,
}

impl Sequencer {
    /// Commit a transaction that recorded evidence, then return once its events are in the
    /// tree. The next job run or apply, or the background task within a minute, signs a
    /// checkpoint over them. A failure after the commit does not undo the change: its events
    /// stay queued, and the next integration takes them.
    pub async fn commit(
        &self,
        txn: DatabaseTransaction,
        db: &DatabaseConnection,
        keys: &Keys,
        now: DateTime<Utc>,
    ) -> Result<(), sea_orm::DbErr> {
        self.commit_then(txn, db, keys, now, false).await
    }

    /// Commit a transaction that recorded evidence, then return once its events are in the
    /// tree under a signed checkpoint: after each job run and apply. Failures after the commit
    /// are handled as in `commit`.
    pub async fn commit_and_sign(
        &self,
        txn: DatabaseTransaction,
        db: &DatabaseConnection,
        keys: &Keys,
        now: DateTime<Utc>,
    ) -> Result<(), sea_orm::DbErr> {
        self.commit_then(txn, db, keys, now, true).await
    }

    async fn commit_then(
        &self,
        txn: DatabaseTransaction,
        db: &DatabaseConnection,
        keys: &Keys,
        now: DateTime<Utc>,
        sign: bool,
    ) -> Result<(), sea_orm::DbErr> {
        txn.commit().await?;
        if let Err(e) = self.settle(db, keys, now, sign).await {
            tracing::error!(error = %e, sign, "adding to the evidence tree failed; the events stay queued for the next try");
        }
        Ok(())
    }

    /// Integrate (and sign), unless an integration (a signing one, if `sign`) begun after this
    /// call has finished meanwhile.
    pub async fn settle(
        &self,
        db: &DatabaseConnection,
        keys: &Keys,
        now: DateTime<Utc>,
        sign: bool,
    ) -> anyhow::Result<()> {
        let s = &self.0;
        let seen = s.begun.load(Ordering::SeqCst);
        let _gate = s.gate.lock().await;
        let done = if sign { &s.signed } else { &s.finished };
        if done.load(Ordering::SeqCst) > seen {
            return Ok(());
        }
        let number = s.begun.fetch_add(1, Ordering::SeqCst) + 1;
        if sign {
            super::sign_checkpoint(db, keys, now).await?;
            s.signed.store(number, Ordering::SeqCst);
        } else {
            super::queue::integrate_own(db).await?;
        }
        s.finished.store(number, Ordering::SeqCst);
        Ok(())
    }
}
