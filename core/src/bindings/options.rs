//! Client options as one JSON object, read the same way by every binding (the C ABI's
//! `options_json`, the JavaScript package's option objects):
//!
//! ```json
//! {"region": "us" | "eu" | "https://base.url", "base_url": "https://...",
//!  "token_kind": "general" | "user" | "oauth", "from": "email", "timeout_ms": 30000,
//!  "user_agent": "...", "truncate_summary": false, "max_response_bytes": 8388608,
//!  "ca_pem": "-----BEGIN CERTIFICATE-----...", "ca_file": "/path/ca.pem",
//!  "retry": {"max_attempts": null, "deadline_ms": 60000, "base_delay_ms": 500, "max_delay_ms": 10000},
//!  "outbox": {"rate_limit": 120, "rate_window_ms": 60000, "max_age_ms": 86400000,
//!             "max_in_flight": 16, "fsync": true},
//!  "oauth": {"client_id": "...", "client_secret": "...", "scopes": ["incidents.read"] | "a b",
//!            "subdomain": "acme", "region": "us" | "eu", "identity_url": "https://..."}}
//! ```
//! Every field is optional; an unknown field or a field of the wrong type is an error naming
//! it, never silently ignored (`{"regoin": "eu"}` must not quietly mean the US). Durations are
//! finite, non-negative numbers of milliseconds (fractions are rounded).
//!
//! With `oauth` the REST client takes no token: it fetches OAuth tokens with these client
//! credentials ([`crate::oauth`]); the identity host follows `region`/`base_url` (PagerDuty's
//! US or EU identity host, or the custom base itself) unless `identity_url` says otherwise.

use std::time::Duration;

use serde_json::Value;

use crate::credentials::{OAuthToken, RestCredential, RestToken};
use crate::error::Error;
use crate::events::{EventOptions, Events};
use crate::oauth::{ClientCredentials, SharedTokenSource, TokenSource, OAUTH_KEYS};
use crate::region::Endpoints;
use crate::rest::Rest;
use crate::retry::RetryPolicy;

/// Options shared by the REST and events clients.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// Where requests go.
    pub endpoints: Endpoints,
    /// Per-attempt timeout.
    pub timeout: Duration,
    /// Retry policy for every request.
    pub retry: RetryPolicy,
    /// The `User-Agent` to send, if any (bindings in browsers must not send one).
    pub user_agent: Option<String>,
    /// `general` (default), `user` or `oauth`.
    pub token_kind: String,
    /// Default `From` for REST writes.
    pub from: Option<String>,
    /// Cut long event summaries instead of refusing them.
    pub truncate_summary: bool,
    /// Largest answer read, in bytes; a larger one is a `decode` error naming this cap, found
    /// while reading (the rest is never read into memory).
    pub max_response_bytes: u64,
    /// Extra certificate authorities (PEM) trusted beside the system's roots.
    pub ca_pem: Option<String>,
    /// A PEM file of extra certificate authorities, trusted beside the system's roots.
    pub ca_file: Option<String>,
    /// The durable outbox's pacing, expiry and syncing (its backoff is `retry`'s delays).
    pub outbox: crate::outbox::Config,
    /// A scoped app's client credentials: REST tokens come from them (`Debug` redacts the
    /// secret).
    pub oauth: Option<ClientCredentials>,
}

/// The default [`ClientOptions::max_response_bytes`]: 8 MiB (a page of 100 incidents is
/// ~250 KB).
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 8 * 1024 * 1024;

/// Every key of the options object, and of its `retry` object.
pub const OPTION_KEYS: [&str; 13] = [
    "region",
    "base_url",
    "token_kind",
    "from",
    "timeout_ms",
    "user_agent",
    "truncate_summary",
    "max_response_bytes",
    "ca_pem",
    "ca_file",
    "retry",
    "outbox",
    "oauth",
];
/// The keys of `retry`.
pub const RETRY_KEYS: [&str; 4] = [
    "max_attempts",
    "deadline_ms",
    "base_delay_ms",
    "max_delay_ms",
];

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            endpoints: Endpoints::default(),
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            user_agent: None,
            token_kind: String::new(),
            from: None,
            truncate_summary: false,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            ca_pem: None,
            ca_file: None,
            outbox: crate::outbox::Config::default(),
            oauth: None,
        }
    }
}

fn string<'a>(v: &'a Value, k: &str) -> Result<Option<&'a str>, Error> {
    match v.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(Error::invalid(k, "must be a string")),
    }
}

/// A count or a size: a finite, non-negative number no larger than `max` (fractions rounded).
/// Also for bindings whose numbers arrive as floats (JavaScript).
pub fn whole_number(field: &str, x: f64, max: u64) -> Result<u64, Error> {
    let r = x.round();
    // 2^64 is the first float past u64::MAX: `max as f64` rounds up to it, so compare below it.
    if x.is_finite() && (0.0..18_446_744_073_709_551_616.0).contains(&r) && r as u64 <= max {
        Ok(r as u64)
    } else {
        Err(Error::invalid(
            field,
            format!("must be a finite number from 0 to {max}"),
        ))
    }
}

fn number(v: &Value, k: &str, field: &str, max: u64) -> Result<Option<u64>, Error> {
    match v.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => match n.as_u64() {
            Some(n) if n <= max => Ok(Some(n)),
            _ => whole_number(field, n.as_f64().unwrap_or(f64::NAN), max).map(Some),
        },
        Some(_) => Err(Error::invalid(
            field,
            format!("must be a finite number from 0 to {max}"),
        )),
    }
}

/// Longest duration accepted: 30 days, in milliseconds.
const MAX_MS: u64 = 30 * 24 * 3600 * 1000;

fn millis(v: &Value, k: &str, field: &str) -> Result<Option<Duration>, Error> {
    Ok(number(v, k, field, MAX_MS)?.map(Duration::from_millis))
}

fn known_keys(v: &Value, keys: &[&str], prefix: &str) -> Result<(), Error> {
    if let Value::Object(map) = v {
        if let Some(k) = map.keys().find(|k| !keys.contains(&k.as_str())) {
            return Err(Error::invalid(
                format!("{prefix}{k}"),
                format!("is not an option (known: {})", keys.join(", ")),
            ));
        }
    }
    Ok(())
}

impl ClientOptions {
    /// Reads the options object (`null` = all defaults); unknown keys are refused.
    pub fn from_json(v: &Value) -> Result<ClientOptions, Error> {
        Self::from_json_with(v, &[])
    }

    /// As [`ClientOptions::from_json`], in an object that may also hold the `extra` keys (a
    /// sans-IO build spec's `method`, `path`, ...).
    pub fn from_json_with(v: &Value, extra: &[&str]) -> Result<ClientOptions, Error> {
        let mut o = ClientOptions::default();
        if v.is_null() {
            return Ok(o);
        }
        if !v.is_object() {
            return Err(Error::invalid("options", "must be a JSON object"));
        }
        let keys: Vec<&str> = OPTION_KEYS.iter().chain(extra).copied().collect();
        known_keys(v, &keys, "options.")?;
        if let Some(base) = string(v, "base_url")?.or(string(v, "region")?) {
            o.endpoints = Endpoints::parse(base)?;
        }
        if let Some(t) = millis(v, "timeout_ms", "timeout_ms")? {
            o.timeout = t;
        }
        if let Some(n) = number(v, "max_response_bytes", "max_response_bytes", u64::MAX)? {
            o.max_response_bytes = n;
        }
        o.ca_pem = string(v, "ca_pem")?.map(str::to_owned);
        o.ca_file = string(v, "ca_file")?.map(str::to_owned);
        match v.get("retry") {
            None | Some(Value::Null) => {}
            Some(r) if r.is_object() => {
                known_keys(r, &RETRY_KEYS, "retry.")?;
                if let Some(n) = number(r, "max_attempts", "retry.max_attempts", u32::MAX.into())? {
                    o.retry.max_attempts = n.max(1) as u32;
                }
                if let Some(d) = millis(r, "deadline_ms", "retry.deadline_ms")? {
                    o.retry.deadline = d;
                }
                if let Some(d) = millis(r, "base_delay_ms", "retry.base_delay_ms")? {
                    o.retry.base_delay = d;
                }
                if let Some(d) = millis(r, "max_delay_ms", "retry.max_delay_ms")? {
                    o.retry.max_delay = d;
                }
            }
            Some(_) => return Err(Error::invalid("retry", "must be an object")),
        }
        o.outbox.retry = o.retry.clone();
        match v.get("outbox") {
            None | Some(Value::Null) => {}
            Some(b) if b.is_object() => {
                known_keys(b, &crate::outbox::CONFIG_KEYS, "outbox.")?;
                if let Some(n) = number(b, "rate_limit", "outbox.rate_limit", u32::MAX.into())? {
                    o.outbox.rate_limit = n as u32;
                }
                if let Some(d) = millis(b, "rate_window_ms", "outbox.rate_window_ms")? {
                    o.outbox.rate_window = d.max(Duration::from_millis(1));
                }
                if let Some(d) = millis(b, "max_age_ms", "outbox.max_age_ms")? {
                    o.outbox.max_age = d;
                }
                let most = u32::MAX.into();
                if let Some(n) = number(b, "max_in_flight", "outbox.max_in_flight", most)? {
                    o.outbox.max_in_flight = (n as u32).max(1);
                }
                match b.get("fsync") {
                    None | Some(Value::Null) => {}
                    Some(Value::Bool(f)) => o.outbox.fsync = *f,
                    Some(_) => return Err(Error::invalid("outbox.fsync", "must be true or false")),
                }
            }
            Some(_) => return Err(Error::invalid("outbox", "must be an object")),
        }
        match v.get("oauth") {
            None | Some(Value::Null) => {}
            Some(a) if a.is_object() => o.oauth = Some(oauth(a, &o.endpoints)?),
            Some(_) => return Err(Error::invalid("oauth", "must be an object")),
        }
        // "" means no User-Agent at all.
        o.user_agent = string(v, "user_agent")?
            .filter(|ua| !ua.is_empty())
            .map(|ua| crate::rest::check_header_value("user_agent", ua))
            .transpose()?;
        o.token_kind = string(v, "token_kind")?.unwrap_or("").to_owned();
        o.from = string(v, "from")?.map(str::to_owned);
        match v.get("truncate_summary") {
            None | Some(Value::Null) => {}
            Some(Value::Bool(b)) => o.truncate_summary = *b,
            Some(_) => return Err(Error::invalid("truncate_summary", "must be true or false")),
        }
        Ok(o)
    }

    /// The credential `token` is, by [`ClientOptions::token_kind`]; with `oauth`, the token
    /// source (and `token` must be empty).
    pub fn credential(&self, token: &str) -> Result<RestCredential, Error> {
        if self.oauth.is_some() {
            if !token.trim().is_empty() {
                return Err(Error::invalid(
                    "token",
                    "give either a token or oauth client credentials, not both",
                ));
            }
            return Ok(RestCredential::TokenSource);
        }
        Ok(match self.token_kind.as_str() {
            "" | "general" | "general_access" => RestToken::general_access(token)?.into(),
            "user" | "user_token" => RestToken::user_token(token)?.into(),
            "oauth" | "bearer" => OAuthToken::new(token)?.into(),
            _ => {
                return Err(Error::invalid(
                    "token_kind",
                    "must be \"general\", \"user\" or \"oauth\"",
                ))
            }
        })
    }

    /// A REST client for `token` with these options (`From`, timeout; the User-Agent is the
    /// transport's business).
    pub fn rest(&self, token: &str) -> Result<Rest, Error> {
        let mut rest =
            Rest::new(self.credential(token)?, self.endpoints.clone()).with_timeout(self.timeout);
        if let Some(from) = &self.from {
            rest = rest.with_default_from(from)?;
        }
        Ok(rest)
    }

    /// A new token source for `oauth`'s client credentials (one per client: its requests
    /// share it), or `None` without them.
    pub fn token_source(&self) -> Option<SharedTokenSource> {
        self.oauth
            .clone()
            .map(|c| std::sync::Arc::new(std::sync::Mutex::new(TokenSource::new(c))))
    }

    /// The events builder with these options.
    pub fn events(&self) -> Events {
        Events::new(self.endpoints.clone()).with_options(EventOptions {
            truncate_summary: self.truncate_summary,
        })
    }
}

/// The `oauth` object: client credentials, checked before any I/O.
fn oauth(a: &Value, endpoints: &Endpoints) -> Result<ClientCredentials, Error> {
    known_keys(a, &OAUTH_KEYS, "oauth.")?;
    let text = |k: &str| {
        string(a, k).map_err(|_| Error::invalid(format!("oauth.{k}"), "must be a string"))
    };
    let required =
        |k: &str| text(k)?.ok_or_else(|| Error::invalid(format!("oauth.{k}"), "is required"));
    let scopes: Vec<&str> = match a.get("scopes") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .ok_or_else(|| Error::invalid("oauth.scopes", "must be strings"))
            })
            .collect::<Result<_, _>>()?,
        Some(_) => {
            return Err(Error::invalid(
                "oauth.scopes",
                "must be an array of strings or a space-separated string",
            ))
        }
    };
    let identity = match text("identity_url")? {
        Some(u) => Endpoints::custom(u)
            .map_err(|e| match e {
                Error::InvalidInput { reason, .. } => Error::invalid("oauth.identity_url", reason),
                e => e,
            })?
            .rest()
            .clone(),
        None => crate::oauth::identity_base(endpoints),
    };
    ClientCredentials::new(
        required("client_id")?,
        required("client_secret")?,
        &scopes,
        text("subdomain")?,
        text("region")?,
        &identity,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_outbox_object_and_refuses_unknown_keys() {
        let o = ClientOptions::from_json(&json!({
            "retry": {"base_delay_ms": 5},
            "outbox": {"rate_limit": 20, "rate_window_ms": 1000, "max_age_ms": 3600000,
                       "max_in_flight": 4, "fsync": false}
        }))
        .unwrap();
        assert_eq!(o.outbox.rate_limit, 20);
        assert_eq!(o.outbox.rate_window, Duration::from_secs(1));
        assert_eq!(o.outbox.max_age, Duration::from_secs(3600));
        assert_eq!(o.outbox.max_in_flight, 4);
        assert!(!o.outbox.fsync);
        assert_eq!(o.outbox.retry.base_delay, Duration::from_millis(5));
        let e = ClientOptions::from_json(&json!({"outbox": {"rate_limt": 1}})).unwrap_err();
        assert!(e.to_string().contains("outbox.rate_limt"), "{e}");
        let e = ClientOptions::from_json(&json!({"outbox": {"fsync": "no"}})).unwrap_err();
        assert!(e.to_string().contains("outbox.fsync"), "{e}");
    }

    #[test]
    fn reads_oauth_client_credentials() {
        let o = ClientOptions::from_json(&json!({"region": "eu", "oauth": {
            "client_id": "cid", "client_secret": "sekrit-value", "scopes": "incidents.read",
            "subdomain": "acme"}}))
        .unwrap();
        let c = o.oauth.as_ref().unwrap();
        assert_eq!(c.scopes(), ["incidents.read", "as_account-eu.acme"]);
        assert_eq!(
            c.token_request().url,
            "https://identity.eu.pagerduty.com/oauth/token"
        );
        assert!(!format!("{o:?}").contains("sekrit"));
        assert!(o.rest("").is_ok());
        assert!(o.rest("y_NbAkKc66ryYTWUXYEu").is_err());
        for (bad, field) in [
            (
                json!({"oauth": {"client_id": "c", "client_secret": "s", "scopes": ["read"]}}),
                "oauth.subdomain",
            ),
            (
                json!({"oauth": {"client_secret": "s", "subdomain": "a"}}),
                "oauth.client_id",
            ),
            (
                json!({"oauth": {"client_id": "c", "client_secret": "s", "subdomain": "a", "scope": "x"}}),
                "oauth.scope",
            ),
            (
                json!({"oauth": {"client_id": "c", "client_secret": "s", "subdomain": "a", "scopes": 3}}),
                "oauth.scopes",
            ),
        ] {
            let e = ClientOptions::from_json(&bad).unwrap_err();
            assert!(e.to_string().contains(field), "{e}");
        }
    }

    #[test]
    fn reads_every_field_and_refuses_wrong_types() {
        let o = ClientOptions::from_json(&json!({
            "region": "eu", "timeout_ms": 1500, "from": "a@b.example", "token_kind": "user",
            "retry": {"max_attempts": 0, "deadline_ms": 10}, "truncate_summary": true
        }))
        .unwrap();
        assert_eq!(o.endpoints.rest().as_str(), "https://api.eu.pagerduty.com/");
        assert_eq!(o.timeout, Duration::from_millis(1500));
        assert_eq!(o.retry.max_attempts, 1);
        assert_eq!(o.retry.deadline, Duration::from_millis(10));
        assert!(o.truncate_summary);
        assert!(o.rest("y_NbAkKc66ryYTWUXYEu").is_ok());
        let base =
            ClientOptions::from_json(&json!({"region": "eu", "base_url": "http://127.0.0.1:9/"}))
                .unwrap();
        assert_eq!(base.endpoints.rest().as_str(), "http://127.0.0.1:9/");
        for bad in [
            json!({"timeout_ms": "5"}),
            json!({"retry": 3}),
            json!({"region": "mars"}),
            json!({"from": 7}),
            json!({"truncate_summary": "yes"}),
            json!([1]),
            json!({"regoin": "eu"}),
            json!({"retry": {"max_attempt": 2}}),
            json!({"timeout_ms": -1}),
            json!({"timeout_ms": "NaN"}),
            json!({"timeout_ms": 1e300}),
            json!({"max_response_bytes": -5}),
            json!({"user_agent": "a\r\nx-evil: 1"}),
        ] {
            assert_eq!(
                ClientOptions::from_json(&bad).unwrap_err().code(),
                "invalid_input",
                "{bad}"
            );
        }
        let oauth = ClientOptions::from_json(&json!({"token_kind": "teapot"})).unwrap();
        assert!(oauth.credential("y_NbAkKc66ryYTWUXYEu").is_err());
    }
}
