//! The size of a purge's next batch, from how long the last one's transaction took: a busy
//! server or a wide row slows a batch of a fixed number of rows past any fixed limit, so the
//! size follows the time instead.

use std::time::Duration;

/// What a batch's transaction should take: well under the 250 ms a transaction may hold locks
/// (BENCHMARKS.md), so a batch that runs twice as slow as the last still fits.
pub const TARGET: Duration = Duration::from_millis(100);

/// The fewest rows a batch shrinks to: below it, a batch's fixed costs (round trips, a commit)
/// outweigh its rows.
const FLOOR: u64 = 500;

/// The first batch's rows, before any has been timed: small enough to fit the target on a
/// slow server with wide rows; `next` doubles it while batches stay fast.
const FIRST: u64 = 10_000;

pub fn first(max: u64) -> u64 {
    FIRST.min(max)
}

/// The next batch's rows after one of `size` rows took `took`: scaled towards `TARGET`,
/// growing at most twofold per batch, never above `max` (the rule's batch size) nor below
/// `FLOOR` (or `max`, if smaller).
pub fn next(size: u64, took: Duration, max: u64) -> u64 {
    let floor = FLOOR.min(max);
    let took = took.as_secs_f64().max(1e-6);
    let scaled = size as f64 * TARGET.as_secs_f64() / took;
    let next = scaled.min(size.saturating_mul(2) as f64) as u64;
    next.clamp(floor, max)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: fn(u64) -> Duration = Duration::from_millis;

    #[test]
    fn a_slow_batch_shrinks_the_next_to_the_target_time() {
        // 50,000 rows in 200 ms: 25,000 should take the target's 100 ms.
        assert_eq!(next(50_000, MS(200), 50_000), 25_000);
        // Never below the floor, however slow.
        assert_eq!(next(1_000, MS(10_000), 50_000), FLOOR);
    }

    #[test]
    fn a_fast_batch_grows_the_next_at_most_twofold_up_to_the_rules_size() {
        assert_eq!(next(10_000, MS(10), 50_000), 20_000);
        assert_eq!(next(40_000, MS(10), 50_000), 50_000);
        // On time: unchanged.
        assert_eq!(next(30_000, TARGET, 50_000), 30_000);
    }

    #[test]
    fn the_first_batch_is_small_unless_the_rule_asks_for_smaller() {
        assert_eq!(first(50_000), FIRST);
        assert_eq!(first(7), 7);
    }

    #[test]
    fn a_rule_with_batches_below_the_floor_keeps_its_own_size() {
        assert_eq!(next(7, MS(1_000), 7), 7);
        assert_eq!(next(7, Duration::ZERO, 7), 7);
    }
}
