//! Requests and responses as plain JSON data, for bindings whose callers bring their own HTTP
//! stack (the C ABI's `pd_build_request` / `pd_parse_response`, the JavaScript package's
//! `buildRequest` / `parseResponse`): one definition of the spec objects for every binding.
//!
//! A build spec is either `{"api": "rest", "token", "token_kind", "region", "from", "method",
//! "path", "query", "body"}` or `{"api": "events", "routing_key", "region", "action":
//! "trigger"|"acknowledge"|"resolve"|"change"|"v1_trigger"|"v1_acknowledge"|"v1_resolve",
//! "event": {...}, "dedup_key"}`. The built request is `{"api", "method", "url", "headers":
//! [[name, value], ...], "body", "dedup_key"}`; it holds the key, so it is never logged.

use serde_json::Value;

use crate::bindings::options::ClientOptions;
use crate::credentials::IntegrationKey;
use crate::error::Error;
use crate::events::{
    change_from_json, parse_event_response, trigger_from_json, v1_from_json, Action, EventOp,
    Events,
};
use crate::http::{Method, Request, Response};
use crate::query::Query;
use crate::response_error::Api;
use crate::rest::json_text;

/// The keys of a build spec beside the client options.
const SPEC_KEYS: [&str; 10] = [
    "api",
    "token",
    "method",
    "path",
    "query",
    "body",
    "routing_key",
    "action",
    "event",
    "dedup_key",
];

fn text<'a>(v: &'a Value, k: &str) -> Result<&'a str, Error> {
    v.get(k)
        .and_then(Value::as_str)
        .ok_or_else(|| Error::invalid(k, "is required (a string)"))
}

fn api_name(api: Api) -> &'static str {
    match api {
        Api::Rest => "rest",
        Api::EventsV2 => "events_v2",
        Api::EventsV1 => "events_v1",
    }
}

/// `"rest"`, `"events_v2"` or `"events_v1"`.
pub fn api_from_name(name: &str) -> Result<Api, Error> {
    match name {
        "rest" => Ok(Api::Rest),
        "events_v2" => Ok(Api::EventsV2),
        "events_v1" => Ok(Api::EventsV1),
        _ => Err(Error::invalid(
            "api",
            "must be \"rest\", \"events_v2\" or \"events_v1\"",
        )),
    }
}

fn request_json(r: &Request, api: Api, dedup_key: Option<&str>) -> Value {
    crate::write_value::object([
        ("api", api_name(api).into()),
        ("method", r.method.as_str().into()),
        ("url", r.url.as_str().into()),
        ("headers", crate::write_value::pairs(&r.headers)),
        ("body", r.body.as_deref().into()),
        ("dedup_key", dedup_key.into()),
    ])
}

/// Builds the request a spec describes (see the module docs). `random` seeds a generated
/// dedup_key; pass fresh random bytes every time.
pub fn build_request(spec: &Value, random: [u8; 16]) -> Result<Value, Error> {
    let options = ClientOptions::from_json_with(spec, &SPEC_KEYS)?;
    match text(spec, "api")? {
        "rest" => {
            let rest = options.rest(text(spec, "token")?)?;
            let method = Method::from_arg(text(spec, "method")?)?;
            let mut call = rest
                .call(method, text(spec, "path")?)
                .query(&Query::from_json(
                    spec.get("query").unwrap_or(&Value::Null),
                )?);
            match spec.get("body") {
                None | Some(Value::Null) => {}
                Some(b) => call = call.json_value(b),
            }
            Ok(request_json(&call.build()?, Api::Rest, None))
        }
        "events" => {
            let key = IntegrationKey::new(text(spec, "routing_key")?)?;
            let op = event_op(&options.events(), &key, spec, random)?;
            Ok(request_json(&op.request, op.api(), op.dedup_key()))
        }
        _ => Err(Error::invalid("api", "must be \"rest\" or \"events\"")),
    }
}

/// The actions of an event spec.
pub const ACTIONS: [&str; 7] = [
    "trigger",
    "acknowledge",
    "resolve",
    "change",
    "v1_trigger",
    "v1_acknowledge",
    "v1_resolve",
];

/// The event an event spec stands for, built (and checked) by the core: `{"action":
/// "trigger"|"change"|"v1_trigger"|"v1_acknowledge"|"v1_resolve", "event": {...}}` or
/// `{"action": "acknowledge"|"resolve", "dedup_key": "..."}` (other keys of `spec` are the
/// caller's to check). `random` seeds a generated dedup_key.
pub fn event_op(
    events: &Events,
    key: &IntegrationKey,
    spec: &Value,
    random: [u8; 16],
) -> Result<EventOp, Error> {
    let action = text(spec, "action")
        .map_err(|_| Error::invalid("action", format!("must be one of {}", ACTIONS.join(", "))))?;
    let event = spec.get("event").unwrap_or(&Value::Null);
    let dedup_key = match spec.get("dedup_key") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.as_str()),
        Some(_) => return Err(Error::invalid("dedup_key", "must be a string")),
    };
    if dedup_key.is_some() && !matches!(action, "acknowledge" | "resolve") {
        return Err(Error::invalid(
            "dedup_key",
            "goes in \"event\" for this action (only acknowledge and resolve take it beside it)",
        ));
    }
    let follow_up = |a: Action| {
        let d = dedup_key
            .ok_or_else(|| Error::invalid("dedup_key", "is required to acknowledge or resolve"))?;
        events.follow_up(key, a, d)
    };
    match action {
        "trigger" => events.trigger(key, &trigger_from_json(event)?, random),
        "acknowledge" => follow_up(Action::Acknowledge),
        "resolve" => follow_up(Action::Resolve),
        "change" => events.change(key, &change_from_json(event)?),
        a if ACTIONS.contains(&a) => {
            events.v1(key, Action::parse(&a[3..])?, &v1_from_json(event)?, random)
        }
        _ => Err(Error::invalid(
            "action",
            format!("must be one of {}", ACTIONS.join(", ")),
        )),
    }
}

/// The keys of an event spec on its own (an outbox's enqueue and spool).
pub const EVENT_SPEC_KEYS: [&str; 3] = ["action", "event", "dedup_key"];

/// [`event_op`] for an event spec on its own: a JSON object with no keys but
/// [`EVENT_SPEC_KEYS`].
pub fn event_spec(
    events: &Events,
    key: &IntegrationKey,
    spec: &Value,
    random: [u8; 16],
) -> Result<EventOp, Error> {
    let Some(obj) = spec.as_object() else {
        return Err(Error::invalid(
            "event",
            "must be an object: {\"action\": ..., \"event\": {...}}",
        ));
    };
    if let Some(k) = obj.keys().find(|k| !EVENT_SPEC_KEYS.contains(&k.as_str())) {
        return Err(Error::invalid(
            "event",
            format!(
                "unknown key {k:?} (the keys are {})",
                EVENT_SPEC_KEYS.join(", ")
            ),
        ));
    }
    event_op(events, key, spec, random)
}

/// `[[name, value], ...]` or `{"name": value}` (`null` = none) as header pairs.
pub fn headers_from_json(v: Value) -> Result<Vec<(String, String)>, Error> {
    Ok(match v {
        Value::Null => vec![],
        Value::Object(m) => m
            .into_iter()
            .map(|(k, v)| {
                let v = v
                    .as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| crate::json_text::write(&v));
                (k, v)
            })
            .collect(),
        v @ Value::Array(_) => crate::read_value::seq(&v, crate::read_value::string_pair)
            .map_err(|e| Error::invalid("headers", e))?,
        _ => {
            return Err(Error::invalid(
                "headers",
                "must be an object or an array of [name, value]",
            ))
        }
    })
}

/// Reads a response to a built request, as JSON text: for REST the body (`null` when empty),
/// for events `{"status", "message", "dedup_key"}`; any other outcome is the typed error.
pub fn parse_response(api: Api, response: &Response) -> Result<String, Error> {
    Ok(match api {
        Api::Rest => json_text(response)?.to_owned(),
        _ => {
            let accepted = parse_event_response(response, api, None)?;
            crate::json_text::write(&crate::write_value::object([
                ("status", accepted.status.into()),
                ("message", accepted.message.into()),
                ("dedup_key", accepted.dedup_key.into()),
            ]))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_event_spec_is_read_strictly() {
        let key = IntegrationKey::new("R0123456789ABCDEF0123456789ABCDE").unwrap();
        let events = Events::default();
        let e = |v: Value| {
            event_spec(&events, &key, &v, [1; 16])
                .err()
                .map(|e| e.to_string())
        };
        let trigger = json!({"action": "trigger", "event": {"summary": "s", "source": "x", "severity": "info"}});
        assert!(e(trigger).is_none());
        assert!(e(json!({"action": "resolve", "dedup_key": "k"})).is_none());
        assert!(e(json!({"action": "v1_trigger", "event": {"description": "d"}})).is_none());
        assert!(e(json!({"action": "resolve"}))
            .unwrap()
            .contains("dedup_key"));
        assert!(e(json!({"action": "explode"}))
            .unwrap()
            .contains("v1_resolve"));
        assert!(e(json!({"action": "trigger", "evnt": {}}))
            .unwrap()
            .contains("evnt"));
        assert!(
            e(json!({"action": "trigger", "dedup_key": "k", "event": {}}))
                .unwrap()
                .contains("dedup_key")
        );
        assert!(e(json!([1])).unwrap().contains("object"));
    }
}
