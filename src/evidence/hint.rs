//! The right edge this process last appended: a hint that spares a PostgreSQL append the round
//! trip that reads the head row.
//!
//! Never trusted: a guarded write applies only where the head row still holds exactly this
//! size and edge, so a hint left by a rolled-back transaction, another replica's appends or
//! another log costs one more statement under the lock, never a wrong hash.

use std::sync::Mutex;

use tlog_tiles::tlog::Hash;

/// Appends that skip the hint after it missed: concurrent writers all guess the same head and
/// all but one lose, so under contention guessing costs more than it saves.
const SKIP_AFTER_MISS: u32 = 8;

struct Hint {
    head: Option<(u64, Vec<Hash>)>,
    skip: u32,
}

static HINT: Mutex<Hint> = Mutex::new(Hint {
    head: None,
    skip: 0,
});

/// The head to guess, unless there is none or guessing recently failed.
pub fn get() -> Option<(u64, Vec<Hash>)> {
    let mut h = HINT.lock().ok()?;
    if h.skip > 0 {
        h.skip -= 1;
        return None;
    }
    h.head.clone()
}

/// The head after this process's append (committed or not: the guard decides).
pub fn set(size: u64, edge: Vec<Hash>) {
    if let Ok(mut h) = HINT.lock() {
        h.head = Some((size, edge));
    }
}

pub fn missed() {
    if let Ok(mut h) = HINT.lock() {
        h.skip = SKIP_AFTER_MISS;
    }
}
