//! A SQLite preupdate hook on a sqlx connection: a function that sees each row a statement
//! deletes or updates, with its old values, just before the change. gallra's one piece of
//! `unsafe`: SQLite calls the function through a pointer that this module keeps alive.
//!
//! The C functions come from libsqlite3-sys's bindings and exist because `.cargo/config.toml`
//! compiles the bundled SQLite with `SQLITE_ENABLE_PREUPDATE_HOOK` (sqlx's own wrapper needs
//! libclang at build time).

use std::ffi::{c_char, c_int, c_void, CStr};
use std::marker::PhantomData;
use std::panic::AssertUnwindSafe;

use libsqlite3_sys as ffi;
use sqlx::SqliteConnection;

/// A row about to be deleted or updated, as the hook sees it.
pub struct OldRow<'a> {
    db: *mut ffi::sqlite3,
    database: *const c_char,
    table: *const c_char,
    _call: PhantomData<&'a ()>,
}

/// A column's old value, where gallra can write it as SQLite's `CAST(… AS TEXT)` would.
pub enum Old<'a> {
    Int(i64),
    Text(&'a str),
    /// NULL, a real, a blob, or a column out of range.
    Other,
}

impl OldRow<'_> {
    /// Whether the row is in `table` of schema `database`, changed by the statement itself
    /// (not by one of its triggers).
    pub fn is_in(&self, database: &[u8], table: &[u8]) -> bool {
        // SAFETY: SQLite passes NUL-terminated names that live for the call, and `db` is the
        // connection it is calling the hook for.
        unsafe {
            ffi::sqlite3_preupdate_depth(self.db) == 0
                && CStr::from_ptr(self.table).to_bytes() == table
                && CStr::from_ptr(self.database).to_bytes() == database
        }
    }

    /// Column `column` (its position in the table's declaration) before the change.
    pub fn old(&self, column: i32) -> Old<'_> {
        let mut v: *mut ffi::sqlite3_value = std::ptr::null_mut();
        // SAFETY: the value SQLite gives lives until the hook returns, past the borrow of self.
        unsafe {
            if ffi::sqlite3_preupdate_old(self.db, column, &mut v) != ffi::SQLITE_OK || v.is_null()
            {
                return Old::Other;
            }
            match ffi::sqlite3_value_type(v) {
                ffi::SQLITE_INTEGER => Old::Int(ffi::sqlite3_value_int64(v)),
                ffi::SQLITE_TEXT => {
                    let p = ffi::sqlite3_value_text(v);
                    let n = ffi::sqlite3_value_bytes(v);
                    if p.is_null() || n < 0 {
                        return Old::Other;
                    }
                    std::str::from_utf8(std::slice::from_raw_parts(p, n as usize))
                        .map_or(Old::Other, Old::Text)
                }
                _ => Old::Other,
            }
        }
    }
}

/// What SQLite's pointer leads to: the state and the function called with it for each row.
struct Context<S> {
    state: S,
    row: fn(&mut S, &OldRow),
}

/// A hook set on a connection, holding its state. It must be given back to `remove`; dropped
/// instead (an error, a cancelled future), its state is leaked rather than freed under SQLite,
/// and the caller must close the connection.
pub struct Hook<S> {
    context: *mut Context<S>,
}

// SAFETY: the state is `Send`; SQLite dereferences the pointer only while a statement runs on
// the connection, and `remove` only under the connection's lock, after taking it back.
unsafe impl<S: Send> Send for Hook<S> {}

/// Call `row(&mut state, …)` for each row that statements on `conn` delete or update, until
/// `remove` gives `state` back.
pub async fn set<S: Send + 'static>(
    conn: &mut SqliteConnection,
    state: S,
    row: fn(&mut S, &OldRow),
) -> Result<Hook<S>, sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    let context = Box::into_raw(Box::new(Context { state, row }));
    // SAFETY: the lock means no statement runs on the connection meanwhile; `context` stays
    // valid until `remove` takes it back (or forever, if the hook is dropped).
    unsafe {
        ffi::sqlite3_preupdate_hook(
            handle.as_raw_handle().as_ptr(),
            Some(trampoline::<S>),
            context.cast::<c_void>(),
        );
    }
    Ok(Hook { context })
}

/// Take the hook off `conn` and return its state.
pub async fn remove<S>(conn: &mut SqliteConnection, hook: Hook<S>) -> Result<S, sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    // SAFETY: once SQLite no longer holds the pointer, it is this module's to free, once.
    let context = unsafe {
        ffi::sqlite3_preupdate_hook(handle.as_raw_handle().as_ptr(), None, std::ptr::null_mut());
        Box::from_raw(hook.context)
    };
    Ok(context.state)
}

unsafe extern "C" fn trampoline<S>(
    context: *mut c_void,
    db: *mut ffi::sqlite3,
    op: c_int,
    database: *const c_char,
    table: *const c_char,
    _old_rowid: ffi::sqlite3_int64,
    _new_rowid: ffi::sqlite3_int64,
) {
    if op != ffi::SQLITE_DELETE && op != ffi::SQLITE_UPDATE {
        return;
    }
    // A panic must not unwind into SQLite's C frames.
    let _ = std::panic::catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: `context` is what `set` gave SQLite, alive while the hook is set, and only
        // SQLite's call on the connection's thread uses it meanwhile.
        let context = unsafe { &mut *context.cast::<Context<S>>() };
        let row = OldRow {
            db,
            database,
            table,
            _call: PhantomData,
        };
        (context.row)(&mut context.state, &row);
    }));
}
