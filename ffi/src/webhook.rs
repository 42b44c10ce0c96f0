//! Webhook v3 signature verification.

use std::ffi::c_char;
use std::sync::Mutex;

use pagerduty_core::dedup::dedup_key_json;
use pagerduty_core::webhook::WebhookVerifier;
use pagerduty_core::webhook_events::{ReplayGuard, WebhookEventType};
use pagerduty_core::{Error, ErrorCode};

use crate::boundary::{
    arg, bytes_arg, give, give_string, guard, handle, json_arg, opt_arg, opt_out, out_ptr, quiet,
};

/// Verifies `X-PagerDuty-Signature` over the raw body against `n_secrets` secrets (several
/// while rotating) and parses the payload. `max_body` caps the body size (0 = 1 MiB). On
/// success `*out_event_json` (may be NULL if not wanted) receives the event
/// (`{"id", "event_type", "resource_type", "occurred_at", "agent", "client", "data", ...}`),
/// freed with `pd_string_free`. A mismatch, or a NULL or empty header, returns
/// `PD_STATUS_INVALID_SIGNATURE`.
///
/// # Safety
/// `secrets` points to `n_secrets` NUL-terminated strings; `body` to `body_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn pd_webhook_verify(
    secrets: *const *const c_char,
    n_secrets: usize,
    signature_header: *const c_char,
    body: *const u8,
    body_len: usize,
    max_body: usize,
    out_event_json: *mut *mut c_char,
) -> ErrorCode {
    guard(|| {
        opt_out(out_event_json);
        if secrets.is_null() || n_secrets == 0 {
            return Err(Error::invalid(
                "secrets",
                "needs at least one webhook secret",
            ));
        }
        if n_secrets > 64 {
            return Err(Error::invalid("n_secrets", "is more than 64"));
        }
        let mut list = Vec::with_capacity(n_secrets);
        for i in 0..n_secrets {
            list.push(arg(*secrets.add(i), "secrets[i]")?);
        }
        // No header is an unsigned request: a signature that does not verify (as in JS).
        let header = opt_arg(signature_header, "signature_header")?.unwrap_or("");
        let body = bytes_arg(body, body_len, "body")?;
        let mut verifier = WebhookVerifier::new(&list)?;
        if max_body > 0 {
            verifier = verifier.with_max_body(max_body);
        }
        let event = verifier.verify_and_parse(header, body)?;
        if !out_event_json.is_null() {
            let text = serde_json::to_string(&event)
                .map_err(|e| Error::invalid("event", e.to_string()))?;
            give_string(out_event_json, text)?;
        }
        Ok(())
    })
}

/// The code of a webhook event type (`"incident.acknowledged"` → `PD_WEBHOOK_EVENT_TYPE_INCIDENT_ACKNOWLEDGED`),
/// for a `switch` over `event_type` of the event JSON; `PD_WEBHOOK_EVENT_TYPE_OTHER` (0) for a
/// type this library does not know (keep it: its `data` is the JSON as sent), and -1 for NULL
/// or invalid UTF-8. C has no dispatcher: switch on this code. The list is the core's, in
/// docs/operations.md.
///
/// # Safety
/// `name` is NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn pd_webhook_event_code(name: *const c_char) -> i32 {
    quiet(-1, || match arg(name, "name") {
        Ok(n) => WebhookEventType::from_name(n) as i32,
        Err(_) => -1,
    })
}

/// Names a webhook event type code (`"incident.acknowledged"`; `"other"` for 0): a static
/// string, never freed; NULL for a number that is no code.
#[no_mangle]
pub extern "C" fn pd_webhook_event_type_name(code: i32) -> *const c_char {
    static NAMES: std::sync::OnceLock<Vec<std::ffi::CString>> = std::sync::OnceLock::new();
    quiet(std::ptr::null(), || {
        let names = NAMES.get_or_init(|| {
            std::iter::once(WebhookEventType::Other)
                .chain(WebhookEventType::ALL)
                .map(|t| std::ffi::CString::new(t.as_str()).unwrap_or_default())
                .collect()
        });
        usize::try_from(code)
            .ok()
            .and_then(|i| names.get(i))
            .map_or(std::ptr::null(), |n| n.as_ptr())
    })
}

/// A replay guard (opaque): the `X-Webhook-Id`s of the webhooks handled, a bounded LRU.
/// Create with `pd_replay_guard_new`, free with `pd_replay_guard_free`. Safe to share
/// between threads.
#[allow(non_camel_case_types)]
pub struct pd_replay_guard {
    inner: Mutex<ReplayGuard>,
}

/// Creates a replay guard remembering up to `capacity` webhook IDs (1 to 10,000,000); free it
/// with `pd_replay_guard_free`. PagerDuty repeats `X-Webhook-Id` on every delivery attempt of a
/// webhook: ask `pd_replay_guard_seen` first, call `pd_replay_guard_remember` once handled.
///
/// # Safety
/// `out` is writable.
#[no_mangle]
pub unsafe extern "C" fn pd_replay_guard_new(
    capacity: usize,
    out: *mut *mut pd_replay_guard,
) -> ErrorCode {
    guard(|| {
        out_ptr(out, "out")?;
        let g = ReplayGuard::new(capacity)?;
        give(
            out,
            pd_replay_guard {
                inner: Mutex::new(g),
            },
        );
        Ok(())
    })
}

/// `*out_seen` = whether the webhook `webhook_id` was remembered before (an empty ID never is).
///
/// # Safety
/// `g` is a live guard; `webhook_id` NUL-terminated; `out_seen` writable.
#[no_mangle]
pub unsafe extern "C" fn pd_replay_guard_seen(
    g: *const pd_replay_guard,
    webhook_id: *const c_char,
    out_seen: *mut bool,
) -> ErrorCode {
    guard(|| {
        if out_seen.is_null() {
            return Err(Error::invalid("out_seen", "is NULL"));
        }
        let g = handle(g, "guard")?;
        let id = arg(webhook_id, "webhook_id")?;
        *out_seen = g.inner.lock().unwrap_or_else(|e| e.into_inner()).seen(id);
        Ok(())
    })
}

/// Remembers the webhook `webhook_id` as handled (or, with `forget` true, forgets it).
///
/// # Safety
/// `g` is a live guard; `webhook_id` NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn pd_replay_guard_remember(
    g: *const pd_replay_guard,
    webhook_id: *const c_char,
    forget: bool,
) -> ErrorCode {
    guard(|| {
        let g = handle(g, "guard")?;
        let id = arg(webhook_id, "webhook_id")?;
        let mut inner = g.inner.lock().unwrap_or_else(|e| e.into_inner());
        if forget {
            inner.forget(id);
        } else {
            inner.remember(id);
        }
        Ok(())
    })
}

/// Frees a guard made by `pd_replay_guard_new` (NULL is ignored).
///
/// # Safety
/// `g` is NULL or a guard not yet freed, used by no other thread.
#[no_mangle]
pub unsafe extern "C" fn pd_replay_guard_free(g: *mut pd_replay_guard) {
    if !g.is_null() {
        quiet((), || drop(Box::from_raw(g)));
    }
}

/// A dedup key from named fields, `fields_json` an object of name: string, number or boolean
/// (`{"alertname": "DiskFull", "host": "db-1"}`): `dk1-` and 64 hex digits, the same for the
/// same fields in every runtime (format: docs of pagerduty-core's `dedup` module). Free
/// `*out_key` with `pd_string_free`.
///
/// # Safety
/// `fields_json` is NUL-terminated; `out_key` writable.
#[no_mangle]
pub unsafe extern "C" fn pd_dedup_key(
    fields_json: *const c_char,
    out_key: *mut *mut c_char,
) -> ErrorCode {
    guard(|| {
        out_ptr(out_key, "out_key")?;
        let fields = json_arg(Some(arg(fields_json, "fields_json")?), "fields_json")?;
        give_string(out_key, dedup_key_json(&fields)?)
    })
}
