//! A run's row: claimed once per occurrence (the unique (rule, scheduled_for) index), and its
//! heartbeat written while the run works.

use chrono::{DateTime, Utc};
use entity::retention_runs;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use super::options::{RunError, RunOptions};
use super::report::Outcome;
use super::rule::Rule;
use crate::context::AppState;

/// How often a working run writes its heartbeat: shown beside a working run. A crash is not
/// told by a silent heartbeat but at once, by the rule's run lock (`lock`) dying with its holder.
pub const HEARTBEAT: std::time::Duration = std::time::Duration::from_secs(5 * 60);

/// Run `work`, the work of run `run_id`, writing the run's heartbeat every `every` meanwhile.
pub async fn beating<T>(
    state: &AppState,
    run_id: i32,
    every: std::time::Duration,
    work: impl std::future::Future<Output = T>,
) -> T {
    let beat = async {
        let mut ticks = tokio::time::interval(every);
        // The first tick is at once: the run's start says as much.
        ticks.tick().await;
        loop {
            ticks.tick().await;
            let beat = retention_runs::Entity::update_many()
                .col_expr(
                    retention_runs::Column::HeartbeatAt,
                    Expr::value(Some(state.clock.now())),
                )
                .filter(retention_runs::Column::Id.eq(run_id))
                .filter(retention_runs::Column::Outcome.eq(Outcome::Running))
                .exec(&state.db)
                .await;
            if let Err(e) = beat {
                tracing::warn!(run = run_id, error = %e, "could not write a run's heartbeat");
            }
        }
    };
    tokio::select! {
        out = work => out,
        never = beat => never,
    }
}

/// Insert the run's row; the unique (rule, scheduled_for) index makes an occurrence run once.
pub async fn claim(
    state: &AppState,
    rule: &Rule,
    opts: &RunOptions,
    now: DateTime<Utc>,
) -> Result<i32, RunError> {
    let row = retention_runs::ActiveModel {
        rule_id: Set(rule.id().to_owned()),
        rule_hash: Set(rule.hash.clone()),
        rule_body: Set(Some(rule.body.clone())),
        trigger: Set(opts.trigger.as_str().to_owned()),
        scheduled_for: Set(opts.scheduled_for),
        late: Set(opts.late),
        dry_run: Set(opts.dry_run),
        attempt: Set(opts.attempt),
        created_at: Set(now),
        started_at: Set(Some(now)),
        outcome: Set(Outcome::Running),
        approved_by: Set(opts.approved_by.clone()),
        ..Default::default()
    };
    match row.insert(&state.db).await {
        Ok(m) => Ok(m.id),
        Err(e)
            if matches!(
                e.sql_err(),
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
            ) =>
        {
            Err(RunError::AlreadyClaimed(rule.id().to_owned()))
        }
        Err(e) => Err(RunError::Store(e.into())),
    }
}
