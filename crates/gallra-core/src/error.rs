//! One classification of what went wrong, shared by every domain error. Each edge maps a kind
//! to its own answer once (the JSON API to a status and code, the web to a page), so the same
//! failure is the same answer everywhere: a unique key a caller collided with is a conflict on
//! the web as in the API, and a store that does not answer is "unavailable" at both.

use sea_orm::DbErr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// What was asked for is not there (or not there for this caller).
    NotFound,
    /// The state forbids it now: already running, already there, closed.
    Conflict,
    /// The request itself is wrong: a text refused, a decision without its justification.
    Invalid,
    /// The caller's role or assignment does not allow it.
    Forbidden,
    /// The store does not answer now; try again.
    Unavailable,
    /// A datasource gallra works on for the caller failed: neither the request's fault nor
    /// gallra's own store.
    Upstream,
    /// A fault of gallra's: logged, never shown.
    Internal,
}

/// A domain error that says its kind.
pub trait Classify: std::error::Error + Send + Sync + 'static {
    fn kind(&self) -> ErrorKind;

    /// What the caller may be told (an internal fault is never shown, whatever this says).
    fn public_message(&self) -> String {
        self.to_string()
    }
}

/// A store error's kind: a unique key collided with is a conflict, a store that does not
/// answer is unavailable, anything else a fault.
pub fn db_kind(e: &DbErr) -> ErrorKind {
    match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => ErrorKind::Conflict,
        _ if crate::db::unavailable(e) => ErrorKind::Unavailable,
        _ => ErrorKind::Internal,
    }
}

/// The kind of an error carried as `anyhow::Error` (a domain function's `Store` case): a text
/// refused however deep it was checked is invalid, a store that does not answer unavailable.
pub fn anyhow_kind(e: &anyhow::Error) -> ErrorKind {
    if e.chain()
        .any(|c| c.downcast_ref::<crate::text::TextError>().is_some())
    {
        ErrorKind::Invalid
    } else if crate::db::unavailable_in(e) {
        ErrorKind::Unavailable
    } else {
        ErrorKind::Internal
    }
}

impl Classify for DbErr {
    fn kind(&self) -> ErrorKind {
        db_kind(self)
    }

    /// The store's own words name its tables and constraints: not for the caller.
    fn public_message(&self) -> String {
        match self.kind() {
            ErrorKind::Conflict => "it already exists".into(),
            _ => "the store is unavailable".into(),
        }
    }
}

impl Classify for crate::text::TextError {
    fn kind(&self) -> ErrorKind {
        ErrorKind::Invalid
    }
}

impl Classify for crate::auth::Denied {
    fn kind(&self) -> ErrorKind {
        ErrorKind::Forbidden
    }
}

impl Classify for crate::review::ReviewError {
    fn kind(&self) -> ErrorKind {
        use crate::review::ReviewError as E;
        match self {
            E::Invalid(_) => ErrorKind::Invalid,
            E::NotFound(_) => ErrorKind::NotFound,
            E::Forbidden(_) => ErrorKind::Forbidden,
            E::Conflict(_) => ErrorKind::Conflict,
            E::Store(e) => anyhow_kind(e),
        }
    }
}

impl Classify for crate::review::open::OpenError {
    fn kind(&self) -> ErrorKind {
        use crate::review::open::OpenError as E;
        match self {
            E::UnknownPolicy(_) => ErrorKind::NotFound,
            E::AlreadyOpened(_) => ErrorKind::Conflict,
            E::Source(_) => ErrorKind::Invalid,
            E::Datasource(_) => ErrorKind::Upstream,
            E::Store(e) => anyhow_kind(e),
        }
    }
}

impl Classify for crate::retention::run::RunError {
    fn kind(&self) -> ErrorKind {
        use crate::retention::run::RunError as E;
        match self {
            E::UnknownRule(_) => ErrorKind::NotFound,
            E::AlreadyClaimed(_) | E::AlreadyRunning { .. } | E::Stopped(_) => ErrorKind::Conflict,
            E::Refused(_) => ErrorKind::Invalid,
            E::Store(e) => anyhow_kind(e),
        }
    }
}

impl Classify for crate::retention::hold_ops::HoldError {
    fn kind(&self) -> ErrorKind {
        use crate::retention::hold_ops::HoldError as E;
        match self {
            E::UnknownRule(_) | E::UnknownHold(_) => ErrorKind::NotFound,
            E::Refused(_) => ErrorKind::Invalid,
            E::Store(e) => anyhow_kind(e),
        }
    }
}

impl Classify for crate::evidence::tree::TreeError {
    fn kind(&self) -> ErrorKind {
        use crate::evidence::tree::TreeError as E;
        match self {
            E::Input(_) => ErrorKind::Invalid,
            E::NoSuchProof(_) => ErrorKind::NotFound,
            E::Db(e) => db_kind(e),
            E::Tlog(_) => ErrorKind::Internal,
        }
    }
}

impl Classify for crate::export::bundle::ExportError {
    fn kind(&self) -> ErrorKind {
        use crate::export::bundle::ExportError as E;
        match self {
            E::Input(_) => ErrorKind::Invalid,
            E::Db(e) => db_kind(e),
            E::Tree(e) => e.kind(),
            E::Other(e) => anyhow_kind(e),
            E::Inconsistent(_) | E::Zip(_) | E::Io(_) | E::Csv(_) => ErrorKind::Internal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_refused_deep_down_is_invalid_and_a_fault_internal() {
        let refused = crate::text::TOKEN_NAME.check("a\0").unwrap_err();
        let deep = anyhow::Error::new(refused).context("creating a token");
        assert_eq!(anyhow_kind(&deep), ErrorKind::Invalid);
        assert_eq!(anyhow_kind(&anyhow::anyhow!("boom")), ErrorKind::Internal);
        assert_eq!(
            DbErr::RecordNotFound("x".into()).kind(),
            ErrorKind::Internal
        );
    }
}
