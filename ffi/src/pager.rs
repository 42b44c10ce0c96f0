//! `pd_pager`: a list endpoint, one page at a time. Use from one thread at a time.

use std::ffi::c_char;
use std::sync::Arc;

use pagerduty_core::bindings::registry;
use pagerduty_core::pagination::Pager;
use pagerduty_core::query::Query;
use pagerduty_core::response_error::Api;
use pagerduty_core::{Error, ErrorCode};

use crate::boundary::{
    arg, give, give_string, guard, handle, handle_mut, json_arg, opt_arg, out_ptr, quiet,
};
use crate::rest::{pd_rest, RestClient};

/// A pager over a list endpoint (opaque). Create with `pd_pager_new`, free with
/// `pd_pager_free`. Not to be used by two threads at once.
#[allow(non_camel_case_types)]
pub struct pd_pager {
    client: Arc<RestClient>,
    pager: Pager,
}

/// Starts walking `path` (`/incidents`, `/users`, `/audit/records`, ...) with the filters in
/// `query_json` (an object; arrays become `name[]`; `limit` sets the page size, at most 100).
/// Classic or cursor pagination is chosen from PagerDuty's spec. The pager keeps its own
/// reference to the client.
///
/// # Safety
/// Strings are NULL or NUL-terminated; `out` is writable.
#[no_mangle]
pub unsafe extern "C" fn pd_pager_new(
    client: *const pd_rest,
    path: *const c_char,
    query_json: *const c_char,
    out: *mut *mut pd_pager,
) -> ErrorCode {
    guard(|| start(client, path, query_json, out, Pager::new))
}

/// A pager over `path` with the filters of `query_json`, made by `make`, into `*out`.
///
/// # Safety
/// As the callers': strings NULL or NUL-terminated, `out` writable.
unsafe fn start(
    client: *const pd_rest,
    path: *const c_char,
    query_json: *const c_char,
    out: *mut *mut pd_pager,
    make: impl FnOnce(&pagerduty_core::rest::Rest, &str, Query) -> Result<Pager, Error>,
) -> Result<(), Error> {
    out_ptr(out, "out")?;
    let client = handle(client, "client")?.inner.clone();
    client.transport.check_live()?;
    let path = arg(path, "path")?;
    let query = Query::from_json(&json_arg(opt_arg(query_json, "query_json")?, "query_json")?)?;
    let pager = make(&client.rest, path, query)?;
    give(out, pd_pager { client, pager });
    Ok(())
}

/// Starts walking a whole history past PagerDuty's 10,000-record cap: `path` (`/incidents`,
/// `/log_entries`, ...) from `since` up to `until` (ISO 8601), with the other filters in
/// `query_json` (NULL for none). Windows are split by their `total` until each fits and walked
/// in time order, with no gap and no duplicate at the edges; more than 10,000 records in one
/// second ends with `PD_STATUS_TRUNCATED`. Pages come from `pd_pager_next` as with
/// `pd_pager_new`. The pager keeps its own reference to the client.
///
/// # Safety
/// Strings are NULL or NUL-terminated; `out` is writable.
#[no_mangle]
pub unsafe extern "C" fn pd_pager_history(
    client: *const pd_rest,
    path: *const c_char,
    query_json: *const c_char,
    since: *const c_char,
    until: *const c_char,
    out: *mut *mut pd_pager,
) -> ErrorCode {
    guard(|| {
        let (since, until) = (arg(since, "since")?, arg(until, "until")?);
        start(client, path, query_json, out, |rest, path, query| {
            Pager::history(rest, path, query, since, until)
        })
    })
}

/// Starts one of the core's list operations by name (`list_incidents`, `list_users`, ...; see
/// docs/operations.md) with its filters as a JSON object (NULL for none), checked against the
/// core's registry. The pager keeps its own reference to the client.
///
/// # Safety
/// Strings are NULL or NUL-terminated; `out` is writable.
#[no_mangle]
pub unsafe extern "C" fn pd_pager_op(
    client: *const pd_rest,
    operation: *const c_char,
    args_json: *const c_char,
    out: *mut *mut pd_pager,
) -> ErrorCode {
    guard(|| {
        out_ptr(out, "out")?;
        let client = handle(client, "client")?.inner.clone();
        client.transport.check_live()?;
        let name = arg(operation, "operation")?;
        let args = json_arg(opt_arg(args_json, "args_json")?, "args_json")?;
        let pager = registry::pager(&client.rest, name, &args)?;
        give(out, pd_pager { client, pager });
        Ok(())
    })
}

/// The next page: `*out_items_json` receives the page's items as a JSON array (free with
/// `pd_string_free`), or NULL when the walk is over. A walk that reaches PagerDuty's
/// 10,000-record offset cap with records left ends with `PD_STATUS_TRUNCATED` instead of
/// NULL: never a silent end. A failed page may be asked for again.
///
/// # Safety
/// `pager` is a live pager; `out_items_json` is writable.
#[no_mangle]
pub unsafe extern "C" fn pd_pager_next(
    pager: *mut pd_pager,
    out_items_json: *mut *mut c_char,
) -> ErrorCode {
    guard(|| {
        out_ptr(out_items_json, "out_items_json")?;
        let p = handle_mut(pager, "pager")?;
        let Some(request) = p.pager.next_request()? else {
            return Ok(());
        };
        let response = p.client.transport.send(request, Api::Rest)?;
        let page = p.pager.handle_response(response)?;
        give_string(out_items_json, page.items_json().to_owned())
    })
}

/// Whether the walk stopped at PagerDuty's 10,000-item cap with items left over (narrow the
/// filters to see them).
///
/// # Safety
/// `pager` is a live pager; `out` is writable.
#[no_mangle]
pub unsafe extern "C" fn pd_pager_truncated(pager: *const pd_pager, out: *mut bool) -> ErrorCode {
    guard(|| {
        if out.is_null() {
            return Err(Error::invalid("out", "is NULL"));
        }
        *out = false;
        let p = handle(pager, "pager")?;
        *out = p.pager.truncated();
        Ok(())
    })
}

/// Frees a pager (NULL is ignored).
///
/// # Safety
/// `pager` is NULL or a pager not yet freed.
#[no_mangle]
pub unsafe extern "C" fn pd_pager_free(pager: *mut pd_pager) {
    if !pager.is_null() {
        quiet((), || drop(Box::from_raw(pager)));
    }
}
