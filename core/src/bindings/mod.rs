//! What only the bindings need, in one room: the registry of typed operations by name
//! ([`registry`]), client options as one JSON object ([`options`]), requests and responses as
//! plain JSON for callers with their own HTTP ([`plain`]), OAuth for user apps (PKCE) as plain
//! JSON ([`oauth`]), and the one projection of an [`Error`] into the details every binding
//! shows ([`details`]).
//!
//! The typed Rust API is the rest of the crate; the language skins (libpagerduty, the npm
//! package, the Python package) are thin layers over this module, and their generated parts
//! (methods, declarations, error classes, `docs/operations.md`) come from it.

use serde_json::Value;

use crate::error::Error;

pub mod oauth;
pub mod options;
pub mod plain;
pub mod registry;

/// `pagerduty_code` → `pagerdutyCode`: how JavaScript names what the core names in snake_case
/// (operation names, options, error details).
pub fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut up = false;
    for c in snake.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.push(c.to_ascii_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The details of an error, as every binding shows them: `code`, `message`, `status`,
/// `pagerduty_code`, `pagerduty_message`, `errors`, `request_id`, `retry_after_ms`, `field`
/// (for invalid input), `body_excerpt`. Absent values are `null`. Never a key: every text here
/// came through the core's scrubbing.
pub fn details(e: &Error) -> Value {
    let api = e.api();
    // Built by hand: what `json!` built, without `to_value` of each typed part.
    crate::write_value::object([
        ("code", e.code().into()),
        ("message", e.to_string().into()),
        ("status", e.status().into()),
        ("pagerduty_code", api.and_then(|a| a.code).into()),
        ("pagerduty_message", api.map(|a| a.message.as_str()).into()),
        (
            "errors",
            crate::write_value::strings(api.map_or(&[], |a| a.errors.as_slice())),
        ),
        ("request_id", e.request_id().into()),
        (
            "retry_after_ms",
            e.retry_after().map(|d| d.as_millis() as u64).into(),
        ),
        (
            "field",
            match e {
                Error::InvalidInput { field, .. } => Some(field.as_str()),
                _ => None,
            }
            .into(),
        ),
        (
            "body_excerpt",
            match e {
                Error::Decode { excerpt, .. } => Some(excerpt.as_str()),
                _ => api.and_then(|a| a.body_excerpt.as_deref()),
            }
            .into(),
        ),
    ])
}
