//! Why a store cannot be opened with the keys found here.

/// Why a store cannot be opened with the keys found here: each says what to do.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("no {what} at {path} (set {var}, else it is read from the data folder), and this store {why}: copy that installation's key file there, or, if it is lost for good, run `gallra keys rekey --{flag} --reason \"…\"` (docs/operations.md, Keys)")]
    Missing {
        what: &'static str,
        var: &'static str,
        flag: &'static str,
        path: String,
        why: &'static str,
    },
    #[error("the {what} at {path} is not the one this store was first used with ({consequence}): copy that installation's key file there (set {var} to its path)")]
    Different {
        what: &'static str,
        var: &'static str,
        path: String,
        consequence: &'static str,
    },
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<sea_orm::DbErr> for KeyError {
    fn from(e: sea_orm::DbErr) -> Self {
        KeyError::Other(e.into())
    }
}
