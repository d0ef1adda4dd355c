//! Where SQLite's preupdate hook reads a rule's key, and the connection a purge's batches
//! share: held by the statements (`Sql::hook`), used by the hook (hooked).

use std::sync::Arc;

use sqlx::SqliteConnection;
use tokio::sync::Mutex;

/// Where the hook reads a rule's key: the table (unquoted, as SQLite names it to the hook) and
/// the key's position among its columns; and the connection a purge's batches share.
pub(super) struct KeyColumn {
    pub(super) table: String,
    pub(super) index: i32,
    /// One connection of its own for every batch of a purge, kept for the next purge of the
    /// same database file (`writer`). Taken from the pool for each batch, the batches ran on
    /// the pool's connections in turn, and every fourth or so took 1.6 times as long
    /// (interleaved rows, 75,000 a batch). Outside the pool, a purge never waits for the pool
    /// while holding one of its connections.
    pub(super) conn: Writer,
}

/// A purge connection, while no statement runs on it.
pub(super) type Writer = Arc<Mutex<Option<SqliteConnection>>>;
