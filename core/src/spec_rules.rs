//! Facts about REST operations taken from PagerDuty's official OpenAPI spec
//! (`reference/REST/openapiv3.json`, snapshot of 2026-08-14). A test reads the spec from
//! `../shared/specs/` and fails when these tables and the spec disagree.

use crate::http::Method;

/// Operations whose `From` header the spec marks as required (13).
pub const FROM_REQUIRED: &[(Method, &str)] = &[
    (Method::Put, "/incidents"),
    (Method::Post, "/incidents"),
    (Method::Put, "/incidents/{id}"),
    (Method::Put, "/incidents/{id}/alerts"),
    (Method::Put, "/incidents/{id}/alerts/{alert_id}"),
    (Method::Put, "/incidents/{id}/merge"),
    (Method::Post, "/incidents/{id}/notes"),
    (Method::Put, "/incidents/{id}/notes/{note_id}"),
    (Method::Post, "/incidents/{id}/snooze"),
    (Method::Post, "/incidents/{id}/status_updates"),
    (Method::Put, "/log_entries/{id}/channel"),
    (Method::Post, "/maintenance_windows"),
    (Method::Post, "/users"),
];

/// Operations paginated by `cursor` / `next_cursor` rather than `offset` / `more` (18).
pub const CURSOR_PAGINATED: &[&str] = &[
    "/audit/records",
    "/automation_actions/actions",
    "/automation_actions/runners",
    "/enrichment/schemas/{schema_id}/records",
    "/escalation_policies/{id}/audit/records",
    "/incident_workflows/actions",
    "/incident_workflows/triggers",
    "/ip_allow_lists/{id}/audit/records",
    "/schedules/{id}/audit/records",
    "/services/{id}/audit/records",
    "/teams/{id}/audit/records",
    "/users/{id}/audit/records",
    "/users/{id}/oauth_delegations",
    "/v3/schedules/{id}/audit/records",
    "/workflows/integrations",
    "/workflows/integrations/connections",
    "/workflows/integrations/{integration_id}/connections",
    "/recommendations/event_orchestrations/rules",
];

/// Operations that need `X-EARLY-ACCESS`, with the value the spec requires.
pub const EARLY_ACCESS: &[(Method, &str, &str)] = &[
    (Method::Get, "/ip_allow_lists", "ip-allow-lists"),
    (Method::Post, "/ip_allow_lists", "ip-allow-lists"),
    (Method::Get, "/ip_allow_lists/{id}", "ip-allow-lists"),
    (Method::Put, "/ip_allow_lists/{id}", "ip-allow-lists"),
    (Method::Delete, "/ip_allow_lists/{id}", "ip-allow-lists"),
    (
        Method::Get,
        "/ip_allow_lists/{id}/audit/records",
        "ip-allow-lists",
    ),
];

/// Whether a concrete path (`/incidents/PABC123/notes`) matches a template
/// (`/incidents/{id}/notes`). Query strings and trailing slashes are ignored.
pub fn path_matches(template: &str, path: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or("");
    let mut t = template.trim_matches('/').split('/');
    let mut p = path.trim_matches('/').split('/');
    loop {
        match (t.next(), p.next()) {
            (None, None) => return true,
            (Some(ts), Some(ps)) => {
                let wildcard = ts.starts_with('{') && ts.ends_with('}');
                if ps.is_empty() || (!wildcard && ts != ps) {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

/// Whether the spec requires `From` for this operation.
pub fn requires_from(method: Method, path: &str) -> bool {
    FROM_REQUIRED
        .iter()
        .any(|(m, t)| *m == method && path_matches(t, path))
}

/// Whether this path is cursor-paginated.
pub fn is_cursor_paginated(path: &str) -> bool {
    CURSOR_PAGINATED.iter().any(|t| path_matches(t, path))
}

/// The `X-EARLY-ACCESS` value the spec requires for this operation, if any.
pub fn early_access(method: Method, path: &str) -> Option<&'static str> {
    EARLY_ACCESS
        .iter()
        .find(|(m, t, _)| *m == method && path_matches(t, path))
        .map(|(_, _, v)| *v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_concrete_paths() {
        assert!(path_matches(
            "/incidents/{id}/notes",
            "/incidents/PABC/notes"
        ));
        assert!(path_matches(
            "/incidents/{id}/notes",
            "incidents/PABC/notes/?x=1"
        ));
        assert!(!path_matches("/incidents/{id}/notes", "/incidents//notes"));
        assert!(!path_matches("/incidents/{id}", "/incidents/PABC/notes"));
        assert!(requires_from(Method::Put, "/incidents/P1"));
        assert!(!requires_from(Method::Get, "/incidents/P1"));
        assert!(is_cursor_paginated("/users/PU1/audit/records"));
        assert!(!is_cursor_paginated("/incidents"));
        assert_eq!(
            early_access(Method::Get, "/ip_allow_lists/X"),
            Some("ip-allow-lists")
        );
    }
}
