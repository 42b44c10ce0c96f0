//! The sans-IO layer for callers with their own HTTP stack (libcurl, an event loop): build a
//! request as JSON, send it yourself, parse the response.

use std::ffi::c_char;

use pagerduty_core::credentials::IntegrationKey;
use pagerduty_core::events::{
    change_from_json, parse_event_response, trigger_from_json, v1_from_json, Action, Events,
};
use pagerduty_core::http::{Method, Request, Response};
use pagerduty_core::query::Query;
use pagerduty_core::region::Endpoints;
use pagerduty_core::response_error::Api;
use pagerduty_core::rest::{parse_json, Rest};
use pagerduty_core::{Error, ErrorCode};
use serde_json::{json, Value};

use crate::boundary::{arg, bytes_arg, give_string, guard, invalid, json_arg, opt_arg, out_ptr};
use crate::rest::credential;
use crate::transport::random_bytes;

fn text<'a>(v: &'a Value, k: &str) -> Result<&'a str, Error> {
    v.get(k)
        .and_then(Value::as_str)
        .ok_or_else(|| invalid(k, "is required (a string)"))
}

fn api_name(api: Api) -> &'static str {
    match api {
        Api::Rest => "rest",
        Api::EventsV2 => "events_v2",
        Api::EventsV1 => "events_v1",
    }
}

fn request_json(r: &Request, api: Api, dedup_key: Option<&str>) -> String {
    json!({
        "api": api_name(api),
        "method": r.method.as_str(),
        "url": r.url,
        "headers": r.headers,
        "body": r.body,
        "dedup_key": dedup_key,
    })
    .to_string()
}

fn build(spec: &Value) -> Result<String, Error> {
    let endpoints = Endpoints::parse(spec.get("region").and_then(Value::as_str).unwrap_or("us"))?;
    match text(spec, "api")? {
        "rest" => {
            let kind = spec.get("token_kind").and_then(Value::as_str).unwrap_or("");
            let mut rest = Rest::new(credential(text(spec, "token")?, kind)?, endpoints);
            if let Some(f) = spec.get("from").and_then(Value::as_str) {
                rest = rest.with_default_from(f)?;
            }
            let method = Method::parse(text(spec, "method")?)
                .ok_or_else(|| invalid("method", "must be GET, POST, PUT, DELETE or PATCH"))?;
            let mut call = rest
                .call(method, text(spec, "path")?)
                .query(&Query::from_json(
                    spec.get("query").unwrap_or(&Value::Null),
                )?);
            match spec.get("body") {
                None | Some(Value::Null) => {}
                Some(b) => call = call.json(b),
            }
            Ok(request_json(&call.build()?, Api::Rest, None))
        }
        "events" => {
            let key = IntegrationKey::new(text(spec, "routing_key")?)?;
            let events = Events::new(endpoints);
            let event = spec.get("event").cloned().unwrap_or(Value::Null);
            let op = match text(spec, "action")? {
                "trigger" => events.trigger(&key, &trigger_from_json(&event)?, random_bytes()?)?,
                "acknowledge" => events.acknowledge(&key, text(spec, "dedup_key")?)?,
                "resolve" => events.resolve(&key, text(spec, "dedup_key")?)?,
                "change" => events.change(&key, &change_from_json(&event)?)?,
                a if a.starts_with("v1_") => events.v1(&key, Action::parse(&a[3..])?, &v1_from_json(&event)?, random_bytes()?)?,
                _ => return Err(invalid("action", "must be trigger, acknowledge, resolve, change, v1_trigger, v1_acknowledge or v1_resolve")),
            };
            Ok(request_json(&op.request, op.api(), op.dedup_key()))
        }
        _ => Err(invalid("api", "must be \"rest\" or \"events\"")),
    }
}

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
        give_string(out_request_json, build(&spec)?)
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
        let api = match arg(api, "api")? {
            "rest" => Api::Rest,
            "events_v2" => Api::EventsV2,
            "events_v1" => Api::EventsV1,
            _ => {
                return Err(invalid(
                    "api",
                    "must be \"rest\", \"events_v2\" or \"events_v1\"",
                ))
            }
        };
        let headers = match json_arg(opt_arg(headers_json, "headers_json")?, "headers_json")? {
            Value::Null => vec![],
            Value::Object(m) => m
                .into_iter()
                .map(|(k, v)| {
                    (
                        k,
                        v.as_str()
                            .map(str::to_owned)
                            .unwrap_or_else(|| v.to_string()),
                    )
                })
                .collect(),
            v @ Value::Array(_) => serde_json::from_value::<Vec<(String, String)>>(v)
                .map_err(|e| invalid("headers_json", &e.to_string()))?,
            _ => {
                return Err(invalid(
                    "headers_json",
                    "must be an object or an array of [name, value]",
                ))
            }
        };
        let response = Response::new(status, headers, bytes_arg(body, body_len, "body")?.to_vec());
        let out = match api {
            Api::Rest => parse_json(&response)?.to_string(),
            _ => {
                let accepted = parse_event_response(&response, api, None)?;
                json!({"status": accepted.status, "message": accepted.message, "dedup_key": accepted.dedup_key}).to_string()
            }
        };
        give_string(out_json, out)
    })
}
