//! Turning a non-2xx response into an [`Error`], tolerant of every error body seen in the wild.
//!
//! PagerDuty documents `{"error": {"message", "code", "errors": [..]}}` for REST and
//! `{"status", "message", "errors": [..]}` for events, but what actually arrives also includes
//! `errors` as a single string, `error` as an array of strings or a bare string, `code` as a
//! string, an empty body, and a proxy's HTML page. None of these may turn into a decode error
//! that hides the status: the status decides the variant, the body only adds detail.

use serde_json::Value;

use crate::error::{excerpt, ApiError, Error};
use crate::http::Response;

/// Which API answered: the same status means different things on different APIs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Api {
    /// REST API v2.
    Rest,
    /// Events API v2 (alerts and change events).
    EventsV2,
    /// Events API v1 (legacy): its 403 means rate limited.
    EventsV1,
}

/// The error a non-2xx response stands for.
pub fn error_from_response(response: &Response, api: Api) -> Error {
    let details = Box::new(api_error(response));
    match (response.status, api) {
        (401, _) => Error::Unauthorized(details),
        (403, Api::EventsV1) | (429, _) => Error::RateLimited {
            retry_after: response.retry_after(),
            api: details,
        },
        (403, _) => Error::Forbidden(details),
        (404, _) => Error::NotFound(details),
        (400, Api::EventsV2 | Api::EventsV1) => Error::InvalidEvent(details),
        (400, Api::Rest) if says_already_exists(&details) => Error::AlreadyExists(details),
        _ => Error::Http(details),
    }
}

/// PagerDuty's 400 for a `POST /incidents` whose `incident_key` an open incident has:
/// `{"error": {"message": "Invalid Input Provided", "code": 2001, "errors": ["Open incident
/// with matching dedup key already exists on this service"]}}`. The status alone cannot tell it
/// from another invalid input, so here (only here) the body decides the variant.
fn says_already_exists(api: &ApiError) -> bool {
    api.errors
        .iter()
        .chain(std::iter::once(&api.message))
        .any(|e| {
            let e = e.to_ascii_lowercase();
            e.contains("already exists")
                && (e.contains("dedup key")
                    || e.contains("incident key")
                    || e.contains("incident_key"))
        })
}

/// What the body says, as well as it can be read.
pub fn api_error(response: &Response) -> ApiError {
    let mut out = ApiError {
        status: response.status,
        request_id: response.request_id().map(str::to_owned),
        ..ApiError::default()
    };
    let body = &response.body;
    if (300..400).contains(&response.status) {
        // Not the Location: it is the server's text and may carry a query.
        out.message = "a redirect, not followed (PagerDuty's APIs do not redirect; a proxy or \
                       a wrong base URL answered)"
            .into();
        return out;
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        out.message = "empty body".into();
        return out;
    }
    match crate::json_text::parse(body) {
        Ok(v) => read_json(&v, &mut out),
        Err(_) => {
            let text = String::from_utf8_lossy(body);
            out.message = match html_title(&text) {
                Some(title) => format!("an HTML page, not PagerDuty's JSON: \"{title}\""),
                None => "a body that is not JSON".into(),
            };
            out.body_excerpt = Some(excerpt(body));
        }
    }
    if out.message.is_empty() && out.errors.is_empty() {
        out.body_excerpt = Some(excerpt(body));
    }
    out
}

fn read_json(v: &Value, out: &mut ApiError) {
    // REST: the detail is inside "error"; events: at the top level.
    let (inner, top) = match v.get("error") {
        Some(e) => (e, Some(v)),
        None => (v, None),
    };
    match inner {
        Value::Object(_) => {
            out.message = text(inner.get("message"));
            out.code = inner.get("code").and_then(as_code);
            out.errors = strings(inner.get("errors"));
        }
        Value::Array(_) => out.errors = strings(Some(inner)),
        Value::String(s) => out.message = s.clone(),
        _ => {}
    }
    if let Some(top) = top {
        // A few endpoints put "errors" or "message" beside "error".
        if out.errors.is_empty() {
            out.errors = strings(top.get("errors"));
        }
        if out.message.is_empty() {
            out.message = text(top.get("message"));
        }
    }
    if out.message.is_empty() {
        if let Some(status) = v.get("status").and_then(Value::as_str) {
            out.message = status.to_owned();
        }
    }
}

fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => crate::json_text::write(other),
    }
}

fn as_code(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| match i {
                Value::String(s) => s.clone(),
                other => crate::json_text::write(other),
            })
            .collect(),
        Some(Value::String(s)) if !s.is_empty() => vec![s.clone()],
        Some(Value::Object(map)) => map
            .iter()
            .map(|(k, v)| format!("{k}: {}", text(Some(v))))
            .collect(),
        _ => Vec::new(),
    }
}

fn html_title(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let start = lower.find("<title>")? + "<title>".len();
    let end = start + lower[start..].find("</title>")?;
    let title: String = text
        .get(start..end)?
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (!title.is_empty()).then(|| title.chars().take(120).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn resp(status: u16, body: &str) -> Response {
        Response::new(status, vec![("X-Request-Id".into(), "req-1".into())], body)
    }

    #[test]
    fn documented_rest_shape() {
        let e = error_from_response(
            &resp(
                400,
                r#"{"error":{"message":"Invalid Input Provided","code":2001,"errors":["Title can't be blank."]}}"#,
            ),
            Api::Rest,
        );
        assert_eq!(e.code(), "http_error");
        assert_eq!(
            e.to_string(),
            "HTTP 400: Invalid Input Provided (code 2001): Title can't be blank. [request id req-1]"
        );
        assert_eq!(e.request_id(), Some("req-1"));
    }

    #[test]
    fn errors_as_a_string() {
        let a = api_error(&resp(
            400,
            r#"{"error":{"message":"Bad","code":"2001","errors":"Oops"}}"#,
        ));
        assert_eq!((a.code, a.errors), (Some(2001), vec!["Oops".to_string()]));
    }

    #[test]
    fn error_as_an_array_or_a_string() {
        let a = api_error(&resp(500, r#"{"error":["first","second"]}"#));
        assert_eq!(a.errors, vec!["first", "second"]);
        let a = api_error(&resp(500, r#"{"error":"Internal Server Error"}"#));
        assert_eq!(a.message, "Internal Server Error");
    }

    #[test]
    fn empty_and_html_bodies() {
        let e = error_from_response(&resp(502, ""), Api::Rest);
        assert_eq!(e.to_string(), "HTTP 502: empty body [request id req-1]");
        let html = "<html><head><title>502 Bad\n Gateway</title></head><body>nginx</body></html>";
        let e = error_from_response(&resp(502, html), Api::Rest);
        assert_eq!(
            e.to_string(),
            "HTTP 502: an HTML page, not PagerDuty's JSON: \"502 Bad Gateway\" [request id req-1]"
        );
        assert_eq!(e.api().unwrap().body_excerpt.as_deref(), Some(html));
        let a = api_error(&resp(500, "\u{0}\u{ff}garbage"));
        assert_eq!(a.message, "a body that is not JSON");
    }

    #[test]
    fn status_decides_the_variant() {
        assert_eq!(
            error_from_response(&resp(401, ""), Api::Rest).code(),
            "unauthorized"
        );
        assert!(error_from_response(&resp(401, ""), Api::Rest)
            .to_string()
            .contains("belongs to another region"));
        assert_eq!(
            error_from_response(&resp(403, ""), Api::Rest).code(),
            "forbidden"
        );
        assert_eq!(
            error_from_response(&resp(404, ""), Api::Rest).code(),
            "not_found"
        );
        assert_eq!(
            error_from_response(&resp(403, ""), Api::EventsV1).code(),
            "rate_limited"
        );
        assert_eq!(
            error_from_response(&resp(400, ""), Api::EventsV2).code(),
            "invalid_event"
        );
    }

    #[test]
    fn rate_limit_carries_when_to_retry() {
        let r = Response::new(
            429,
            vec![("ratelimit-reset".into(), "3".into())],
            r#"{"error":{"message":"Rate Limit Exceeded","code":2020}}"#,
        );
        let e = error_from_response(&r, Api::Rest);
        assert_eq!(e.retry_after(), Some(Duration::from_secs(3)));
        assert_eq!(
            e.to_string(),
            "rate limited: HTTP 429: Rate Limit Exceeded (code 2020); retry after 3.000 s"
        );
    }

    #[test]
    fn events_shape() {
        let e = error_from_response(
            &resp(
                400,
                r#"{"status":"invalid event","message":"Event object is invalid","errors":["Length of 'routing_key' is incorrect (should be 32 characters)"]}"#,
            ),
            Api::EventsV2,
        );
        assert_eq!(
            e.to_string(),
            "invalid event: HTTP 400: Event object is invalid: Length of 'routing_key' is incorrect \
             (should be 32 characters) [request id req-1]"
        );
    }

    #[test]
    fn long_bodies_are_cut() {
        let body = "x".repeat(10_000);
        let a = api_error(&resp(500, &body));
        assert!(a.body_excerpt.unwrap().chars().count() <= crate::error::EXCERPT_LEN + 1);
    }
}
