//! # libpagerduty
//!
//! The C ABI over pagerduty-core:
//!
//! - Clients that do their own HTTP (pagerduty-client's blocking transport: reqwest, rustls
//!   with the system's certificate store, connection reuse, proxies from the environment) and
//!   retry by the core's rules: `pd_rest` (+ `pd_pager`), `pd_events`, and `pd_webhook_verify`.
//! - The durable outbox `pd_outbox`: an event on disk before `pd_outbox_enqueue` returns,
//!   delivered through crashes, restarts and outages (`pd_outbox_spool` for other processes).
//! - The sans-IO functions `pd_build_request` / `pd_parse_response` for callers with their own
//!   HTTP stack, and `pd_oauth` (OAuth for user apps: PKCE, authorize URL, code exchange,
//!   refresh, token answers).
//!
//! Conventions: every function returns a `pd_status` (`PD_STATUS_OK` = 0); results come back
//! through out-parameters; every string this library returns is freed with `pd_string_free`;
//! handles are freed with their `pd_*_free`. After a failure, `pd_last_error_message()` and
//! `pd_last_error_details()` describe it, per thread. NULL, invalid UTF-8 and oversized inputs
//! are errors, never crashes, and no panic crosses the boundary (`PD_STATUS_INTERNAL`).
//!
//! Threads: `pd_rest`, `pd_events` and `pd_outbox` may be used from several threads at once; a
//! `pd_pager` by one thread at a time. Keys never appear in error messages.

#![deny(missing_docs)]

use std::ffi::{c_char, CString};
use std::sync::OnceLock;

use pagerduty_core::ErrorCode;

mod boundary;
pub mod events;
pub mod outbox;
pub mod pager;
pub mod rest;
pub mod sansio;
pub mod webhook;

/// The transport's settings from the client options; libpagerduty's own `User-Agent` unless
/// the caller set one.
pub(crate) fn settings(
    options: &pagerduty_core::bindings::options::ClientOptions,
) -> pagerduty_client::Settings {
    let mut settings = pagerduty_client::Settings::from_options(options);
    if options.user_agent.is_none() {
        settings.user_agent = format!("pagerduty-core-ffi/{}", env!("CARGO_PKG_VERSION"));
    }
    settings
}

/// `pd_status_name`'s strings: the core's names with a NUL, made once.
pub(crate) fn status_name(status: i32) -> *const c_char {
    static NAMES: OnceLock<Vec<CString>> = OnceLock::new();
    let names = NAMES.get_or_init(|| {
        ErrorCode::ALL
            .iter()
            .map(|c| CString::new(c.as_str()).unwrap_or_default())
            .collect()
    });
    usize::try_from(status)
        .ok()
        .and_then(|i| names.get(i))
        .map_or(std::ptr::null(), |n| n.as_ptr())
}

/// Frees a string returned by this library (NULL is ignored).
///
/// # Safety
/// `s` is NULL or a string from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn pd_string_free(s: *mut c_char) {
    if !s.is_null() {
        boundary::quiet((), || drop(CString::from_raw(s)));
    }
}

/// The message of the last failure on this thread, or NULL after a success. Owned by the
/// library: valid until the next `pd_*` call on this thread; do not free it.
#[no_mangle]
pub extern "C" fn pd_last_error_message() -> *const c_char {
    boundary::quiet(std::ptr::null(), boundary::last_message)
}

/// The last failure on this thread as JSON: `{"code", "message", "status" (HTTP, or null when
/// no response was involved), "pagerduty_code", "pagerduty_message", "errors", "request_id",
/// "retry_after_ms", "field" (of invalid input), "body_excerpt"}`. `*out_json` is NULL when the
/// last call succeeded; otherwise free it with `pd_string_free`. Does not change the last error.
///
/// # Safety
/// `out_json` is writable.
#[no_mangle]
pub unsafe extern "C" fn pd_last_error_details(out_json: *mut *mut c_char) -> ErrorCode {
    if out_json.is_null() {
        return ErrorCode::InvalidInput;
    }
    *out_json = std::ptr::null_mut();
    boundary::quiet(ErrorCode::Internal, || {
        if let Some(d) = boundary::last_details() {
            *out_json = CString::new(d)
                .map(CString::into_raw)
                .unwrap_or(std::ptr::null_mut());
        }
        ErrorCode::Ok
    })
}

/// The core's registry of typed operations as JSON (`[{"name", "method", "path", "list",
/// "doc", "args": [{"name", "required", "doc"}]}]`; the same table as docs/operations.md).
/// `*out_json` is freed with `pd_string_free`.
///
/// # Safety
/// `out_json` is writable.
#[no_mangle]
pub unsafe extern "C" fn pd_operations(out_json: *mut *mut c_char) -> ErrorCode {
    boundary::guard(|| {
        boundary::out_ptr(out_json, "out_json")?;
        boundary::give_string(
            out_json,
            pagerduty_core::json_text::write(&pagerduty_core::bindings::registry::to_json()),
        )
    })
}

/// The library's version (a static string).
#[no_mangle]
pub extern "C" fn pd_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}
