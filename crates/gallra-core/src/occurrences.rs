//! When a schedule fires: cron in a named time zone, computed afresh for each occurrence so
//! the UTC offset is always the one in force on that day (never fixed at job creation, which
//! is what tokio-cron-scheduler's `_tz` constructors do: upstream issue #87).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use croner::Cron;

use crate::policy::schedule::{parse_cron, parse_timezone};

#[derive(Debug, Clone)]
pub struct Schedule {
    cron: Cron,
    tz: Tz,
}

impl Schedule {
    pub fn parse(cron: &str, tz: &str) -> Result<Self, String> {
        Ok(Schedule {
            cron: parse_cron(cron)?,
            tz: parse_timezone(tz)?,
        })
    }

    /// The first occurrence strictly after `after`.
    pub fn next_after(&self, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let local = after.with_timezone(&self.tz);
        self.cron
            .find_next_occurrence(&local, false)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }

    /// Every occurrence in `(after, until]`, oldest first (at most `limit`).
    pub fn between(
        &self,
        after: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: usize,
    ) -> Vec<DateTime<Utc>> {
        let mut out = Vec::new();
        let mut t = after;
        while out.len() < limit {
            match self.next_after(t) {
                Some(n) if n <= until => {
                    out.push(n);
                    t = n;
                }
                _ => break,
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn stockholm(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        chrono_tz::Europe::Stockholm
            .with_ymd_and_hms(y, m, d, h, min, 0)
            .earliest()
            .unwrap()
            .with_timezone(&Utc)
    }

    fn local_times(v: &[DateTime<Utc>]) -> Vec<String> {
        v.iter()
            .map(|t| {
                t.with_timezone(&chrono_tz::Europe::Stockholm)
                    .format("%m-%d %H:%M %Z")
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn fires_at_0230_local_on_both_sides_of_spring_forward_and_once_on_the_night_without_0230() {
        let s = Schedule::parse("30 2 * * *", "Europe/Stockholm").unwrap();
        let got = s.between(
            stockholm(2027, 3, 26, 12, 0),
            stockholm(2027, 3, 30, 12, 0),
            10,
        );
        let local = local_times(&got);
        assert_eq!(got.len(), 4, "{local:?}");
        assert_eq!(local[0], "03-27 02:30 CET");
        assert!(
            local[1].starts_with("03-28 03:"),
            "the night without 02:30 fires once, just after the gap: {local:?}"
        );
        assert_eq!(local[2], "03-29 02:30 CEST");
        assert_eq!(local[3], "03-30 02:30 CEST");
    }

    #[test]
    fn fires_once_at_0230_local_on_the_night_with_two_0230s() {
        let s = Schedule::parse("30 2 * * *", "Europe/Stockholm").unwrap();
        let got = s.between(
            stockholm(2027, 10, 29, 12, 0),
            stockholm(2027, 11, 1, 12, 0),
            10,
        );
        let local = local_times(&got);
        assert_eq!(
            local,
            vec!["10-30 02:30 CEST", "10-31 02:30 CEST", "11-01 02:30 CET"],
            "{local:?}"
        );
        assert_eq!(got[2] - got[1], chrono::TimeDelta::hours(25));
    }
}
