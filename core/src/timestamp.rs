//! ISO 8601 checks for the timestamps callers pass, so a typo fails here with the field's name
//! instead of as a 400 (or, for an event, a silently wrong time) at PagerDuty.

use time::format_description::well_known::Iso8601;
use time::{OffsetDateTime, PrimitiveDateTime};

use crate::error::Error;

/// A date and time, with or without an offset (`2015-07-17T08:42:58.315+0000`).
pub fn check_date_time(field: &str, value: &str) -> Result<(), Error> {
    if OffsetDateTime::parse(value, &Iso8601::DEFAULT).is_ok()
        || PrimitiveDateTime::parse(value, &Iso8601::DEFAULT).is_ok()
    {
        Ok(())
    } else {
        Err(Error::invalid(
            field,
            format!("{value:?} is not an ISO 8601 date and time such as 2026-11-23T16:42:17Z"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_pagerduty_uses() {
        for ok in [
            "2015-07-17T08:42:58.315+0000",
            "2015-07-17T08:42:58.315+00:00",
            "2015-07-17T08:42:58Z",
            "2015-07-17T08:42:58",
        ] {
            check_date_time("timestamp", ok).unwrap();
        }
        // A bare date is not a date and time (the spec's `date-time`).
        assert!(check_date_time("since", "2015-07-17").is_err());
        assert_eq!(
            check_date_time("payload.timestamp", "2015-13-17T08:42:58Z").unwrap_err().to_string(),
            "invalid payload.timestamp: \"2015-13-17T08:42:58Z\" is not an ISO 8601 date and time such as 2026-11-23T16:42:17Z"
        );
        assert!(check_date_time("t", "yesterday").is_err());
        assert!(check_date_time("until", "2015-07-17 08:42:58Z").is_err());
    }
}
