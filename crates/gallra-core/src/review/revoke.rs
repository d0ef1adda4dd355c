//! A campaign's revocations on its source, each journaled on its item in the store around the
//! datasource's commit: `pending:<action>` before, the action after. A close cut off part way is
//! finished by the next close (or start): an item `pending` is run again, and a revocation that
//! finds its account already gone (or already set) was applied by the close that was cut off.

use entity::review_items;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Statement,
    TransactionTrait,
};

use super::policy::Policy;
use crate::context::AppState;
use crate::datasource::sql::{key_as_text, param, quote};
use crate::pause;
use crate::policy::spec::RevokeAction;
use crate::retention::lock::RunLock;

const PENDING: &str = "pending:";
/// Where a revocation finds nothing to change.
const GONE: &str = "the account is no longer in the source";

/// Why a revocation was not applied: the item's own failure, or the close's, which lost its
/// lock and stops, leaving the rest to the close that next takes it.
enum Failure {
    Item(String),
    LostLock(String),
}

impl From<String> for Failure {
    fn from(e: String) -> Self {
        Failure::Item(e)
    }
}

impl From<&str> for Failure {
    fn from(e: &str) -> Self {
        Failure::Item(e.to_owned())
    }
}

/// Run the policy's revoke action for each revoked item: `Ok(what was done)` or the error;
/// `Err` when the close lost its `lock` part way (its revocations stay journaled).
pub(super) async fn run(
    state: &AppState,
    p: &Policy,
    items: &[&review_items::Model],
    lock: &RunLock,
) -> Result<Vec<Result<&'static str, String>>, String> {
    let (Some(action), Some(ds)) = (&p.spec.revoke, &p.spec.source.get_ref().datasource) else {
        return Ok(items.iter().map(|_| Ok("no_action")).collect());
    };
    let db = match state.datasources.get(ds.get_ref()).await {
        Ok(db) => db,
        Err(e) => return Ok(items.iter().map(|_| Err(e.to_string())).collect()),
    };
    let mut out = Vec::with_capacity(items.len());
    for (n, i) in items.iter().enumerate() {
        let done = match i.action.as_deref() {
            // Applied by a close that was cut off after its datasource's commit was recorded.
            Some(a @ ("deleted" | "disabled")) => Ok(if a == "deleted" {
                "deleted"
            } else {
                "disabled"
            }),
            // Cut off between the two commits: run again; nothing left to change means the
            // close before applied it.
            Some(a) if a.starts_with(PENDING) => {
                match revoke_one(state, &db, p, action.get_ref(), i, n as u64 + 1, lock).await {
                    Err(Failure::Item(e)) if e == GONE => Ok(match &a[PENDING.len()..] {
                        "deleted" => "deleted",
                        _ => "disabled",
                    }),
                    other => other,
                }
            }
            _ => revoke_one(state, &db, p, action.get_ref(), i, n as u64 + 1, lock).await,
        };
        out.push(match done {
            Ok(label) => Ok(label),
            Err(Failure::Item(e)) => Err(e),
            Err(Failure::LostLock(e)) => return Err(e),
        });
    }
    Ok(out)
}

/// Record `action` on item `id` in the store.
async fn mark(state: &AppState, id: i32, action: &str) -> Result<(), sea_orm::DbErr> {
    review_items::Entity::update_many()
        .col_expr(
            review_items::Column::Action,
            Expr::value(Some(action.to_owned())),
        )
        .filter(review_items::Column::Id.eq(id))
        .exec(&state.db)
        .await
        .map(|_| ())
}

async fn revoke_one(
    state: &AppState,
    db: &DatabaseConnection,
    p: &Policy,
    action: &crate::policy::spec::Revoke,
    item: &review_items::Model,
    n: u64,
    lock: &RunLock,
) -> Result<&'static str, Failure> {
    let key = item.account_key.as_str();
    let b = db.get_database_backend();
    let src = p.spec.source.get_ref();
    let table = quote(b, src.table.as_ref().ok_or("no table")?.get_ref())?;
    let key_col = key_as_text(b, &quote(b, src.key.as_ref().ok_or("no key")?.get_ref())?);
    let (sql, values, label) = match (action.action, &action.column) {
        (RevokeAction::Set, Some(col)) => (
            format!(
                "UPDATE {table} SET {} = {} WHERE {key_col} = {}",
                quote(b, col.get_ref())?,
                param(b, 1),
                param(b, 2)
            ),
            vec![
                typed(action.value.as_deref().unwrap_or_default()),
                key.to_owned().into(),
            ],
            "disabled",
        ),
        _ => (
            format!("DELETE FROM {table} WHERE {key_col} = {}", param(b, 1)),
            vec![key.to_owned().into()],
            "deleted",
        ),
    };
    let err = |e: sea_orm::DbErr| e.to_string();
    let txn = db.begin().await.map_err(err)?;
    let done = txn
        .execute_raw(Statement::from_sql_and_values(b, sql, values))
        .await
        .map_err(err)?;
    if done.rows_affected() == 0 {
        txn.rollback().await.map_err(err)?;
        return Err(Failure::Item(GONE.into()));
    }
    pause::at("revocation-changed", Some(n)).await;
    // Before the datasource commits: a close cut off from here on is decided from the source.
    mark(state, item.id, &format!("{PENDING}{label}"))
        .await
        .map_err(err)?;
    pause::at("revocation-journaled", Some(n)).await;
    // As a purge's batch: a close that lost its lock may have another beside it.
    if let Err(e) = lock.check().await {
        // Dropped unrolled, the transaction rolls back as well: the lost lock is what to say.
        let _ = txn.rollback().await;
        return Err(Failure::LostLock(e));
    }
    txn.commit().await.map_err(err)?;
    pause::at("revocation-committed", Some(n)).await;
    if let Err(e) = mark(state, item.id, label).await {
        tracing::warn!(item = item.id, error = %e, "could not record an applied revocation");
    }
    Ok(label)
}

/// A revoke value bound in the type its text suggests: integer, boolean, else text — so
/// `value = "1"` sets an integer column and `value = "true"` a boolean one on every engine.
fn typed(v: &str) -> sea_orm::Value {
    match (v.parse::<i64>(), v) {
        (Ok(i), _) => i.into(),
        (_, "true") => true.into(),
        (_, "false") => false.into(),
        _ => v.to_owned().into(),
    }
}
