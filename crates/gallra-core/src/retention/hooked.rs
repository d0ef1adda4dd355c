//! SQLite: a batch's keys taken from its own DELETE (or anonymizing UPDATE). A preupdate hook
//! on the connection sees every row the statement changes, with its old values, so the keys
//! need no read of their own: on SQLite that read is a table lookup per row, a fifth to a third
//! of the DELETE's time.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, Statement, Value};
use sqlx::{AssertSqlSafe, ConnectOptions, Connection, SqliteConnection};

use super::key_column::{KeyColumn, Writer};
use super::keys::KeyList;
use crate::datasource::preupdate::{self, Old, OldRow};

/// The key's column for the hook, or `None` where the hook cannot be trusted to see it as a
/// `SELECT` would: a table without rowid (its stored row starts with the primary key, not the
/// declared order) or with generated columns (which the stored row leaves out).
pub(super) async fn key_column(
    db: &DatabaseConnection,
    table: &str,
    key: &str,
) -> Result<Option<KeyColumn>, DbErr> {
    let sql =
        "SELECT (SELECT cid FROM pragma_table_xinfo(?1) WHERE name = ?2 COLLATE NOCASE) AS cid, \
         (SELECT COUNT(*) FROM pragma_table_xinfo(?1) WHERE hidden <> 0) AS hidden, \
         (SELECT wr FROM pragma_table_list(?1) WHERE schema = 'main') AS wr, \
         (SELECT name FROM pragma_table_list(?1) WHERE schema = 'main') AS name";
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DatabaseBackend::Sqlite,
            sql,
            [table.into(), key.into()],
        ))
        .await?;
    let Some(row) = row else { return Ok(None) };
    let cid: Option<i32> = row.try_get("", "cid")?;
    let hidden: i64 = row.try_get("", "hidden")?;
    let without_rowid: Option<i64> = row.try_get("", "wr")?;
    // The name as the schema spells it, which is how the hook names it: a rule may spell it
    // in another case, as SQLite's names are case-insensitive.
    let name: Option<String> = row.try_get("", "name")?;
    Ok(match (cid, hidden, without_rowid, name) {
        (Some(index), 0, Some(0), Some(table)) => Some(KeyColumn {
            table,
            index,
            conn: writer(db),
        }),
        _ => None,
    })
}

/// The purge connections of this process, one per database file, kept open from one purge to
/// the next: closing one right after a purge held up the next read of the database for about
/// 50 ms (after a million rows deleted), and opening one costs little but is not needed.
static WRITERS: LazyLock<std::sync::Mutex<HashMap<PathBuf, Writer>>> =
    LazyLock::new(Default::default);

/// The purge connection of `db`'s file; a connection of the purge's own for an in-memory
/// database, which is not shared by file.
fn writer(db: &DatabaseConnection) -> Writer {
    let options = db.get_sqlite_connection_pool().connect_options();
    let file = options.get_filename();
    if file.as_os_str().is_empty() || file == Path::new(":memory:") {
        return Arc::default();
    }
    let mut writers = WRITERS.lock().unwrap_or_else(|e| e.into_inner());
    writers.entry(file.to_path_buf()).or_default().clone()
}

/// What the hook collects during one statement.
struct Sink {
    table: Vec<u8>,
    column: i32,
    keys: KeyList,
    /// A key that is neither an integer nor text: its text form is SQLite's to write.
    other: bool,
}

impl Sink {
    fn take(&mut self, row: &OldRow) {
        if !row.is_in(b"main", &self.table) {
            return;
        }
        match row.old(self.column) {
            Old::Int(i) => self.keys.push_int(i),
            Old::Text(t) => self.keys.push(t),
            Old::Other => self.other = true,
        }
    }
}

/// Run `sql` (a DELETE or UPDATE of the rule's table) in one write transaction and return the
/// keys of the rows it changed, read from the rows themselves as they go. `None`, with nothing
/// changed, when a key is neither an integer nor text: the caller reads the keys instead.
pub(super) async fn change(
    db: &DatabaseConnection,
    key: &KeyColumn,
    sql: String,
    values: Vec<Value>,
    journal: Option<&super::journal::Journal<'_>>,
) -> Result<Option<KeyList>, DbErr> {
    let mut slot = key.conn.lock().await;
    let mut conn = match slot.take() {
        Some(conn) => conn,
        None => db
            .get_sqlite_connection_pool()
            .connect_options()
            .connect()
            .await
            .map_err(db_err)?,
    };
    let outcome = statement(&mut conn, key, sql, values, journal).await;
    // After an error (or if this future is dropped) the transaction may still be open and the
    // hook still set: the connection is dropped, which closes it, instead of kept.
    if outcome.is_ok() {
        *slot = Some(conn);
    }
    outcome
}

/// `sql` in a write transaction with the hook on, committed only when the hook saw as many
/// keys as the statement changed.
async fn statement(
    conn: &mut SqliteConnection,
    key: &KeyColumn,
    sql: String,
    values: Vec<Value>,
    journal: Option<&super::journal::Journal<'_>>,
) -> Result<Option<KeyList>, DbErr> {
    let mut query = sqlx::query(AssertSqlSafe(sql));
    for v in values {
        query = match v {
            Value::String(Some(t)) => query.bind(t),
            Value::BigInt(Some(i)) => query.bind(i),
            Value::Int(Some(i)) => query.bind(i),
            _ => {
                return Err(DbErr::Custom(
                    "a batch's value is of an unexpected type".into(),
                ))
            }
        };
    }
    let sink = Sink {
        table: key.table.as_bytes().to_vec(),
        column: key.index,
        keys: KeyList::default(),
        other: false,
    };
    let mut txn = conn.begin_with("BEGIN IMMEDIATE").await.map_err(db_err)?;
    let hook = preupdate::set(&mut txn, sink, Sink::take)
        .await
        .map_err(db_err)?;
    let done = query.execute(&mut *txn).await.map_err(db_err)?;
    let Sink { keys, other, .. } = preupdate::remove(&mut txn, hook).await.map_err(db_err)?;
    if other {
        txn.rollback().await.map_err(db_err)?;
        return Ok(None);
    }
    if done.rows_affected() != keys.len() as u64 {
        // Cannot happen while the hook sees every row; if it does, nothing of it stays.
        txn.rollback().await.map_err(db_err)?;
        return Err(DbErr::Custom(format!(
            "a batch changed {} rows but saw {} keys; it was rolled back",
            done.rows_affected(),
            keys.len()
        )));
    }
    let entry = super::journal::before(journal, &keys).await?;
    txn.commit().await.map_err(db_err)?;
    super::journal::after(journal, entry).await;
    Ok(Some(keys))
}

fn db_err(e: sqlx::Error) -> DbErr {
    DbErr::Exec(sea_orm::RuntimeErr::SqlxError(Arc::new(e)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::Database;

    async fn table(ddl: &str, rows: &str) -> (tempfile::TempDir, DatabaseConnection) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/ds.db?mode=rwc", dir.path().display());
        let db = Database::connect(&url).await.unwrap();
        db.execute_unprepared(ddl).await.unwrap();
        db.execute_unprepared(&format!("INSERT INTO t (k, ts) VALUES {rows}"))
            .await
            .unwrap();
        (dir, db)
    }

    async fn left(db: &DatabaseConnection) -> i64 {
        let row = db
            .query_one_raw(Statement::from_string(
                DatabaseBackend::Sqlite,
                "SELECT COUNT(*) AS n FROM t",
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get("", "n").unwrap()
    }

    const DELETE: &str = "DELETE FROM t WHERE ts < ?1";

    #[tokio::test]
    async fn the_next_purge_of_a_database_file_takes_the_connection_the_last_one_kept() {
        let (_d, db) = table(
            "CREATE TABLE t (k BIGINT PRIMARY KEY, ts TEXT)",
            "(1, 'a'), (2, 'b'), (3, 'z')",
        )
        .await;
        let first = key_column(&db, "t", "k").await.unwrap().expect("hookable");
        change(&db, &first, DELETE.into(), vec!["b".into()], None)
            .await
            .unwrap();
        drop(first);
        let next = key_column(&db, "t", "k").await.unwrap().expect("hookable");
        assert!(
            next.conn.lock().await.is_some(),
            "the connection the first purge opened is still open, for the next"
        );
        let keys = change(&db, &next, DELETE.into(), vec!["c".into()], None)
            .await
            .unwrap()
            .expect("integer keys");
        assert_eq!(keys.len(), 1);
        assert_eq!(left(&db).await, 1);
    }

    #[tokio::test]
    async fn the_delete_itself_gives_the_keys_it_deleted() {
        let (_d, db) = table(
            "CREATE TABLE t (note TEXT, k BIGINT PRIMARY KEY, ts TEXT)",
            "(30, 'a'), (4, 'b'), (100, 'z')",
        )
        .await;
        let key = key_column(&db, "t", "k").await.unwrap().expect("hookable");
        assert_eq!(key.index, 1);
        let keys = change(&db, &key, DELETE.into(), vec!["c".into()], None)
            .await
            .unwrap()
            .expect("integer keys");
        assert_eq!(keys.len(), 2);
        assert_eq!(
            keys.digest(),
            super::super::keys::digest(vec!["4".into(), "30".into()])
        );
        assert_eq!(left(&db).await, 1);
        // The pool is still usable afterwards.
        db.execute_unprepared("DELETE FROM t").await.unwrap();
        assert_eq!(left(&db).await, 0);
    }

    #[tokio::test]
    async fn a_table_named_in_another_case_is_still_seen() {
        let (_d, db) = table(
            "CREATE TABLE t (k BIGINT PRIMARY KEY, ts TEXT)",
            "(1, 'a'), (2, 'z')",
        )
        .await;
        let key = key_column(&db, "T", "K").await.unwrap().expect("hookable");
        let keys = change(
            &db,
            &key,
            "DELETE FROM \"T\" WHERE ts < ?1".into(),
            vec!["c".into()],
            None,
        )
        .await
        .unwrap()
        .expect("integer keys");
        assert_eq!(keys.len(), 1);
    }

    #[tokio::test]
    async fn text_keys_are_taken_as_written() {
        let (_d, db) = table(
            "CREATE TABLE t (k TEXT PRIMARY KEY, ts TEXT)",
            "('007', 'a'), ('x-1', 'b'), ('keep', 'z')",
        )
        .await;
        let key = key_column(&db, "t", "k").await.unwrap().expect("hookable");
        let keys = change(&db, &key, DELETE.into(), vec!["c".into()], None)
            .await
            .unwrap()
            .expect("text keys");
        assert_eq!(
            keys.digest(),
            super::super::keys::digest(vec!["007".into(), "x-1".into()])
        );
    }

    #[tokio::test]
    async fn a_key_neither_integer_nor_text_changes_nothing_and_says_so() {
        let (_d, db) = table(
            "CREATE TABLE t (k REAL PRIMARY KEY, ts TEXT)",
            "(1.5, 'a'), (2.5, 'z')",
        )
        .await;
        let key = key_column(&db, "t", "k").await.unwrap().expect("hookable");
        let keys = change(&db, &key, DELETE.into(), vec!["c".into()], None)
            .await
            .unwrap();
        assert!(keys.is_none());
        assert_eq!(left(&db).await, 2, "rolled back");
    }

    #[tokio::test]
    async fn tables_whose_stored_rows_differ_from_their_declaration_are_read_instead() {
        let (_d, db) = table(
            "CREATE TABLE t (ts TEXT, k BIGINT PRIMARY KEY) WITHOUT ROWID",
            "(1, 'a')",
        )
        .await;
        assert!(key_column(&db, "t", "k").await.unwrap().is_none());
        db.execute_unprepared(
            "CREATE TABLE g (ts TEXT, up TEXT GENERATED ALWAYS AS (upper(ts)), k BIGINT PRIMARY KEY)",
        )
        .await
        .unwrap();
        assert!(key_column(&db, "g", "k").await.unwrap().is_none());
        assert!(key_column(&db, "missing", "k").await.unwrap().is_none());
    }
}
