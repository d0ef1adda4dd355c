//! The floors under `gallra bench purge`: the least a purge that records which keys it deleted
//! must do, each on a copy of its own (they count nothing, check nothing, write no evidence and
//! ignore the 250 ms limit on a transaction); and the check a purge makes after its batches,
//! timed right after the raw DELETE.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement};

use anyhow::Context;

use crate::context::AppState;
use crate::datasource::sql::{instant, joined_text, key_as_text, param};
use crate::policy::spec::TimestampFormat;
use crate::retention::holds::Held;
use crate::retention::{postcondition_after_sweep, Plan, BATCH};

/// Read every expired key of `bench_c` (as gallra reads a batch's: on PostgreSQL one array of
/// integers, elsewhere one aggregated text), then the raw DELETE.
pub async fn read_then_delete(
    ds: &DatabaseConnection,
    cutoff: DateTime<Utc>,
) -> anyhow::Result<Duration> {
    let b = ds.get_database_backend();
    let pg = b == DatabaseBackend::Postgres;
    let keys = match pg {
        true => "COALESCE(array_agg(id), '{}'::int8[])".to_owned(),
        false => joined_text(b, &key_as_text(b, "id")),
    };
    let which = format!("registered_at < {}", param(b, 1));
    let value = || [instant(b, TimestampFormat::Sql, cutoff)];
    let t = Instant::now();
    let read = format!("SELECT {keys} AS ks FROM bench_c WHERE {which}");
    let row = ds
        .query_one_raw(Statement::from_sql_and_values(b, read, value()))
        .await?;
    let read = match (pg, row) {
        (_, None) => 0,
        (true, Some(r)) => r.try_get::<Vec<i64>>("", "ks")?.len() as u64,
        (false, Some(r)) => {
            let keys: String = r.try_get("", "ks")?;
            keys.split('\u{1f}').filter(|k| !k.is_empty()).count() as u64
        }
    };
    let sql = format!("DELETE FROM bench_c WHERE {which}");
    let deleted = ds
        .execute_raw(Statement::from_sql_and_values(b, sql, value()))
        .await?;
    let took = t.elapsed();
    anyhow::ensure!(
        read == deleted.rows_affected(),
        "the floor read {read} keys but deleted {} rows",
        deleted.rows_affected()
    );
    Ok(took)
}

/// The raw DELETE of `bench_d`'s expired rows returning every key (aggregated on PostgreSQL,
/// which can DELETE in a WITH; row by row on SQLite).
pub async fn delete_returning(
    ds: &DatabaseConnection,
    cutoff: DateTime<Utc>,
) -> anyhow::Result<Duration> {
    let b = ds.get_database_backend();
    let key = key_as_text(b, "id");
    let delete = format!(
        "DELETE FROM bench_d WHERE registered_at < {} RETURNING {key} AS k",
        param(b, 1)
    );
    let value = [instant(b, TimestampFormat::Sql, cutoff)];
    let t = Instant::now();
    let keys = if b == DatabaseBackend::Postgres {
        let sql = format!(
            "WITH d AS ({delete}) SELECT COUNT(*) AS n, {} AS ks FROM d",
            joined_text(b, "k")
        );
        let row = ds
            .query_one_raw(Statement::from_sql_and_values(b, sql, value))
            .await?;
        row.map_or(Ok(0), |r| r.try_get::<i64>("", "n"))? as usize
    } else {
        let rows = ds
            .query_all_raw(Statement::from_sql_and_values(b, delete, value))
            .await?;
        let keys: Vec<String> = rows
            .iter()
            .map(|r| r.try_get("", "k"))
            .collect::<Result<_, _>>()?;
        keys.len()
    };
    let took = t.elapsed();
    anyhow::ensure!(keys > 0, "the DELETE returning keys deleted nothing");
    Ok(took)
}

/// The check gallra makes after a purge (the bench rule's, pointed at `bench_b`), timed right
/// after the raw DELETE of `bench_b`: the least a purge that checks its result adds to it.
pub async fn check_after_raw(
    state: &AppState,
    ds: &DatabaseConnection,
    cutoff: DateTime<Utc>,
) -> anyhow::Result<Duration> {
    let rule = crate::retention::rule::load(&state.db, "bench-purge")
        .await?
        .context("the bench rule was not applied")?;
    let mut spec = rule.spec.clone();
    spec.table = toml::Spanned::new(0..0, "bench_b".to_owned());
    let held = Held::default();
    let plan = Plan {
        rule: &spec,
        key: &state.installation_key,
        held: &held,
        cutoff,
        batch: BATCH,
        journal: None,
    };
    let t = Instant::now();
    let (left, _) = postcondition_after_sweep(ds, &plan).await?;
    let took = t.elapsed();
    anyhow::ensure!(
        left == 0,
        "{left} rows over age are left after the raw DELETE"
    );
    Ok(took)
}
