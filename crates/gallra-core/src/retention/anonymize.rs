//! Anonymizing with a keyed hash: each listed value becomes `hmac-sha256:<hex>` of the column
//! name and the value under the installation's key, so equal values stay joinable without the
//! value being recoverable. Rows are read and rewritten in short transactions.

use sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, QueryResult, TransactionTrait,
    Value,
};

use super::hashed::HASHED;
use super::instant;
use super::keys::KeyList;
use super::plan::Plan;
use super::statements::Sql;
use super::tally::Changed;
use crate::datasource::sql::{key_as_text, param, quote};

/// Rows per batch: each is rewritten by its own UPDATE.
const BATCH: u64 = 1_000;

pub(super) async fn hash_batch(
    db: &DatabaseConnection,
    s: &Sql,
    p: &Plan<'_>,
) -> Result<Changed, DbErr> {
    let Some(a) = &p.rule.anonymize else {
        return Err(DbErr::Custom("no columns to anonymize".into()));
    };
    let names: Vec<&str> = a
        .get_ref()
        .columns
        .iter()
        .map(|c| c.get_ref().as_str())
        .collect();
    let quoted: Vec<String> = names
        .iter()
        .map(|c| quote(s.backend, c))
        .collect::<Result<_, _>>()
        .map_err(DbErr::Custom)?;
    let mut values = vec![s.bind(p.cutoff)];
    let (held, held_values) = s.not_held(p.held, 2);
    values.extend(held_values);
    let cols: Vec<String> = quoted
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{} AS v{i}", key_as_text(s.backend, c)))
        .collect();
    let lock = if s.backend == DatabaseBackend::Sqlite {
        ""
    } else {
        " FOR UPDATE"
    };
    let batch = BATCH.min(p.batch);
    let select = format!(
        "SELECT {key} AS kn, {} AS k, {ts} AS t, {} FROM {} WHERE {ts} < {}{}{held} ORDER BY {ts} LIMIT {batch}{lock}",
        key_as_text(s.backend, &s.key),
        cols.join(", "),
        s.table,
        param(s.backend, 1),
        s.pending,
        key = s.key,
        ts = s.ts,
    );
    let sets: Vec<String> = quoted
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = {}", param(s.backend, i + 1)))
        .collect();
    let update = format!(
        "UPDATE {} SET {} WHERE {} = {}",
        s.table,
        sets.join(", "),
        s.key,
        param(s.backend, quoted.len() + 1)
    );
    let txn = db
        .begin_with_options(sea_orm::TransactionOptions {
            sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await?;
    let rows = txn.query_all_raw(s.stmt(select, values)).await?;
    let mut keys = KeyList::default();
    for r in &rows {
        let mut binds: Vec<Value> = Vec::with_capacity(names.len() + 1);
        for (i, name) in names.iter().enumerate() {
            let v: Option<String> = r.try_get("", &format!("v{i}"))?;
            // A row is taken when any listed value is pending: those already hashed (a column
            // added to the rule later, a NULL filled in since) stay as they are, or equal
            // values would no longer hash equal.
            binds.push(
                v.map(|v| match v.starts_with(HASHED) {
                    true => v,
                    false => format!(
                        "{HASHED}{}",
                        p.key.hmac_hex(&[name.as_bytes(), v.as_bytes()])
                    ),
                })
                .into(),
            );
        }
        binds.push(native_key(r)?);
        txn.execute_raw(s.stmt(update.clone(), binds)).await?;
        keys.push(&r.try_get::<String>("", "k")?);
    }
    let entry = super::journal::before(p.journal, &keys).await?;
    txn.commit().await?;
    super::journal::after(p.journal, entry).await;
    let newest = rows
        .iter()
        .filter_map(|r| instant::read(r, "t", s.format))
        .max();
    Ok(Changed {
        last: (rows.len() as u64) < batch,
        keys,
        newest,
    })
}

/// The key in its own type, so the UPDATE finds the row by its index: an integer of any width
/// (signed, or MySQL's unsigned), or text.
fn native_key(r: &QueryResult) -> Result<Value, DbErr> {
    if let Ok(i) = r.try_get::<i64>("", "kn") {
        return Ok(i.into());
    }
    if let Ok(i) = r.try_get::<i32>("", "kn") {
        return Ok(i.into());
    }
    if let Ok(i) = r.try_get::<u64>("", "kn") {
        return Ok(i.into());
    }
    r.try_get::<String>("", "kn").map(Value::from).map_err(|e| {
        DbErr::Custom(format!(
            "a keyed hash finds each row by its key, which must be an integer or text: {e}"
        ))
    })
}
