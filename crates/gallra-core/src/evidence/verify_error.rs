//! How a verification of the log fails, and the batch it reads in: shared by the walk over the
//! entries (verify) and the stored hashes it checks them against (stored).

/// Entries per read; stored hashes are read twice as many at a time.
pub(super) const BATCH: u64 = 10_000;

#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// The log does not match itself or its checkpoints: names the first bad entry or checkpoint.
    #[error("{0}")]
    Bad(String),
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
}

pub(super) fn bad<T>(msg: String) -> Result<T, VerifyError> {
    Err(VerifyError::Bad(msg))
}

/// A reading task that panicked or was cancelled: reported, not propagated as a panic.
pub(super) fn joined(e: tokio::task::JoinError) -> VerifyError {
    VerifyError::Bad(format!("reading the log failed: {e}"))
}
