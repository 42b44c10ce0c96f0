//! The identity endpoint: `POST /oauth/token` (form-encoded `client_credentials`) on the
//! simulator's own host, as PagerDuty's `identity.pagerduty.com` answers it: one known client
//! ([`keys::OAUTH_CLIENT_ID`] / [`keys::OAUTH_CLIENT_SECRET`], account subdomain
//! [`keys::OAUTH_SUBDOMAIN`]); the scopes asked for must include
//! `as_account-{us|eu}.pdmock`; **unknown scopes are dropped silently** (the answer's `scope`
//! lists only those granted); tokens live `expires_in` seconds (86400, or what `PUT
//! /_mock/oauth {"expires_in": N}` set). REST takes them as `Bearer`: an expired one answers
//! 401, one without the scope a request needs 403 (`{resource}.read` for GET, `{resource}.write`
//! otherwise, `read`/`write` for every resource).

use std::time::{Duration, Instant};

use serde_json::json;

use crate::reply::Reply;
use crate::state::{keys, State};

/// A token the simulator issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub scopes: Vec<String>,
    pub expires: Instant,
}

/// Resources whose `.read` / `.write` scopes the simulator knows.
const RESOURCES: [&str; 16] = [
    "incidents",
    "services",
    "users",
    "teams",
    "schedules",
    "escalation_policies",
    "oncalls",
    "priorities",
    "tags",
    "abilities",
    "audit_records",
    "log_entries",
    "maintenance_windows",
    "notifications",
    "change_events",
    "vendors",
];

fn known(scope: &str) -> bool {
    if matches!(scope, "read" | "write") {
        return true;
    }
    if let Some(sub) = scope
        .strip_prefix("as_account-us.")
        .or_else(|| scope.strip_prefix("as_account-eu."))
    {
        return sub == keys::OAUTH_SUBDOMAIN;
    }
    match scope.rsplit_once('.') {
        Some((res, "read" | "write")) => RESOURCES.contains(&res),
        _ => false,
    }
}

fn oauth_error(status: u16, error: &str, description: &str) -> Reply {
    Reply::json(
        status,
        &json!({"error": error, "error_description": description}),
    )
}

/// `POST /oauth/token`.
pub fn token(state: &mut State, method: &str, body: &[u8]) -> Reply {
    if method != "POST" {
        return oauth_error(405, "invalid_request", "POST a form to /oauth/token");
    }
    state.counters.token_requests += 1;
    let form: Vec<(String, String)> = url::form_urlencoded::parse(body).into_owned().collect();
    let field = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    if field("grant_type") != Some("client_credentials") {
        return oauth_error(
            400,
            "unsupported_grant_type",
            "The simulator issues client_credentials tokens only",
        );
    }
    if field("client_id") != Some(keys::OAUTH_CLIENT_ID)
        || field("client_secret") != Some(keys::OAUTH_CLIENT_SECRET)
    {
        return oauth_error(401, "invalid_client", "Client authentication failed");
    }
    let asked: Vec<&str> = field("scope").unwrap_or("").split_whitespace().collect();
    if !asked
        .iter()
        .any(|s| s.starts_with("as_account-") && known(s))
    {
        return oauth_error(
            400,
            "invalid_scope",
            "Invalid scope: a scoped app's client_credentials request must include as_account-{us|eu}.{subdomain}",
        );
    }
    let scopes: Vec<String> = asked
        .iter()
        .filter(|s| known(s))
        .map(|s| s.to_string())
        .collect();
    state.oauth_issued += 1;
    let token = format!(
        "pdmock_oauth_{:06}_{:016x}",
        state.oauth_issued,
        state.rng.next_u64()
    );
    let expires_in = state.oauth_expires_in;
    state.oauth_tokens.insert(
        token.clone(),
        Grant {
            scopes: scopes.clone(),
            expires: Instant::now() + Duration::from_secs_f64(expires_in),
        },
    );
    Reply::json(
        200,
        &json!({"access_token": token, "token_type": "bearer", "expires_in": expires_in,
                "scope": scopes.join(" ")}),
    )
}

/// Whether `grant` may make this request, else the 403.
pub fn authorize(grant: &Grant, method: &str, segs: &[&str]) -> Result<(), Reply> {
    let resource = segs.first().copied().unwrap_or("");
    let (access, broad) = if method == "GET" {
        ("read", "read")
    } else {
        ("write", "write")
    };
    let need = format!("{resource}.{access}");
    let has = |s: &str| grant.scopes.iter().any(|g| g == s);
    let write_covers_read = method == "GET" && has(&format!("{resource}.write"));
    if has(broad) || has(&need) || write_covers_read {
        Ok(())
    } else {
        Err(Reply::rest_error(
            403,
            2010,
            "Access Denied",
            &[&format!("The access token lacks the scope {need}")],
        ))
    }
}
