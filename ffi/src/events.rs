//! `pd_events`: sends events with one integration key. Safe to share between threads.

use std::ffi::c_char;

use pagerduty_core::credentials::IntegrationKey;
use pagerduty_core::events::{
    change_from_json, trigger_from_json, v1_from_json, Action, EventOp, Events,
};
use pagerduty_core::{Error, ErrorCode};

use pagerduty_core::bindings::options::ClientOptions;

use crate::boundary::{
    arg, give, give_string, guard, handle, json_arg, opt_arg, opt_out, out_ptr, quiet,
};
use pagerduty_client::blocking::Transport;
use pagerduty_client::random_bytes;

/// An events client for one integration key (opaque). Create with `pd_events_new`, free with
/// `pd_events_free`. One client may be used from several threads at once.
#[allow(non_camel_case_types)]
pub struct pd_events {
    events: Events,
    key: IntegrationKey,
    transport: Transport,
}

/// Creates an events client for a 32-character integration (routing) key.
/// `options_json` (may be NULL): `{"region": "us"|"eu"|"https://base.url", "timeout_ms": N
/// (each attempt's timeout, 30000 by default), "retry": {...}, "truncate_summary": false,
/// "max_response_bytes": N, "ca_file": "path", "ca_pem": "PEM"}`; unknown keys are refused.
///
/// # Safety
/// Strings are NULL or NUL-terminated; `out` is writable.
#[no_mangle]
pub unsafe extern "C" fn pd_events_new(
    routing_key: *const c_char,
    options_json: *const c_char,
    out: *mut *mut pd_events,
) -> ErrorCode {
    guard(|| {
        out_ptr(out, "out")?;
        let key = IntegrationKey::new(arg(routing_key, "routing_key")?)?;
        let options = json_arg(opt_arg(options_json, "options_json")?, "options_json")?;
        let options = ClientOptions::from_json(&options)?;
        let events = options.events();
        let transport = Transport::new(&crate::settings(&options))?;
        give(
            out,
            pd_events {
                events,
                key,
                transport,
            },
        );
        Ok(())
    })
}

/// Frees an events client (NULL is ignored).
///
/// # Safety
/// `client` is NULL or a client not yet freed; no other thread is using it.
#[no_mangle]
pub unsafe extern "C" fn pd_events_free(client: *mut pd_events) {
    if !client.is_null() {
        quiet((), || drop(Box::from_raw(client)));
    }
}

fn send(c: &pd_events, op: &EventOp) -> Result<String, Error> {
    let response = c.transport.send(op.request.clone(), op.api())?;
    let accepted = op.parse(&response)?;
    Ok(accepted.dedup_key.unwrap_or_default())
}

/// Sends `op` and hands the key in force to `out` (when not NULL): the one PagerDuty answered
/// with, or on failure the one that was sent, so that the caller can resend without opening a
/// second alert.
///
/// # Safety
/// `out` is NULL or writable (and was cleared).
unsafe fn send_with_key(c: &pd_events, op: EventOp, out: *mut *mut c_char) -> Result<(), Error> {
    let result = send(c, &op);
    let key = match &result {
        Ok(k) => Some(k.clone()),
        Err(_) => op.dedup_key().map(str::to_owned),
    };
    if let (false, Some(k)) = (out.is_null(), key) {
        give_string(out, k)?;
    }
    result.map(|_| ())
}

/// Ends every call in flight on this client (retry waits included) with
/// `PD_STATUS_CANCELLED`, promptly, and makes every later call fail the same way: then only
/// `pd_events_free` remains. Safe to call from any thread while others use the client (NULL is
/// ignored). Free the client only once no other thread is inside a call on it.
///
/// # Safety
/// `client` is NULL or a live client.
#[no_mangle]
pub unsafe extern "C" fn pd_events_cancel(client: *const pd_events) -> ErrorCode {
    guard(|| {
        if let Some(c) = client.as_ref() {
            c.transport.cancel();
        }
        Ok(())
    })
}

/// Triggers an alert. `trigger_json`: `{"summary", "source", "severity", "timestamp",
/// "component", "group", "class", "custom_details", "images", "links", "dedup_key", "client",
/// "client_url"}`. Without a dedup_key one is generated before the first attempt, so retries
/// can never open a second alert. `*out_dedup_key` (may be NULL if not wanted) receives the key
/// in force, freed with `pd_string_free` — **on failure too** (PagerDuty may have received the
/// event although no answer came back: resend with this key and no second alert opens); it
/// stays NULL only when the event was refused before a key existed.
///
/// # Safety
/// Strings are NULL or NUL-terminated; `out_dedup_key` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pd_events_trigger(
    client: *const pd_events,
    trigger_json: *const c_char,
    out_dedup_key: *mut *mut c_char,
) -> ErrorCode {
    guard(|| {
        opt_out(out_dedup_key);
        let c = handle(client, "client")?;
        let trigger = trigger_from_json(&json_arg(
            Some(arg(trigger_json, "trigger_json")?),
            "trigger_json",
        )?)?;
        let op = c.events.trigger(&c.key, &trigger, random_bytes()?)?;
        send_with_key(c, op, out_dedup_key)
    })
}

unsafe fn follow_up(
    client: *const pd_events,
    action: Action,
    dedup_key: *const c_char,
) -> ErrorCode {
    guard(|| {
        let c = handle(client, "client")?;
        let op = c
            .events
            .follow_up(&c.key, action, arg(dedup_key, "dedup_key")?)?;
        send(c, &op).map(|_| ())
    })
}

/// Acknowledges the alert with `dedup_key`.
///
/// # Safety
/// `dedup_key` is NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn pd_events_acknowledge(
    client: *const pd_events,
    dedup_key: *const c_char,
) -> ErrorCode {
    follow_up(client, Action::Acknowledge, dedup_key)
}

/// Resolves the alert with `dedup_key`.
///
/// # Safety
/// `dedup_key` is NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn pd_events_resolve(
    client: *const pd_events,
    dedup_key: *const c_char,
) -> ErrorCode {
    follow_up(client, Action::Resolve, dedup_key)
}

/// Sends a change event: `{"summary", "source", "timestamp", "custom_details", "links"}`.
///
/// # Safety
/// `change_json` is NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn pd_events_change(
    client: *const pd_events,
    change_json: *const c_char,
) -> ErrorCode {
    guard(|| {
        let c = handle(client, "client")?;
        let change = change_from_json(&json_arg(
            Some(arg(change_json, "change_json")?),
            "change_json",
        )?)?;
        let op = c.events.change(&c.key, &change)?;
        send(c, &op).map(|_| ())
    })
}

/// Sends a legacy Events API v1 event. `action`: "trigger", "acknowledge" or "resolve";
/// `event_json`: `{"incident_key", "description", "details", "client", "client_url", "links",
/// "images"}`. `*out_incident_key` (may be NULL) receives the incident key in force, on failure
/// too (as `pd_events_trigger`).
///
/// # Safety
/// Strings are NULL or NUL-terminated; `out_incident_key` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn pd_events_v1(
    client: *const pd_events,
    action: *const c_char,
    event_json: *const c_char,
    out_incident_key: *mut *mut c_char,
) -> ErrorCode {
    guard(|| {
        opt_out(out_incident_key);
        let c = handle(client, "client")?;
        let action = Action::parse(arg(action, "action")?)?;
        let event = v1_from_json(&json_arg(
            Some(arg(event_json, "event_json")?),
            "event_json",
        )?)?;
        let op = c.events.v1(&c.key, action, &event, random_bytes()?)?;
        send_with_key(c, op, out_incident_key)
    })
}
