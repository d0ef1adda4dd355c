//! Schedules: 5- or 6-field cron expressions or shorthands, each in a named time zone.

use chrono_tz::Tz;
use croner::parser::{CronParser, Seconds};
use croner::Cron;

/// The cron expression a shorthand stands for. Times are local to the rule's time zone.
fn expand(shorthand: &str) -> Option<&'static str> {
    Some(match shorthand {
        "daily" => "0 2 * * *",
        "weekly" => "0 6 * * 1",
        "monthly" => "0 6 1 * *",
        "quarterly" => "0 6 1 1,4,7,10 *",
        "yearly" => "0 6 1 1 *",
        _ => return None,
    })
}

pub fn parse_cron(text: &str) -> Result<Cron, String> {
    let pattern = expand(text.trim()).unwrap_or(text.trim());
    let fields = pattern.split_whitespace().count();
    if !(5..=6).contains(&fields) {
        return Err(format!(
            "expected a cron expression of 5 or 6 fields or one of daily, weekly, monthly, quarterly, yearly; got `{text}`"
        ));
    }
    CronParser::builder()
        .seconds(Seconds::Optional)
        .build()
        .parse(pattern)
        .map_err(|e| format!("invalid cron expression `{text}`: {e}"))
}

pub fn parse_timezone(text: &str) -> Result<Tz, String> {
    text.parse::<Tz>().map_err(|_| {
        format!("unknown time zone `{text}`: expected an IANA name such as `Europe/Stockholm`")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_five_six_fields_and_shorthands() {
        assert!(parse_cron("30 2 * * *").is_ok());
        assert!(parse_cron("0 30 2 * * *").is_ok());
        assert!(parse_cron("quarterly").is_ok());
    }

    #[test]
    fn rejects_bad_cron_and_zone() {
        assert!(parse_cron("61 2 * * *").is_err());
        assert!(parse_cron("every night").is_err());
        assert!(parse_timezone("Europe/Stockholmm").is_err());
        assert!(parse_timezone("Europe/Copenhagen").is_ok());
    }
}
