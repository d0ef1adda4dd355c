//! A rule's guards: the limits past which a run waits for a DPO's approval instead of changing
//! anything.

use super::report::Counts;
use super::rule::Rule;

/// Why a run must wait for approval, if it must: a misconfigured rule must not wipe a table.
pub(super) fn guard(rule: &Rule, c: &Counts) -> Option<String> {
    if let Some(max) = &rule.spec.max_rows {
        if c.affected > *max.get_ref() as u64 {
            return Some(format!(
                "would affect {} rows, more than max_rows = {}",
                c.affected,
                max.get_ref()
            ));
        }
    }
    if let Some(pct) = &rule.spec.max_percent {
        // A run counts the table whenever its rule has this guard; uncounted, it must wait.
        let Some(table) = c.table_rows else {
            return Some("the table's rows were not counted, for max_percent".into());
        };
        if table > 0 && c.affected * 100 > *pct.get_ref() as u64 * table {
            return Some(format!(
                "would affect {} of {table} rows, more than max_percent = {}%",
                c.affected,
                pct.get_ref()
            ));
        }
    }
    None
}
