//! What a run is asked to do (its trigger, occurrence, attempt, approval, batch size) and how
//! starting one can be refused.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::plan::BATCH;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    Manual,
    Schedule,
    Approval,
}

impl Trigger {
    pub(super) fn parse(s: &str) -> Trigger {
        match s {
            "schedule" => Trigger::Schedule,
            "approval" => Trigger::Approval,
            _ => Trigger::Manual,
        }
    }

    pub(super) fn as_str(self) -> &'static str {
        match self {
            Trigger::Manual => "manual",
            Trigger::Schedule => "schedule",
            Trigger::Approval => "approval",
        }
    }
}

#[derive(Debug, Clone)]
pub struct RunOptions {
    pub dry_run: bool,
    pub trigger: Trigger,
    /// The schedule occurrence this run is for; unique per rule.
    pub scheduled_for: Option<DateTime<Utc>>,
    pub late: bool,
    pub attempt: i32,
    /// The attempt before this one was cut off (a crash): what its committed batches changed is
    /// in its own `interrupted` entry, settled from its journal; this run's evidence says so.
    pub after_interrupted: bool,
    /// Set when a DPO approved a guarded run: the guard is passed.
    pub approved_by: Option<String>,
    pub batch: u64,
}

impl RunOptions {
    pub fn manual(dry_run: bool) -> Self {
        RunOptions {
            dry_run,
            trigger: Trigger::Manual,
            scheduled_for: None,
            late: false,
            attempt: 1,
            after_interrupted: false,
            approved_by: None,
            batch: BATCH,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("no retention rule `{0}`")]
    UnknownRule(String),
    /// Another replica (or an earlier start) already has this occurrence.
    #[error("rule `{0}` already has a run for this occurrence")]
    AlreadyClaimed(String),
    /// Another run of the rule is working (its lock is held); `run` names it where its row is
    /// already written.
    #[error("rule `{rule}` is already being run{}; try again when it has finished", .run.map(|r| format!(" (run {r})")).unwrap_or_default())]
    AlreadyRunning { rule: String, run: Option<i32> },
    /// The request cannot be taken as it is (an approval without a reason).
    #[error("{0}")]
    Refused(String),
    /// The run stopped before it could record itself (it lost its run lock, or what its
    /// batches committed cannot be asked now): its run is settled from its journal, by another
    /// process or the next run of the rule.
    #[error("{0}")]
    Stopped(String),
    #[error(transparent)]
    Store(#[from] anyhow::Error),
}
