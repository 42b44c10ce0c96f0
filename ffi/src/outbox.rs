//! `pd_outbox`: the durable outbox in a directory (pagerduty-client's
//! [`pagerduty_client::outbox`]): an event that `pd_outbox_enqueue` accepted is on disk and
//! reaches PagerDuty through crashes, restarts, outages and rate limits. Every rule (order per
//! key, pacing, retries until `max_age`, dead letters, the lock, spooling) is the client's and
//! the core's; these functions only convert.
//!
//! The event of `pd_outbox_enqueue` / `pd_outbox_spool` is one JSON object, the events half of
//! `pd_build_request`'s spec without its key and region:
//!
//! - `{"action": "trigger", "event": {"summary", "source", "severity", ...}}` (the fields of
//!   `pd_events_trigger`, its `dedup_key` among them);
//! - `{"action": "acknowledge" | "resolve", "dedup_key": "..."}`;
//! - `{"action": "change", "event": {"summary", "source", ...}}` (as `pd_events_change`);
//! - `{"action": "v1_trigger" | "v1_acknowledge" | "v1_resolve", "event": {"incident_key",
//!   "description", ...}}` (as `pd_events_v1`).
//!
//! Other keys are refused.

use std::ffi::c_char;
use std::time::Duration;

use pagerduty_client::outbox::{self, Outbox};
use pagerduty_client::{random_bytes, Options};
use pagerduty_core::bindings::options::ClientOptions;
use pagerduty_core::bindings::plain::event_spec;
use pagerduty_core::credentials::IntegrationKey;
use pagerduty_core::events::{EventOp, Events};
use pagerduty_core::{Error, ErrorCode};
use serde_json::json;

use crate::boundary::{
    arg, give, give_string, guard, handle, json_arg, opt_arg, opt_out, out_ptr, quiet,
};

/// A durable outbox in a directory, owned by this process (opaque). Open with
/// `pd_outbox_open`, free with `pd_outbox_free`. One outbox may be used from several threads
/// at once.
#[allow(non_camel_case_types)]
pub struct pd_outbox {
    outbox: Outbox,
}

/// The event of an enqueue or spool, built by the core from its spec (see the module docs).
fn event_op(
    events: &Events,
    routing_key: *const c_char,
    event_json: *const c_char,
) -> Result<EventOp, Error> {
    // SAFETY: the callers' contract (NULL or NUL-terminated), passed on.
    let key = IntegrationKey::new(unsafe { arg(routing_key, "routing_key") }?)?;
    let spec = json_arg(
        Some(unsafe { arg(event_json, "event_json") }?),
        "event_json",
    )?;
    event_spec(events, &key, &spec, random_bytes()?)
}

/// The client's options from the options JSON, with libpagerduty's `User-Agent` unless set.
fn options(options_json: *const c_char) -> Result<ClientOptions, Error> {
    // SAFETY: the caller's contract (NULL or NUL-terminated), passed on.
    let text = unsafe { opt_arg(options_json, "options_json")? };
    let mut o = ClientOptions::from_json(&json_arg(text, "options_json")?)?;
    if o.user_agent.is_none() {
        o.user_agent = Some(crate::settings(&o).user_agent);
    }
    Ok(o)
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, Error> {
    serde_json::to_string(value)
        .map_err(|e| Error::decoding(None, b"", None, format!("cannot encode the result: {e}")))
}

/// Opens (or creates) the outbox in the directory `dir`, owning it: the journal (`DIR/journal`,
/// mode 0600: it holds routing keys) is read and a torn last record cut off, events spooled by
/// other processes are taken in, and nothing is sent until `pd_outbox_flush` or
/// `pd_outbox_start`. `options_json` (may be NULL) is `pd_events_new`'s options (`"region"`,
/// `"timeout_ms"`, `"retry"` — of which only `base_delay_ms` and `max_delay_ms` are used: the
/// outbox retries until `max_age`, not a deadline — `"ca_file"`, ...) plus `"outbox":
/// {"rate_limit": 120, "rate_window_ms": 60000, "max_age_ms": 86400000, "max_in_flight": 16,
/// "fsync": true}` (sends per routing key per window, 0 = no pacing). Fails with
/// `PD_STATUS_INVALID_INPUT` (field `dir`) when another process owns the directory: hand it
/// events with `pd_outbox_spool` instead. Free `*out` with `pd_outbox_free`.
///
/// # Safety
/// Strings are NULL or NUL-terminated; `out` is writable.
#[no_mangle]
pub unsafe extern "C" fn pd_outbox_open(
    dir: *const c_char,
    options_json: *const c_char,
    out: *mut *mut pd_outbox,
) -> ErrorCode {
    guard(|| {
        out_ptr(out, "out")?;
        let dir = arg(dir, "dir")?;
        let options = Options::from_core(options(options_json)?);
        give(
            out,
            pd_outbox {
                outbox: Outbox::open(dir, &options)?,
            },
        );
        Ok(())
    })
}

/// Queues an event for the 32-character `routing_key` and returns once it is on disk (the
/// journal appended and fsynced). `event_json` says which event (see below). `*out_json`
/// (freed with `pd_string_free`) receives `{"id": N, "dedup_key": "..."}`: the event's id in
/// the journal, and its dedup_key (v1: incident_key) fixed now — the event's own, or one
/// generated so that a resend never opens a second alert — or `null` for a change event.
///
/// `event_json`, the events half of `pd_build_request`'s spec:
/// `{"action": "trigger", "event": {"summary", "source", "severity", "dedup_key", ...}}`,
/// `{"action": "acknowledge" | "resolve", "dedup_key": "..."}`,
/// `{"action": "change", "event": {"summary", ...}}`, or
/// `{"action": "v1_trigger" | "v1_acknowledge" | "v1_resolve", "event": {"incident_key", ...}}`
/// (the event objects as `pd_events_trigger`, `pd_events_change`, `pd_events_v1` take them).
///
/// # Safety
/// `outbox` is NULL or a live outbox; strings are NULL or NUL-terminated; `out_json` is
/// writable.
#[no_mangle]
pub unsafe extern "C" fn pd_outbox_enqueue(
    outbox: *const pd_outbox,
    routing_key: *const c_char,
    event_json: *const c_char,
    out_json: *mut *mut c_char,
) -> ErrorCode {
    guard(|| {
        out_ptr(out_json, "out_json")?;
        let o = &handle(outbox, "outbox")?.outbox;
        let queued = o.enqueue(&event_op(o.builder(), routing_key, event_json)?)?;
        give_string(
            out_json,
            json!({"id": queued.id, "dedup_key": queued.dedup_key}).to_string(),
        )
    })
}

/// Sends on the calling thread until nothing is queued or `timeout_ms` passes (a paced or
/// failing queue may not empty: events left stay queued, nothing is lost); with a sender
/// started (`pd_outbox_start`) it waits for that sender instead. `*stats_json` (may be NULL if
/// not wanted; freed with `pd_string_free`) receives the stats at the end, as
/// `pd_outbox_stats`. `PD_STATUS_CANCELLED` once `pd_outbox_close` was called.
///
/// # Safety
/// `outbox` is NULL or a live outbox; `stats_json` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pd_outbox_flush(
    outbox: *const pd_outbox,
    timeout_ms: u64,
    stats_json: *mut *mut c_char,
) -> ErrorCode {
    guard(|| {
        opt_out(stats_json);
        let o = &handle(outbox, "outbox")?.outbox;
        let stats = o.flush(Duration::from_millis(timeout_ms))?;
        if !stats_json.is_null() {
            give_string(stats_json, to_json(&stats)?)?;
        }
        Ok(())
    })
}

/// Starts a background thread that sends as events come (idempotent); it stops at
/// `pd_outbox_close` or `pd_outbox_free`. `pd_outbox_flush` then waits for it.
///
/// # Safety
/// `outbox` is NULL or a live outbox.
#[no_mangle]
pub unsafe extern "C" fn pd_outbox_start(outbox: *const pd_outbox) -> ErrorCode {
    guard(|| {
        // A closed outbox starts nothing (PD_STATUS_CANCELLED): the client's rule.
        handle(outbox, "outbox")?.outbox.start()
    })
}

/// A snapshot as JSON (freed with `pd_string_free`): `{"queued", "in_flight", "delivered",
/// "dead", "oldest_age_ms", "rate_limit", "rate_window_ms", "keys": [{"key" (the routing key's
/// fingerprint: the first 12 hex digits of its SHA-256, never the key), "queued",
/// "in_flight", "sent_in_window", "next_send_in_ms", "last_error"}]}`.
///
/// # Safety
/// `outbox` is NULL or a live outbox; `out_json` is writable.
#[no_mangle]
pub unsafe extern "C" fn pd_outbox_stats(
    outbox: *const pd_outbox,
    out_json: *mut *mut c_char,
) -> ErrorCode {
    guard(|| {
        out_ptr(out_json, "out_json")?;
        let o = &handle(outbox, "outbox")?.outbox;
        give_string(out_json, to_json(&o.stats()?)?)
    })
}

/// The dead letters as a JSON array (freed with `pd_string_free`): `[{"id", "key" (the
/// routing key's fingerprint, never the key), "kind" ("v2", "change" or "v1"), "dedup_key",
/// "enqueued_ms", "dead_ms", "code" (`invalid_event`, `unauthorized`, `not_found`,
/// `http_error`, ... or `expired`), "reason", "status" (HTTP, or null), "errors"
/// (PagerDuty's), "attempts", "event" (the body, without the key)}]`.
///
/// # Safety
/// `outbox` is NULL or a live outbox; `out_json` is writable.
#[no_mangle]
pub unsafe extern "C" fn pd_outbox_dead(
    outbox: *const pd_outbox,
    out_json: *mut *mut c_char,
) -> ErrorCode {
    guard(|| {
        out_ptr(out_json, "out_json")?;
        let o = &handle(outbox, "outbox")?.outbox;
        give_string(out_json, to_json(&o.dead_letters()?)?)
    })
}

/// Puts dead letters back at the end of their keys' queues: those whose ids are in
/// `ids_json` (a JSON array of ids), or all of them when it is NULL. `*count` (may be NULL if
/// not wanted) receives how many were put back.
///
/// # Safety
/// `outbox` is NULL or a live outbox; `ids_json` is NULL or NUL-terminated; `count` is NULL
/// or writable.
#[no_mangle]
pub unsafe extern "C" fn pd_outbox_retry_dead(
    outbox: *const pd_outbox,
    ids_json: *const c_char,
    count: *mut u64,
) -> ErrorCode {
    guard(|| {
        if !count.is_null() {
            *count = 0;
        }
        let o = &handle(outbox, "outbox")?.outbox;
        let ids: Option<Vec<u64>> = match opt_arg(ids_json, "ids_json")? {
            None => None,
            Some(text) => Some(
                serde_json::from_str(text)
                    .map_err(|_| Error::invalid("ids_json", "must be a JSON array of ids"))?,
            ),
        };
        let n = o.retry_dead(ids.as_deref())?;
        if !count.is_null() {
            *count = n;
        }
        Ok(())
    })
}

/// Stops the background sender (sends in flight are dropped: sent again by the next opener,
/// which PagerDuty treats as duplicates) and ends every call in flight on this outbox
/// (`pd_outbox_flush` returns promptly) with `PD_STATUS_CANCELLED`, as every later call: then
/// only `pd_outbox_free` remains. What is queued stays on disk. Safe to call from any thread
/// while others use the outbox (NULL is ignored). Free the outbox only once no other thread is
/// inside a call on it; the directory stays owned until then.
///
/// # Safety
/// `outbox` is NULL or a live outbox.
#[no_mangle]
pub unsafe extern "C" fn pd_outbox_close(outbox: *const pd_outbox) -> ErrorCode {
    guard(|| {
        if let Some(o) = outbox.as_ref() {
            o.outbox.close();
        }
        Ok(())
    })
}

/// Frees an outbox (NULL is ignored): stops its sender and gives up the directory (another
/// `pd_outbox_open` may then own it). What is queued stays on disk for the next opener.
///
/// # Safety
/// `outbox` is NULL or an outbox not yet freed; no other thread is using it.
#[no_mangle]
pub unsafe extern "C" fn pd_outbox_free(outbox: *mut pd_outbox) {
    if !outbox.is_null() {
        quiet((), || drop(Box::from_raw(outbox)));
    }
}

/// Hands an event to the process that owns the outbox in `dir` (or to whoever opens it next)
/// without owning it: for processes other than the owner. The event (`event_json` as for
/// `pd_outbox_enqueue`) is a file in `DIR/incoming/`, durable (fsynced and renamed) when this
/// returns. `options_json` (may be NULL): the options the event is built with (`pd_outbox_open`'s;
/// the owner sends it with its own endpoint). `*out_json` (freed with `pd_string_free`)
/// receives `{"dedup_key": "..."}` (`null` for a change event).
///
/// # Safety
/// Strings are NULL or NUL-terminated; `out_json` is writable.
#[no_mangle]
pub unsafe extern "C" fn pd_outbox_spool(
    dir: *const c_char,
    options_json: *const c_char,
    routing_key: *const c_char,
    event_json: *const c_char,
    out_json: *mut *mut c_char,
) -> ErrorCode {
    guard(|| {
        out_ptr(out_json, "out_json")?;
        let dir = arg(dir, "dir")?;
        let options = options(options_json)?;
        let op = event_op(&options.events(), routing_key, event_json)?;
        let dedup_key = outbox::spool(dir, &op)?;
        give_string(out_json, json!({ "dedup_key": dedup_key }).to_string())
    })
}

/// Reads the outbox in `dir` without owning it (its owner may be running): `*out_json` (freed
/// with `pd_string_free`) receives `{"stats": {...}, "dead_letters": [...], "spooled": N}`
/// (as `pd_outbox_stats` and `pd_outbox_dead`; `spooled`: spool files not yet taken in).
///
/// # Safety
/// `dir` is NULL or NUL-terminated; `out_json` is writable.
#[no_mangle]
pub unsafe extern "C" fn pd_outbox_inspect(
    dir: *const c_char,
    out_json: *mut *mut c_char,
) -> ErrorCode {
    guard(|| {
        out_ptr(out_json, "out_json")?;
        let (stats, dead, spooled) = outbox::inspect(arg(dir, "dir")?)?;
        give_string(
            out_json,
            to_json(&json!({"stats": stats, "dead_letters": dead, "spooled": spooled}))?,
        )
    })
}
