//! The floor under the evidence bench: transactions of the same shape (BEGIN, one write,
//! COMMIT) through the same client and store, writing one plain row that no other transaction
//! contends for. No ledger can append one event per transaction faster than this. Both run
//! through `one_per_transaction`, which also drives the ledger's two ways of putting the
//! committed events in the tree.

use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

use tokio::sync::Notify;

use sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseConnection, DatabaseTransaction, Statement,
};

/// Transactions per second of `n` one-row transactions from `writers` tasks at once, each
/// row holding `body`.
pub async fn rate(
    db: &DatabaseConnection,
    body: &str,
    n: u64,
    writers: u64,
) -> anyhow::Result<f64> {
    let backend = db.get_database_backend();
    let (create, insert) = match backend {
        DatabaseBackend::Postgres => (
            "CREATE TABLE IF NOT EXISTS bench_floor (id BIGSERIAL PRIMARY KEY, body TEXT NOT NULL)",
            "INSERT INTO bench_floor (body) VALUES ($1)",
        ),
        _ => (
            "CREATE TABLE IF NOT EXISTS bench_floor (id INTEGER PRIMARY KEY, body TEXT NOT NULL)",
            "INSERT INTO bench_floor (body) VALUES (?)",
        ),
    };
    db.execute_unprepared(create).await?;
    let body = std::sync::Arc::new(body.to_owned());
    let rate = one_per_transaction(db, n, writers, Integrate::No, move |txn, _| {
        let body = body.clone();
        async move {
            txn.execute_raw(Statement::from_sql_and_values(
                backend,
                insert,
                [body.as_str().into()],
            ))
            .await?;
            Ok(txn)
        }
    })
    .await?;
    db.execute_unprepared("DROP TABLE bench_floor").await?;
    Ok(rate)
}

/// Who puts the events the transactions queued into the evidence tree.
#[derive(Clone, Copy, PartialEq)]
pub enum Integrate {
    /// Nobody: the transactions write no evidence.
    No,
    /// Each caller, after its commit, as `commit_and_sign` does (without the signature).
    EachCaller,
    /// One sequencer task, woken by every commit, while the callers go on.
    Sequencer,
}

/// Transactions per second of `n` transactions from `writers` tasks at once, transaction `i`
/// doing `write(txn, i)` between its BEGIN and its COMMIT; with evidence, until all `n` events
/// are in the tree.
pub async fn one_per_transaction<F, Fut>(
    db: &DatabaseConnection,
    n: u64,
    writers: u64,
    integrate: Integrate,
    write: F,
) -> anyhow::Result<f64>
where
    F: Fn(DatabaseTransaction, u64) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = anyhow::Result<DatabaseTransaction>> + Send,
{
    let t = Instant::now();
    let committed = Arc::new(Notify::new());
    let sequencer = (integrate == Integrate::Sequencer).then(|| {
        let (db, committed) = (db.clone(), committed.clone());
        tokio::spawn(async move {
            let mut done = 0;
            while done < n {
                committed.notified().await;
                loop {
                    let k = crate::evidence::integrate(&db).await?;
                    if k == 0 {
                        break;
                    }
                    done += k;
                }
            }
            anyhow::Ok(())
        })
    });
    let tasks: Vec<_> = (0..writers)
        .map(|w| {
            let (db, write, committed) = (db.clone(), write.clone(), committed.clone());
            tokio::spawn(async move {
                for i in (w..n).step_by(writers as usize) {
                    let txn = crate::db::begin_write(&db).await?;
                    write(txn, i).await?.commit().await?;
                    match integrate {
                        Integrate::No => {}
                        Integrate::EachCaller => {
                            crate::evidence::integrate(&db).await?;
                        }
                        Integrate::Sequencer => committed.notify_one(),
                    }
                }
                anyhow::Ok(())
            })
        })
        .collect();
    for task in tasks {
        task.await??;
    }
    if let Some(sequencer) = sequencer {
        sequencer.await??;
    }
    Ok(n as f64 / t.elapsed().as_secs_f64())
}
