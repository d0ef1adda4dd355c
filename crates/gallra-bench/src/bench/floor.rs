//! The floor under the evidence bench: transactions of the same shape (BEGIN, one write,
//! COMMIT) through the same client and store, writing one plain row that no other transaction
//! contends for. No ledger can append one event per transaction faster than this. Both run
//! through `one_per_transaction`.

use std::future::Future;
use std::time::Instant;

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
    let rate = one_per_transaction(db, n, writers, After::Nothing, move |txn, _| {
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

/// What follows each commit.
#[derive(Clone)]
pub enum After {
    /// Nothing: the transactions write no evidence.
    Nothing,
    /// What the application does after a commit that recorded evidence: through this process's
    /// sequencer, the queued events go into the tree, under a signed checkpoint if `sign`.
    Settle {
        sequencer: crate::evidence::Sequencer,
        keys: crate::evidence::Keys,
        sign: bool,
    },
}

/// Transactions per second of `n` transactions from `writers` tasks at once, transaction `i`
/// doing `write(txn, i)` between its BEGIN and its COMMIT, and `after` after it.
pub async fn one_per_transaction<F, Fut>(
    db: &DatabaseConnection,
    n: u64,
    writers: u64,
    after: After,
    write: F,
) -> anyhow::Result<f64>
where
    F: Fn(DatabaseTransaction, u64) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = anyhow::Result<DatabaseTransaction>> + Send,
{
    let t = Instant::now();
    let tasks: Vec<_> = (0..writers)
        .map(|w| {
            let (db, write, after) = (db.clone(), write.clone(), after.clone());
            tokio::spawn(async move {
                for i in (w..n).step_by(writers as usize) {
                    let txn = crate::db::begin_write(&db).await?;
                    let txn = write(txn, i).await?;
                    txn.commit().await?;
                    if let After::Settle {
                        sequencer,
                        keys,
                        sign,
                    } = &after
                    {
                        sequencer
                            .settle(&db, keys, chrono::Utc::now(), *sign)
                            .await?;
                    }
                }
                anyhow::Ok(())
            })
        })
        .collect();
    for task in tasks {
        task.await??;
    }
    Ok(n as f64 / t.elapsed().as_secs_f64())
}
