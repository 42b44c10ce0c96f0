//! The REST API's rate-limit budget as PagerDuty reports it on every answer, so that a script
//! can slow down before a 429.
//!
//! PagerDuty sends `ratelimit-limit`, `ratelimit-remaining` and `ratelimit-reset` (seconds until
//! the window resets); older documents name them `X-RateLimit-Limit`, `X-RateLimit-Remaining`
//! and `X-RateLimit-Reset`. Both spellings are read, in any case; the newer one wins when both
//! are present. A value that is not a number is ignored (the field is `None`).
//!
//! ```
//! use pagerduty_core::http::Response;
//! use pagerduty_core::ratelimit::RateLimit;
//!
//! let r = Response::new(200, vec![("RateLimit-Limit".into(), "960".into()),
//!                                 ("ratelimit-remaining".into(), "959".into()),
//!                                 ("ratelimit-reset".into(), "42".into())], "{}");
//! let budget = RateLimit::from_response(&r).unwrap();
//! assert_eq!((budget.limit, budget.remaining, budget.reset_ms), (Some(960), Some(959), Some(42_000)));
//! ```

use serde_json::Value;

use crate::http::Response;

/// The last budget a REST answer reported. Every field is optional: an answer may carry some
/// headers and not others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RateLimit {
    /// Requests allowed in the window.
    pub limit: Option<u64>,
    /// Requests left in the window.
    pub remaining: Option<u64>,
    /// Milliseconds until the window resets (the header is in seconds; fractions kept).
    pub reset_ms: Option<u64>,
}

fn header<'a>(response: &'a Response, name: &str) -> Option<&'a str> {
    response
        .header(&format!("ratelimit-{name}"))
        .or_else(|| response.header(&format!("x-ratelimit-{name}")))
}

fn count(response: &Response, name: &str) -> Option<u64> {
    header(response, name)?.parse().ok()
}

impl RateLimit {
    /// The budget an answer reports, or `None` when it carries none of the headers.
    pub fn from_response(response: &Response) -> Option<RateLimit> {
        let reset_ms = header(response, "reset")
            .and_then(crate::http::seconds)
            .map(|d| d.as_secs() * 1000 + (u64::from(d.subsec_nanos()) + 500_000) / 1_000_000);
        let r = RateLimit {
            limit: count(response, "limit"),
            remaining: count(response, "remaining"),
            reset_ms,
        };
        (r != RateLimit::default()).then_some(r)
    }

    /// `{"limit": 960, "remaining": 959, "reset_ms": 42000}` (absent values `null`): what every
    /// binding hands out.
    pub fn to_json(&self) -> Value {
        crate::write_value::object([
            ("limit", self.limit.into()),
            ("remaining", self.remaining.into()),
            ("reset_ms", self.reset_ms.into()),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn answer(headers: &[(&str, &str)]) -> Response {
        let h = headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Response::new(200, h, "{}")
    }

    #[test]
    fn reads_both_spellings_in_any_case() {
        let new = answer(&[
            ("ratelimit-limit", "960"),
            ("ratelimit-remaining", "12"),
            ("ratelimit-reset", "30"),
        ]);
        let old = answer(&[
            ("X-RateLimit-Limit", "960"),
            ("X-RATELIMIT-REMAINING", "12"),
            ("x-ratelimit-reset", "30"),
        ]);
        let want = RateLimit {
            limit: Some(960),
            remaining: Some(12),
            reset_ms: Some(30_000),
        };
        assert_eq!(RateLimit::from_response(&new), Some(want));
        assert_eq!(RateLimit::from_response(&old), Some(want));
        assert_eq!(
            want.to_json(),
            json!({"limit": 960, "remaining": 12, "reset_ms": 30000})
        );
    }

    #[test]
    fn newer_names_win_and_garbage_is_ignored() {
        let r = answer(&[
            ("X-RateLimit-Remaining", "1"),
            ("RateLimit-Remaining", "5"),
            ("ratelimit-limit", "lots"),
            ("ratelimit-reset", "0.5"),
        ]);
        assert_eq!(
            RateLimit::from_response(&r),
            Some(RateLimit {
                limit: None,
                remaining: Some(5),
                reset_ms: Some(500)
            })
        );
        assert_eq!(RateLimit::from_response(&answer(&[])), None);
        assert_eq!(
            RateLimit::from_response(&answer(&[("ratelimit-reset", "-3")])),
            None
        );
    }
}
