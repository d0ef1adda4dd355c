//! A fatal fault of a memory-mapped store file stops the process with a message saying what
//! happened. SQLite maps its `-shm` file (WAL mode); when that file is truncated, replaced or
//! its storage fails under a running server, the next access raises SIGBUS, which would kill
//! the process with no line in any log. Nothing can safely continue after it — the memory
//! read is gone — so the handler writes one line to stderr and exits with a code of its own.

/// The exit status after a SIGBUS (EX_IOERR of sysexits.h: an I/O error).
pub const SIGBUS_EXIT: i32 = 74;

const MESSAGE: &[u8] = b"gallra: fatal: SIGBUS reading a memory-mapped file of the store: the SQLite store's -shm or database file was truncated, replaced or made unusable while gallra ran. Stopping. Committed data is safe in the database and its -wal file; restore the files' ownership and permissions (or remove a damaged -shm while gallra is stopped) and start again.\n";

/// Install the SIGBUS handler (once, at start, before the store is opened).
#[cfg(unix)]
pub fn on_fatal_store_fault() {
    // SAFETY: the handler only calls write(2) and _exit(2), both async-signal-safe; `action` is
    // fully initialised (zeroed, then its mask emptied) before sigaction reads it.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_sigbus as *const () as usize;
        action.sa_flags = libc::SA_SIGINFO;
        libc::sigemptyset(&mut action.sa_mask);
        if libc::sigaction(libc::SIGBUS, &action, std::ptr::null_mut()) != 0 {
            tracing::warn!(
                "cannot install the SIGBUS handler: a store fault would stop gallra silently"
            );
        }
    }
}

#[cfg(not(unix))]
pub fn on_fatal_store_fault() {}

#[cfg(unix)]
extern "C" fn on_sigbus(_: libc::c_int, _: *mut libc::siginfo_t, _: *mut libc::c_void) {
    // SAFETY: async-signal-safe calls on a static buffer.
    unsafe {
        libc::write(2, MESSAGE.as_ptr().cast(), MESSAGE.len());
        libc::_exit(SIGBUS_EXIT);
    }
}

/// Warn when a key file can be read by anyone but its owner (a copy or a restore that lost
/// its mode): the key still works, but anyone on the machine may sign evidence with it.
pub fn warn_if_readable_by_others(path: &std::path::Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path) {
            let mode = meta.permissions().mode();
            if mode & 0o077 != 0 {
                tracing::warn!(
                    path = %path.display(),
                    mode = format!("{:o}", mode & 0o777),
                    "a key file is readable by others than its owner: chmod 600 it"
                );
            }
        }
    }
}
