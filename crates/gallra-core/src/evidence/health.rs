//! The log's last full verification, kept for pages that show whether the log verifies
//! without re-reading it on every request.

use std::sync::{Arc, RwLock};

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use super::verify::verify;
use super::verify_error::VerifyError;
use super::Keys;

/// The outcome of one full verification.
#[derive(Debug, Clone)]
pub struct Checked {
    pub at: DateTime<Utc>,
    pub entries: u64,
    /// `None` when it verified; else what was first found wrong.
    pub problem: Option<String>,
}

#[derive(Clone, Default)]
pub struct Health(Arc<RwLock<Option<Checked>>>);

impl Health {
    pub fn last(&self) -> Option<Checked> {
        self.0.read().ok().and_then(|g| g.clone())
    }

    /// Verify the whole log now and keep the outcome; a store error keeps the last outcome.
    pub async fn check(&self, db: &DatabaseConnection, keys: &Keys, now: DateTime<Utc>) {
        let checked = match verify(db, keys).await {
            Ok(s) => Checked {
                at: now,
                entries: s.entries,
                problem: None,
            },
            Err(VerifyError::Bad(what)) => Checked {
                at: now,
                entries: 0,
                problem: Some(what),
            },
            Err(e) => {
                tracing::warn!(error = %e, "verifying the log failed");
                return;
            }
        };
        if let Some(problem) = &checked.problem {
            tracing::error!(problem, "the evidence log does not verify");
        }
        if let Ok(mut g) = self.0.write() {
            *g = Some(checked);
        }
    }
}
