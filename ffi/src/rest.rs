//! `pd_rest`: a REST API v2 client that does its own HTTP. Safe to share between threads.

use std::ffi::c_char;
use std::sync::Arc;

use pagerduty_core::bindings::options::ClientOptions;
use pagerduty_core::bindings::registry;
use pagerduty_core::http::Method;
use pagerduty_core::query::Query;
use pagerduty_core::response_error::Api;
use pagerduty_core::rest::{json_text, Rest};
use pagerduty_core::{Error, ErrorCode};

use crate::boundary::{arg, give, give_string, guard, handle, json_arg, opt_arg, out_ptr, quiet};
use pagerduty_client::blocking::Transport;

/// A REST API v2 client (opaque). Create with `pd_rest_new`, free with `pd_rest_free`.
/// One client may be used from several threads at once.
#[allow(non_camel_case_types)]
pub struct pd_rest {
    pub(crate) inner: Arc<RestClient>,
}

pub(crate) struct RestClient {
    pub rest: Rest,
    pub transport: Transport,
}

/// Creates a REST client.
///
/// `token`: a 20-character REST API key, or an OAuth token with `"token_kind": "oauth"`; NULL
/// with `"oauth"` client credentials (`{"client_id", "client_secret", "scopes": [...],
/// "subdomain"}`: tokens are then fetched from PagerDuty's identity host lazily, refreshed
/// before expiry and once after a 401; a scope not granted is `PD_STATUS_SCOPE_NOT_GRANTED`).
/// `options_json` (may be NULL): `{"region": "us"|"eu"|"https://base.url", "token_kind":
/// "general"|"user"|"oauth", "from": "email", "timeout_ms": 30000, "user_agent": "...",
/// "retry": {"max_attempts": N, "deadline_ms": 60000, "base_delay_ms": 500, "max_delay_ms": 10000},
/// "max_response_bytes": 8388608, "ca_file": "path", "ca_pem": "PEM"}`; unknown keys are
/// refused. Retries are bounded by `deadline_ms` (no attempt cap unless `max_attempts` is set);
/// `timeout_ms` is each attempt's. Redirects are never followed (a 3xx is `PD_STATUS_HTTP_ERROR`).
/// On success `*out` holds a client to free with `pd_rest_free`.
///
/// # Safety
/// Strings are NULL or NUL-terminated; `out` is writable.
#[no_mangle]
pub unsafe extern "C" fn pd_rest_new(
    token: *const c_char,
    options_json: *const c_char,
    out: *mut *mut pd_rest,
) -> ErrorCode {
    guard(|| {
        out_ptr(out, "out")?;
        let token = opt_arg(token, "token")?;
        let options = json_arg(opt_arg(options_json, "options_json")?, "options_json")?;
        let options = ClientOptions::from_json(&options)?;
        let token = match (token, &options.oauth) {
            (Some(t), _) => t,
            (None, Some(_)) => "",
            (None, None) => return Err(Error::invalid("token", "is NULL")),
        };
        let rest = options.rest(token)?;
        let transport = Transport::new(&crate::settings(&options))?;
        if let Some(source) = options.token_source() {
            transport.use_token_source(source)?;
        }
        give(
            out,
            pd_rest {
                inner: Arc::new(RestClient { rest, transport }),
            },
        );
        Ok(())
    })
}

/// Frees a client made by `pd_rest_new` (NULL is ignored). Pagers made from it stay usable.
///
/// # Safety
/// `client` is NULL or a client not yet freed; no other thread is using it.
#[no_mangle]
pub unsafe extern "C" fn pd_rest_free(client: *mut pd_rest) {
    if !client.is_null() {
        quiet((), || drop(Box::from_raw(client)));
    }
}

/// Ends every call in flight on this client and on its pagers (retry waits included) with
/// `PD_STATUS_CANCELLED`, promptly, and makes every later call fail the same way: then only
/// `pd_rest_free` remains. Safe to call from any thread while others use the client (NULL is
/// ignored). Free the client only once no other thread is inside a call on it.
///
/// # Safety
/// `client` is NULL or a live client.
#[no_mangle]
pub unsafe extern "C" fn pd_rest_cancel(client: *const pd_rest) -> ErrorCode {
    guard(|| {
        if let Some(c) = client.as_ref() {
            c.inner.transport.cancel();
        }
        Ok(())
    })
}

/// Any REST call: `method` ("GET", "POST", ...), `path` ("/incidents/P1" or a full URL on the
/// configured host; a path with `\\`, whitespace, control characters, `.`/`..` segments or the
/// `//host` form, or any URL elsewhere, is refused with `PD_STATUS_INVALID_INPUT`: the key is
/// only ever sent to the configured API), `query_json` (an object; arrays become `name[]`; may be NULL) and
/// `body_json` (may be NULL). On success `*out_json` holds the response body (`null` for an
/// empty one), freed with `pd_string_free`. Retries follow the client's retry settings.
///
/// # Safety
/// Strings are NULL or NUL-terminated; `out_json` is writable.
#[no_mangle]
pub unsafe extern "C" fn pd_rest_request(
    client: *const pd_rest,
    method: *const c_char,
    path: *const c_char,
    query_json: *const c_char,
    body_json: *const c_char,
    out_json: *mut *mut c_char,
) -> ErrorCode {
    guard(|| {
        out_ptr(out_json, "out_json")?;
        let c = &handle(client, "client")?.inner;
        let m = arg(method, "method")?;
        let method = Method::from_arg(m)?;
        let path = arg(path, "path")?;
        let query = Query::from_json(&json_arg(opt_arg(query_json, "query_json")?, "query_json")?)?;
        let mut call = c.rest.call(method, path).query(&query);
        if let Some(body) = opt_arg(body_json, "body_json")? {
            call = call.json_text(body);
        }
        let response = c.transport.send(call.build()?, Api::Rest)?;
        give_string(out_json, json_text(&response)?.to_owned())
    })
}

/// One of the core's typed operations, by name, with its arguments as a JSON object (NULL for
/// none), checked against the core's registry: an unknown, missing or wrongly typed argument is
/// `PD_STATUS_INVALID_INPUT` naming `args.<name>`. On success `*out_json` holds the result as
/// PagerDuty sent it (an incident, a list of notes, `true`/`false` for `test_ability`, `null`
/// for deletions), freed with `pd_string_free`. Every operation, its arguments and result are
/// listed in docs/operations.md (generated from the registry; `pd_operations` returns it as
/// JSON). List operations (`list_incidents`, ...) are walked with `pd_pager_op`.
///
/// # Safety
/// Strings are NULL or NUL-terminated; `out_json` is writable.
#[no_mangle]
pub unsafe extern "C" fn pd_rest_op(
    client: *const pd_rest,
    operation: *const c_char,
    args_json: *const c_char,
    out_json: *mut *mut c_char,
) -> ErrorCode {
    guard(|| {
        out_ptr(out_json, "out_json")?;
        let c = &handle(client, "client")?.inner;
        let name = arg(operation, "operation")?;
        let a = json_arg(opt_arg(args_json, "args_json")?, "args_json")?;
        let op = registry::op(&c.rest, name, &a)?;
        let response = c.transport.send(op.request.clone(), Api::Rest)?;
        give_string(
            out_json,
            pagerduty_core::json_text::write(&op.parse(&response)?),
        )
    })
}

/// The rate-limit budget of the client's last REST answer (`ratelimit-*` or `X-RateLimit-*`
/// headers): on success `*out_json` holds `{"limit": N, "remaining": N, "reset_ms": N}` (a
/// value PagerDuty did not send is `null`), or `null` before any answer carried one; freed
/// with `pd_string_free`.
///
/// # Safety
/// `client` is a live client; `out_json` is writable.
#[no_mangle]
pub unsafe extern "C" fn pd_rest_rate_limit(
    client: *const pd_rest,
    out_json: *mut *mut c_char,
) -> ErrorCode {
    guard(|| {
        out_ptr(out_json, "out_json")?;
        let c = &handle(client, "client")?.inner;
        let budget = c.transport.rate_limit().map(|r| r.to_json());
        give_string(
            out_json,
            pagerduty_core::json_text::write(&budget.unwrap_or_default()),
        )
    })
}

/// Names a status: `"ok"`, `"rate_limited"`, ... (a static string; never free it), or NULL
/// for a number that is no status. Takes any integer: a value from C is checked, never
/// trusted to be one of the enum's.
#[no_mangle]
pub extern "C" fn pd_status_name(status: i32) -> *const c_char {
    quiet(std::ptr::null(), || crate::status_name(status))
}

/// After an event's 202: the incident of dedup key `dedup_key`, looked up with
/// `GET /incidents?incident_key=` until it shows up or `deadline_ms` passes (waits of 250 ms
/// doubling to 2 s). `*out_json` holds the incident, or `null` for "not yet"; free it with
/// `pd_string_free`. An empty key is `PD_STATUS_INVALID_INPUT` (PagerDuty would answer with
/// every open incident).
///
/// # Safety
/// `client` is a live client; `dedup_key` NUL-terminated; `out_json` writable.
#[no_mangle]
pub unsafe extern "C" fn pd_rest_find_incident_for_dedup_key(
    client: *const pd_rest,
    dedup_key: *const c_char,
    deadline_ms: u64,
    out_json: *mut *mut c_char,
) -> ErrorCode {
    guard(|| {
        out_ptr(out_json, "out_json")?;
        let c = &handle(client, "client")?.inner;
        let key = arg(dedup_key, "dedup_key")?;
        let found = pagerduty_client::blocking::find_incident_for_dedup_key(
            &c.rest,
            &c.transport,
            key,
            std::time::Duration::from_millis(deadline_ms),
        )?;
        let text = found.map_or("null".to_owned(), |f| f.incident.to_string());
        give_string(out_json, text)
    })
}

/// `POST /incidents` made safe to retry: `args_json` as for `pd_rest_op("create_incident")`,
/// with an `incident_key`. When PagerDuty refuses it because an open incident already has the
/// key (`PD_STATUS_ALREADY_EXISTS`), the existing incident is looked up and returned instead,
/// with `*out_created` false. `*out_json` (free with `pd_string_free`) holds the incident.
///
/// # Safety
/// Strings are NUL-terminated; `out_json` and `out_created` writable.
#[no_mangle]
pub unsafe extern "C" fn pd_rest_create_incident_once(
    client: *const pd_rest,
    args_json: *const c_char,
    out_json: *mut *mut c_char,
    out_created: *mut bool,
) -> ErrorCode {
    guard(|| {
        out_ptr(out_json, "out_json")?;
        if out_created.is_null() {
            return Err(pagerduty_core::Error::invalid("out_created", "is NULL"));
        }
        let c = &handle(client, "client")?.inner;
        let a = json_arg(Some(arg(args_json, "args_json")?), "args_json")?;
        let (incident, created) =
            pagerduty_client::blocking::create_incident_once(&c.rest, &c.transport, &a)?;
        *out_created = created;
        give_string(out_json, pagerduty_core::json_text::write(&incident))
    })
}
