//! Retention enforcement: running a rule against its datasource in bounded batches, skipping
//! legal holds, proving the result, and recording the run and its evidence.

mod anonymize;
pub mod approval;
mod batch;
pub mod breach;
mod exec;
mod finish;
mod guard;
mod hashed;
pub mod hold_ops;
pub mod holds;
mod hooked;
pub mod instant;
mod journal;
mod key_column;
mod keys;
pub mod lock;
mod options;
mod pace;
mod plan;
pub mod report;
pub mod rule;
pub mod run;
mod run_row;
pub mod settle;
mod start;
mod statements;
pub mod status;
mod sweep;
mod tally;
pub mod views;

pub use exec::{check_schema, postcondition_after_sweep};
pub use journal::Journal;
pub use plan::{Plan, BATCH};
pub use report::{Outcome, RunReport};
pub use run::{run_rule, RunOptions, Trigger};
pub use start::{start_approval, start_run};
