//! The sans-IO layer for callers with their own HTTP stack (libcurl, an event loop): build a
//! request as JSON, send it yourself, parse the response. The spec objects are the core's
//! ([`pagerduty_core::bindings::plain`]).

use std::ffi::c_char;

use pagerduty_core::bindings::oauth::oauth_json;
use pagerduty_core::bindings::plain::{
    api_from_name, build_request, headers_from_json, parse_response,
};
use pagerduty_core::http::Response;
use pagerduty_core::ErrorCode;

use crate::boundary::{arg, bytes_arg, give_string, guard, json_arg, opt_arg, out_ptr};
use pagerduty_client::random_bytes;
use zeroize::Zeroizing;

/// Builds a request without sending it. `spec_json` is either
/// `{"api": "rest", "token", "token_kind", "region", "from", "method", "path", "query", "body"}`
/// or `{"api": "events", "routing_key", "region", "action": "trigger"|"acknowledge"|"resolve"|
/// "change"|"v1_trigger"|"v1_acknowledge"|"v1_resolve", "event": {...}, "dedup_key"}`.
/// `*out_request_json` receives `{"api", "method", "url", "headers": [[name, value], ...],
/// "body", "dedup_key"}`: send exactly that (it holds the key: never log it). For events,
/// resend the same body on every retry. Free with `pd_string_free`.
///
/// # Safety
/// `spec_json` is NULL or NUL-terminated; `out_request_json` is writable.
#[no_mangle]
pub unsafe extern "C" fn pd_build_request(
    spec_json: *const c_char,
    out_request_json: *mut *mut c_char,
) -> ErrorCode {
    guard(|| {
        out_ptr(out_request_json, "out_request_json")?;
        let spec = json_arg(Some(arg(spec_json, "spec_json")?), "spec_json")?;
        give_string(
            out_request_json,
            build_request(&spec, random_bytes()?)?.to_string(),
        )
    })
}

/// Reads a response to a request built by `pd_build_request`. `api` is the request's `"api"`
/// (`"rest"`, `"events_v2"` or `"events_v1"`); `headers_json` an object or `[[name, value]]`
/// (may be NULL). A 2xx gives `*out_json`: the REST body (`null` when empty), or for events
/// `{"status", "message", "dedup_key"}`. Anything else returns its status (`PD_STATUS_RATE_LIMITED`,
/// ...) with the details in `pd_last_error_details`.
///
/// # Safety
/// Strings are NULL or NUL-terminated; `body` points to `body_len` bytes; `out_json` is writable.
#[no_mangle]
pub unsafe extern "C" fn pd_parse_response(
    api: *const c_char,
    status: u16,
    headers_json: *const c_char,
    body: *const u8,
    body_len: usize,
    out_json: *mut *mut c_char,
) -> ErrorCode {
    guard(|| {
        out_ptr(out_json, "out_json")?;
        let api = api_from_name(arg(api, "api")?)?;
        let headers = headers_from_json(json_arg(
            opt_arg(headers_json, "headers_json")?,
            "headers_json",
        )?)?;
        let response = Response::new(status, headers, bytes_arg(body, body_len, "body")?.to_vec());
        let out = parse_response(api, &response)?;
        give_string(out_json, out)
    })
}

/// OAuth for user apps (authorization code + PKCE), sans-IO. `spec_json` is an object with an
/// `"action"`: `"pkce"` (no other key: the verifier comes from the OS random source) gives
/// `{"verifier", "challenge"}`; `"challenge"` (`verifier`) gives `{"challenge"}`;
/// `"authorize_url"` (`region` or `identity_url`, `client_id`, `redirect_uri`, `scopes`,
/// `state`, `challenge`) gives `{"url"}`; `"code_exchange"` (`region`/`identity_url`,
/// `client_id`, `client_secret` optional, `code`, `redirect_uri`, `verifier`) and `"refresh"`
/// (`region`/`identity_url`, `client_id`, `client_secret` optional, `refresh_token`) give the
/// token request `{"method", "url", "headers": [[name, value], ...], "body"}` (it holds
/// secrets: never log it); `"parse_token"` (`status`, `headers`, `body` as text, `scopes` asked
/// for, `request`: the token request sent, whose secrets are then scrubbed from a refusal)
/// gives `{"access_token", "token_type", "expires_in", "scope", "refresh_token"}` or the
/// typed error (`PD_STATUS_SCOPE_NOT_GRANTED` naming the scopes dropped, ...). Unknown keys are
/// `PD_STATUS_INVALID_INPUT` naming the key; no error quotes a secret. Free `*out_json` with
/// `pd_string_free`.
///
/// # Safety
/// `spec_json` is NULL or NUL-terminated; `out_json` is writable.
#[no_mangle]
pub unsafe extern "C" fn pd_oauth(
    spec_json: *const c_char,
    out_json: *mut *mut c_char,
) -> ErrorCode {
    guard(|| {
        out_ptr(out_json, "out_json")?;
        let spec = json_arg(Some(arg(spec_json, "spec_json")?), "spec_json")?;
        let random = Zeroizing::new([random_bytes()?, random_bytes()?].concat());
        give_string(
            out_json,
            pagerduty_core::json_text::write(&oauth_json(&spec, &random)?),
        )
    })
}
