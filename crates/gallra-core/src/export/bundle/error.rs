//! How a bundle fails: one that cannot be read or does not verify, and an export that cannot be
//! written; shared by the writer's and the reader's files.

/// A bundle that cannot be read or does not verify; the message names the first bad file, row
/// or entry.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// Not a readable, safe archive (corrupt, truncated, oversized, a bad path).
    #[error("{0}")]
    Unreadable(String),
    #[error("{0}")]
    Bad(String),
    /// The verifier key given is not one.
    #[error("verifier key: {0}")]
    Key(String),
}

pub(crate) fn bad<T>(msg: String) -> Result<T, BundleError> {
    Err(BundleError::Bad(msg))
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The request cannot be served (an empty period, bounds out of order).
    #[error("{0}")]
    Input(String),
    /// The store disagrees with itself (a version without its entry).
    #[error("{0}")]
    Inconsistent(String),
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
    #[error(transparent)]
    Tree(#[from] crate::evidence::tree::TreeError),
    #[error(transparent)]
    Zip(#[from] zip::result::ZipError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Csv(#[from] csv::Error),
    #[error(transparent)]
    Other(anyhow::Error),
}
