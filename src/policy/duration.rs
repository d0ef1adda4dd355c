//! Retention periods and due periods written as `7d`, `12h`, `3mo`, `1y`.

use std::fmt;

use chrono::{DateTime, Months, TimeDelta, TimeZone};

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
        let secs = i64::from(n);
        Ok(match unit {
            "s" => Period::Fixed(TimeDelta::seconds(secs)),
            "min" => Period::Fixed(TimeDelta::minutes(secs)),
            "h" => Period::Fixed(TimeDelta::hours(secs)),
            "d" => Period::Fixed(TimeDelta::days(secs)),
            "w" => Period::Fixed(TimeDelta::weeks(secs)),
            "mo" => Period::Months(n),
            "y" => Period::Months(n.saturating_mul(12)),
            _ => {
                return Err(format!(
                    "unknown duration unit `{unit}` in `{t}`: expected s, min, h, d, w, mo or y"
                ))
            }
        })
    }

    /// The instant this period before `now`, counting calendar months in `now`'s zone.
    pub fn before<Tz: TimeZone>(&self, now: DateTime<Tz>) -> DateTime<Tz> {
        match self {
            Period::Fixed(d) => now - *d,
            Period::Months(m) => now
                .clone()
                .checked_sub_months(Months::new(*m))
                .unwrap_or(now),
        }
    }
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
}
