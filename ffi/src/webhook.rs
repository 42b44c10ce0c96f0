//! Webhook v3 signature verification.

use std::ffi::c_char;

use pagerduty_core::webhook::WebhookVerifier;
use pagerduty_core::{Error, ErrorCode};

use crate::boundary::{arg, bytes_arg, give_string, guard, opt_arg, opt_out};

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
