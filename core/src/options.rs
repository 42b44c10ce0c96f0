//! Client options as one JSON object, read the same way by every binding (the C ABI's
//! `options_json`, the JavaScript package's option objects):
//!
//! ```json
//! {"region": "us" | "eu" | "https://base.url", "base_url": "https://...",
//!  "token_kind": "general" | "user" | "oauth", "from": "email", "timeout_ms": 30000,
//!  "user_agent": "...", "truncate_summary": false,
//!  "retry": {"max_attempts": 6, "deadline_ms": 60000, "base_delay_ms": 500, "max_delay_ms": 30000}}
//! ```
//! Every field is optional; a field of the wrong type is an error, never silently ignored.

use std::time::Duration;

use serde_json::Value;

use crate::credentials::{OAuthToken, RestCredential, RestToken};
use crate::error::Error;
use crate::events::{EventOptions, Events};
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
}

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

fn millis(v: &Value, k: &str) -> Result<Option<Duration>, Error> {
    match v.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(x) => x
            .as_u64()
            .map(|n| Some(Duration::from_millis(n)))
            .ok_or_else(|| Error::invalid(k, "must be a whole number of milliseconds")),
    }
}

impl ClientOptions {
    /// Reads the options object (`null` = all defaults).
    pub fn from_json(v: &Value) -> Result<ClientOptions, Error> {
        let mut o = ClientOptions::default();
        if v.is_null() {
            return Ok(o);
        }
        if !v.is_object() {
            return Err(Error::invalid("options", "must be a JSON object"));
        }
        if let Some(base) = string(v, "base_url")?.or(string(v, "region")?) {
            o.endpoints = Endpoints::parse(base)?;
        }
        if let Some(t) = millis(v, "timeout_ms")? {
            o.timeout = t;
        }
        match v.get("retry") {
            None | Some(Value::Null) => {}
            Some(r) if r.is_object() => {
                if let Some(n) = r.get("max_attempts") {
                    let n = n
                        .as_u64()
                        .ok_or_else(|| Error::invalid("retry.max_attempts", "must be a number"))?;
                    o.retry.max_attempts = n.clamp(1, 100) as u32;
                }
                if let Some(d) = millis(r, "deadline_ms")? {
                    o.retry.deadline = d;
                }
                if let Some(d) = millis(r, "base_delay_ms")? {
                    o.retry.base_delay = d;
                }
                if let Some(d) = millis(r, "max_delay_ms")? {
                    o.retry.max_delay = d;
                }
            }
            Some(_) => return Err(Error::invalid("retry", "must be an object")),
        }
        o.user_agent = string(v, "user_agent")?.map(str::to_owned);
        o.token_kind = string(v, "token_kind")?.unwrap_or("").to_owned();
        o.from = string(v, "from")?.map(str::to_owned);
        match v.get("truncate_summary") {
            None | Some(Value::Null) => {}
            Some(Value::Bool(b)) => o.truncate_summary = *b,
            Some(_) => return Err(Error::invalid("truncate_summary", "must be true or false")),
        }
        Ok(o)
    }

    /// The credential `token` is, by [`ClientOptions::token_kind`].
    pub fn credential(&self, token: &str) -> Result<RestCredential, Error> {
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

    /// The events builder with these options.
    pub fn events(&self) -> Events {
        Events::new(self.endpoints.clone()).with_options(EventOptions {
            truncate_summary: self.truncate_summary,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
