//! What deciding or closing a review can answer besides success; each edge maps it once.

/// A refusal, with the reason a person can act on, or a failure of the store.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// The request itself is wrong (a decision without its justification).
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    NotFound(String),
    /// The caller may not (not a reviewer of this policy).
    #[error("{0}")]
    Forbidden(String),
    /// The campaign's state forbids it now (closed, being closed, undecided items, a guard).
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Store(#[from] anyhow::Error),
}

impl From<sea_orm::DbErr> for ReviewError {
    fn from(e: sea_orm::DbErr) -> Self {
        ReviewError::Store(e.into())
    }
}
