//! # pagerduty-core
//!
//! A sans-IO client core for PagerDuty's public APIs: it builds [`http::Request`]s, parses
//! [`http::Response`]s and decides what to do next (retry, wait, fetch the next page), and
//! never does I/O, reads a clock or draws a random number itself. Bindings (the npm package,
//! libpagerduty for C and Python) bring the transport.
//!
//! - [`credentials`]: one type per kind of key, so a key only reaches the API it works with.
//! - [`region`]: US, EU or a custom base URL; https except on loopback.
//! - [`rest`]: REST API v2 requests; [`operations`]: typed helpers over it.
//! - [`pagination`] and [`retry`]: the state machines bindings drive.
//! - [`events`]: Events API v2, change events and Events API v1.
//! - [`webhook`]: webhooks v3 signature verification and payloads; [`webhook_events`]: typed
//!   events, a dispatcher and a replay guard.
//! - [`dedup`]: dedup keys, the incident of a dedup key, safe creates.
//! - [`outbox`]: a durable queue of events (journal format and scheduler; the binding keeps the bytes).
//! - [`oauth`]: OAuth 2.0 tokens for scoped apps (client credentials, PKCE) and the
//!   [`oauth::TokenSource`] a REST client draws them from.
//! - [`ratelimit`]: the REST budget PagerDuty reports on every answer.
//! - [`json_text`]: JSON text to a value and back.
//! - [`error`]: one error type with stable codes.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod bindings;

/// `parts.join(sep)` without a second copy of alloc's generic join (1 KB of the npm package's
/// .wasm) beside the one for `[&str]`.
pub(crate) fn join(parts: &[String], sep: &str) -> String {
    let mut out = String::new();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(p);
    }
    out
}
pub mod credentials;
pub mod dedup;
pub mod error;
pub mod events;
pub mod form;
pub mod http;
pub mod json_text;
pub mod models;
pub mod oauth;
pub mod operations;
pub mod outbox;
pub mod pagination;
pub mod query;
pub mod ratelimit;
mod read_value;
pub mod region;
pub mod response_error;
pub mod rest;
pub mod retry;
mod short_sort;
pub mod spec_rules;
pub mod timestamp;
pub mod url;
pub mod webhook;
pub mod webhook_events;
mod write_value;

pub use error::{ApiError, Error, ErrorCode};

#[cfg(test)]
#[path = "../tests/common/rng.rs"]
mod test_rng;

/// A one-line description that only the generated declarations read (TypeScript, Python, the
/// C header, docs/operations.md: scripts/gen-bindings.sh and gen-header.sh run on the host):
/// empty in wasm32 builds, so that the npm package's module does not carry the text.
pub(crate) const fn doc(text: &'static str) -> &'static str {
    if cfg!(target_arch = "wasm32") {
        ""
    } else {
        text
    }
}
