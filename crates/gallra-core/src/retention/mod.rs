//! Retention enforcement: running a rule against its datasource in bounded batches, skipping
//! legal holds, proving the result, and recording the run and its evidence.

mod anonymize;
pub mod approval;
mod batch;
pub mod breach;
mod exec;
mod guard;
pub mod hold_ops;
pub mod holds;
mod hooked;
pub mod instant;
mod journal;
mod keys;
pub mod lock;
mod options;
mod pace;
pub mod report;
pub mod rule;
pub mod run;
mod run_row;
pub mod settle;
mod start;
mod statements;
pub mod status;
mod sweep;
pub mod views;

pub use exec::{check_schema, postcondition_after_sweep, Plan, BATCH};
pub use journal::Journal;
pub use report::{Outcome, RunReport};
pub use run::{run_rule, RunOptions, Trigger};
pub use start::{start_approval, start_run};
