//! The floor under the evidence bench: transactions of the same shape (BEGIN, one write,
//! COMMIT) through the same client and store, writing one plain row that no other transaction
//! contends for. No ledger can append one event per transaction faster than this.

use std::time::Instant;

use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement};

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
    let t = Instant::now();
    let tasks: Vec<_> = (0..writers)
        .map(|w| {
            let (db, body) = (db.clone(), body.to_owned());
            tokio::spawn(async move {
                for _ in (w..n).step_by(writers as usize) {
                    let txn = crate::db::begin_write(&db).await?;
                    txn.execute_raw(Statement::from_sql_and_values(
                        backend,
                        insert,
                        [body.clone().into()],
                    ))
                    .await?;
                    txn.commit().await?;
                }
                anyhow::Ok(())
            })
        })
        .collect();
    for task in tasks {
        task.await??;
    }
    let rate = n as f64 / t.elapsed().as_secs_f64();
    db.execute_unprepared("DROP TABLE bench_floor").await?;
    Ok(rate)
}
