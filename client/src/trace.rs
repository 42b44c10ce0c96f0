//! What the `tracing` spans say about a request: the spec's path template (never the query,
//! never a key, never a body), the API, and short kinds for failures. Worked out only when a
//! subscriber listens.

use std::borrow::Cow;

use pagerduty_core::bindings::registry::OPERATIONS;
use pagerduty_core::response_error::Api;
use pagerduty_core::retry::TransportError;
use pagerduty_core::spec_rules::path_matches;

pub(crate) fn api_name(api: Api) -> &'static str {
    match api {
        Api::Rest => "rest",
        Api::EventsV2 => "events_v2",
        Api::EventsV1 => "events_v1",
    }
}

/// The path of `url` as the spec's template (`/incidents/{id}/notes`) when a registry
/// operation matches it, else the path with each ID-like segment (one holding a digit, as
/// PagerDuty IDs do) replaced by `{id}`. Events paths are fixed and kept as they are.
pub(crate) fn template(url: &str, api: Api) -> Cow<'static, str> {
    let path = match url::Url::parse(url) {
        Ok(u) => u.path().to_owned(),
        Err(_) => return Cow::Borrowed("?"),
    };
    if api != Api::Rest {
        return Cow::Owned(path);
    }
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    // A base URL with a path of its own (a proxy's prefix) comes first: try each suffix.
    for skip in 0..segments.len() {
        let rest = format!("/{}", segments[skip..].join("/"));
        if let Some(op) = OPERATIONS.iter().find(|o| path_matches(o.path, &rest)) {
            return Cow::Borrowed(op.path);
        }
    }
    let generic: Vec<&str> = segments
        .iter()
        .map(|s| {
            if s.bytes().any(|b| b.is_ascii_digit()) {
                "{id}"
            } else {
                s
            }
        })
        .collect();
    Cow::Owned(format!("/{}", generic.join("/")))
}

/// `id` unless it contains one of the request's secrets (a hostile server can put the key in
/// `x-request-id`).
pub(crate) fn scrub<'a>(id: &'a str, secrets: &[String]) -> Cow<'a, str> {
    if secrets
        .iter()
        .any(|s| !s.is_empty() && id.contains(s.as_str()))
    {
        Cow::Borrowed(pagerduty_core::error::REDACTED)
    } else {
        Cow::Borrowed(id)
    }
}

pub(crate) fn status_kind(status: u16) -> &'static str {
    match status {
        429 => "rate_limited",
        403 => "rate_limited",
        _ => "server_error",
    }
}

pub(crate) fn transport_kind(e: &TransportError) -> &'static str {
    match e {
        TransportError::Connect(_) => "connect",
        TransportError::Timeout(_) => "timeout",
        TransportError::Other(_) => "connection_lost",
        TransportError::Fatal(_) => "fatal",
        TransportError::TooLarge { .. } => "too_large",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_templates() {
        let t = |u: &str| template(u, Api::Rest).into_owned();
        assert_eq!(
            t("https://api.pagerduty.com/incidents/PABC123/notes?x=1"),
            "/incidents/{id}/notes"
        );
        assert_eq!(t("https://api.pagerduty.com/incidents"), "/incidents");
        assert_eq!(
            t("https://proxy.example/pd/incidents/Q1/notes"),
            "/incidents/{id}/notes"
        );
        assert_eq!(
            t("http://127.0.0.1:9/_mock/things/X1"),
            "/_mock/things/{id}"
        );
        assert_eq!(
            template("https://events.pagerduty.com/v2/enqueue", Api::EventsV2),
            "/v2/enqueue"
        );
    }

    #[test]
    fn a_request_id_holding_a_secret_is_redacted() {
        let secrets = vec!["y_NbAkKc66ryYTWUXYEu".to_owned()];
        assert_eq!(scrub("abc", &secrets), "abc");
        assert_eq!(
            scrub("Token token=y_NbAkKc66ryYTWUXYEu", &secrets),
            "<redacted>"
        );
    }
}
