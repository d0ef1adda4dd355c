//! Retention periods and due periods written as `7d`, `12h`, `3mo`, `1y`.

use std::fmt;

use chrono::{DateTime, Months, NaiveDateTime, TimeDelta, TimeZone};

/// The longest period: a cutoff this far back stays within the calendar chrono can count, so no
/// run's cutoff is ever out of range (a period no store keeps data for anyway).
const MAX_YEARS: u32 = 1_000;

/// A positive period: fixed (seconds to weeks) or calendar (months, years).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Fixed(TimeDelta),
    Months(u32),
}

impl Period {
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim();
        if t.starts_with('-') {
            return Err(format!("duration must be positive, got `{t}`"));
        }
        let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
        let (digits, unit) = t.split_at(split);
        let n: u32 = digits.parse().map_err(|_| {
            format!("expected a duration such as `7d`, `12h`, `3mo` or `1y`, got `{t}`")
        })?;
        if n == 0 {
            return Err(format!("duration must be positive, got `{t}`"));
        }
        let n64 = i64::from(n);
        let period = match unit {
            "s" => Period::Fixed(TimeDelta::seconds(n64)),
            "min" => Period::Fixed(TimeDelta::minutes(n64)),
            "h" => Period::Fixed(TimeDelta::hours(n64)),
            "d" => Period::Fixed(TimeDelta::days(n64)),
            "w" => Period::Fixed(TimeDelta::weeks(n64)),
            "mo" => Period::Months(n),
            "y" => Period::Months(n.saturating_mul(12)),
            _ => {
                return Err(format!(
                    "unknown duration unit `{unit}` in `{t}`: expected s, min, h, d, w, mo or y"
                ))
            }
        };
        let too_long = match period {
            Period::Fixed(d) => d.num_days() > i64::from(MAX_YEARS) * 366,
            Period::Months(m) => m > MAX_YEARS * 12,
        };
        if too_long {
            return Err(format!(
                "duration `{t}` is longer than {MAX_YEARS} years, the longest there is"
            ));
        }
        Ok(period)
    }

    /// The instant this period before `now`, counting calendar months in `now`'s zone. A local
    /// time the clocks skip or repeat resolves to an instant at or before it: a cutoff resolved
    /// that way keeps rows a little longer than the period, never deletes them early.
    pub fn before<Tz: TimeZone>(&self, now: DateTime<Tz>) -> DateTime<Tz> {
        match self {
            // `parse` bounds a period to `MAX_YEARS`: it cannot reach out of chrono's range.
            Period::Fixed(d) => now - *d,
            Period::Months(m) => at_or_before(&now.timezone(), now.naive_local() - Months::new(*m)),
        }
    }

    /// The instant this period after `from`, counting calendar months in `from`'s zone; a local
    /// time the clocks skip or repeat resolves as in `before`, at or before it.
    pub fn after<Tz: TimeZone>(&self, from: DateTime<Tz>) -> DateTime<Tz> {
        match self {
            Period::Fixed(d) => from + *d,
            Period::Months(m) => {
                at_or_before(&from.timezone(), from.naive_local() + Months::new(*m))
            }
        }
    }
}

/// `local` in `tz`: its earlier instant where it occurs twice (the clocks went back), or the
/// last minute before the gap where it does not occur (they went forward).
fn at_or_before<Tz: TimeZone>(tz: &Tz, local: NaiveDateTime) -> DateTime<Tz> {
    // No time zone skips more than a day at once.
    for back in 0..=24 * 60 {
        if let Some(at) = tz
            .from_local_datetime(&(local - TimeDelta::minutes(back)))
            .earliest()
        {
            return at;
        }
    }
    // Unreachable with real zones: read as UTC, which is at most a day off.
    tz.from_utc_datetime(&local) - TimeDelta::days(1)
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Fixed(d) if d.num_seconds() % 86_400 == 0 => write!(f, "{}d", d.num_days()),
            Period::Fixed(d) => write!(f, "{}s", d.num_seconds()),
            Period::Months(m) => write!(f, "{m}mo"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units() {
        assert_eq!(Period::parse("7d"), Ok(Period::Fixed(TimeDelta::days(7))));
        assert_eq!(Period::parse("3mo"), Ok(Period::Months(3)));
        assert_eq!(Period::parse("1y"), Ok(Period::Months(12)));
        assert_eq!(
            Period::parse("90min"),
            Ok(Period::Fixed(TimeDelta::minutes(90)))
        );
    }

    #[test]
    fn rejects_negative_zero_and_unknown() {
        assert!(Period::parse("-7d").unwrap_err().contains("positive"));
        assert!(Period::parse("0d").unwrap_err().contains("positive"));
        assert!(Period::parse("7 days").unwrap_err().contains("unit"));
        assert!(Period::parse("d").is_err());
    }

    #[test]
    fn periods_past_a_thousand_years_are_refused_so_no_cutoff_leaves_the_calendar() {
        assert_eq!(Period::parse("1000y"), Ok(Period::Months(12_000)));
        assert!(Period::parse("1001y").unwrap_err().contains("1000 years"));
        assert!(Period::parse("4294967295w")
            .unwrap_err()
            .contains("1000 years"));
        assert!(Period::parse("99999999d")
            .unwrap_err()
            .contains("1000 years"));
    }

    #[test]
    fn months_after_are_counted_in_the_local_calendar() {
        use chrono_tz::Europe::Stockholm;
        // Midnight on 1 May in Stockholm is 22:00 UTC on 30 April: a month later is 1 June.
        let opened = Stockholm.with_ymd_and_hms(2027, 5, 1, 0, 0, 0).unwrap();
        let due = Period::Months(1).after(opened);
        assert_eq!(
            due,
            Stockholm.with_ymd_and_hms(2027, 6, 1, 0, 0, 0).unwrap()
        );
    }

    #[test]
    fn a_month_back_onto_a_skipped_hour_is_the_minute_before_the_gap_never_now() {
        use chrono_tz::Europe::Stockholm;
        // 02:30 on 2027-03-28 does not exist in Stockholm (02:00 CET became 03:00 CEST).
        let now = Stockholm.with_ymd_and_hms(2027, 9, 28, 2, 30, 0).unwrap();
        let cutoff = Period::Months(6).before(now);
        let expected = Stockholm.with_ymd_and_hms(2027, 3, 28, 1, 59, 0).unwrap();
        assert_eq!(cutoff, expected);
    }

    #[test]
    fn a_month_back_onto_a_repeated_hour_is_its_earlier_instant() {
        use chrono_tz::Europe::Stockholm;
        // 02:30 on 2027-10-31 happens twice in Stockholm: first in CEST (00:30 UTC).
        let now = Stockholm.with_ymd_and_hms(2028, 3, 31, 2, 30, 0).unwrap();
        let cutoff = Period::Months(5).before(now);
        let expected = chrono::Utc
            .with_ymd_and_hms(2027, 10, 31, 0, 30, 0)
            .unwrap();
        assert_eq!(cutoff, expected);
    }
}
