//! `Outbox`: the core's durable outbox ([`pagerduty_core::outbox`]) for JavaScript. The
//! package's `outbox.js` (Node) owns the journal file and the transport and keeps the core's
//! contract: after every call that changes state it appends [`Outbox::take_pending`] and fsyncs
//! it before acting on the result.
//!
//! Events are built exactly as `EventsClient` builds them (the core's `Events` and its JSON
//! readers). Results cross as JSON text, keys in camelCase (an event's own fields unchanged):
//! - `poll`: `{"send":{"id","attempt","request":{method,url,headers,body,timeoutMs,maxBytes}}}`
//!   (the request as every transport of the package takes it), `{"waitMs":N}` or
//!   `{"idle":true}`;
//! - answers: `{"delivered":true}`, `{"retry":{"afterMs","error"}}` or `{"dead":{...}}`.

use std::time::Duration;

use pagerduty_core::bindings::options::{whole_number, ClientOptions};
use pagerduty_core::credentials::IntegrationKey;
use pagerduty_core::events::{
    change_from_json, trigger_from_json, v1_from_json, Action, EventOp, Events,
};
use pagerduty_core::http::Response;
use pagerduty_core::outbox::{self, Config, Next, Outcome};
use pagerduty_core::retry::TransportError;
use pagerduty_core::Error;
use serde::Serialize;
use serde_json::{json, Map, Value};
use wasm_bindgen::prelude::*;

use crate::boundary::{js, seed, value};
use crate::exchange::{jitter, transport_error, Send};

/// The options beyond the clients' (`ClientOptions`) that the outbox reads.
const EXTRA: [&str; 3] = ["rate_per_minute", "max_age_ms", "max_in_flight"];

struct Setup {
    events: Events,
    config: Config,
    timeout: Duration,
    max_bytes: u64,
}

fn setup(options: &JsValue) -> Result<Setup, Error> {
    let v = value(options, "options")?;
    let o = ClientOptions::from_json_with(&v, &EXTRA)?;
    let mut config = Config {
        retry: o.retry.clone(),
        ..Config::default()
    };
    let number = |k: &str, max: u64| -> Result<Option<u64>, Error> {
        match v.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => {
                whole_number(k, n.as_f64().unwrap_or(f64::NAN), max).map(Some)
            }
            Some(_) => Err(Error::invalid(
                k,
                format!("must be a finite number from 0 to {max}"),
            )),
        }
    };
    if let Some(n) = number("rate_per_minute", 1_000_000)? {
        config.rate_per_minute = n as u32;
    }
    if let Some(n) = number("max_age_ms", 365 * 24 * 3600 * 1000)? {
        config.max_age = Duration::from_millis(n);
    }
    if let Some(n) = number("max_in_flight", 1024)? {
        config.max_in_flight = (n as u32).max(1);
    }
    Ok(Setup {
        events: o.events(),
        config,
        timeout: o.timeout,
        max_bytes: o.max_response_bytes,
    })
}

/// `kind` (trigger, acknowledge, resolve, change, v1) of `arg` (the event object, or the
/// dedup_key for acknowledge and resolve) for `routing_key`, built as `EventsClient` builds it.
fn build(
    events: &Events,
    routing_key: &str,
    kind: &str,
    arg: &JsValue,
    action: Option<String>,
    random: &[u8],
) -> Result<EventOp, Error> {
    let key = IntegrationKey::new(routing_key)?;
    let dedup = || {
        arg.as_string()
            .ok_or_else(|| Error::invalid("dedupKey", "must be a string"))
    };
    match kind {
        "trigger" => events.trigger(
            &key,
            &trigger_from_json(&value(arg, "event")?)?,
            seed(random)?,
        ),
        "acknowledge" => events.acknowledge(&key, &dedup()?),
        "resolve" => events.resolve(&key, &dedup()?),
        "change" => events.change(&key, &change_from_json(&value(arg, "event")?)?),
        "v1" => {
            let a = Action::parse(action.as_deref().unwrap_or(""))?;
            events.v1(
                &key,
                a,
                &v1_from_json(&value(arg, "event")?)?,
                seed(random)?,
            )
        }
        other => Err(Error::invalid(
            "kind",
            format!("{other:?} is not one of trigger, acknowledge, resolve, change, v1"),
        )),
    }
}

/// A JavaScript number as an event id or a time in ms (never negative, never fractional).
fn int(x: f64) -> u64 {
    if x.is_finite() && x > 0.0 {
        x as u64
    } else {
        0
    }
}

/// The object's keys in camelCase, one level down (the values, an event's body among them,
/// unchanged).
fn camel(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| (pagerduty_core::bindings::camel_case(&k), v))
                .collect::<Map<String, Value>>(),
        ),
        other => other,
    }
}

fn text<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v).map_or_else(|_| "null".to_owned(), |v| camel(v).to_string())
}

fn outcome(o: Outcome) -> String {
    match o {
        Outcome::Delivered => "{\"delivered\":true}".to_owned(),
        Outcome::Retry { after, error } => {
            json!({"retry": {"afterMs": after.as_millis() as u64, "error": error}}).to_string()
        }
        Outcome::Dead(d) => format!("{{\"dead\":{}}}", text(&d)),
    }
}

/// The outbox's state and scheduler over a journal whose bytes JavaScript keeps.
#[wasm_bindgen]
pub struct Outbox {
    inner: outbox::Outbox,
    events: Events,
    recovered: outbox::Recovered,
    timeout: Duration,
    max_bytes: u64,
}

#[wasm_bindgen]
impl Outbox {
    /// Replays `journal` (empty for a new one). `options`: the clients' options object (snake
    /// case, as the package passes it) plus `rate_per_minute`, `max_age_ms`, `max_in_flight`.
    /// Cut the file to `recovered().validLen`, then append `takePending()`.
    pub fn open(journal: &[u8], options: JsValue, now_ms: f64) -> Result<Outbox, JsValue> {
        js((|| {
            let s = setup(&options)?;
            let (inner, recovered) =
                outbox::Outbox::open(s.events.clone(), s.config, journal, int(now_ms))?;
            Ok(Outbox {
                inner,
                events: s.events,
                recovered,
                timeout: s.timeout,
                max_bytes: s.max_bytes,
            })
        })())
    }

    /// What `open` found: `{"validLen","tornBytes","records"}`.
    pub fn recovered(&self) -> String {
        text(&self.recovered)
    }

    /// Accepts an event (see `build`): `{"id","dedupKey"}` (dedupKey null for a change event).
    /// `random`: 16 fresh random bytes for a generated dedup_key.
    pub fn enqueue(
        &mut self,
        kind: &str,
        routing_key: &str,
        arg: JsValue,
        action: Option<String>,
        random: &[u8],
        now_ms: f64,
    ) -> Result<String, JsValue> {
        js((|| {
            let op = build(&self.events, routing_key, kind, &arg, action, random)?;
            let id = self.inner.enqueue(&op, int(now_ms))?;
            Ok(json!({"id": id, "dedupKey": op.dedup_key()}).to_string())
        })())
    }

    /// Journal bytes to append and fsync before acting on the last call's result.
    #[wasm_bindgen(js_name = takePending)]
    pub fn take_pending(&mut self) -> Vec<u8> {
        self.inner.take_pending()
    }

    /// What to do next (see the module's docs).
    pub fn poll(&mut self, now_ms: f64) -> Result<String, JsValue> {
        Ok(match self.inner.poll(int(now_ms)) {
            Next::Send(d) => {
                #[derive(Serialize)]
                struct Out<'a> {
                    id: u64,
                    attempt: u32,
                    request: Send<'a>,
                }
                #[derive(Serialize)]
                struct Step<'a> {
                    send: Out<'a>,
                }
                let step = Step {
                    send: Out {
                        id: d.id,
                        attempt: d.attempt,
                        request: Send::of(&d.request, self.timeout, self.max_bytes),
                    },
                };
                js(serde_json::to_string(&step)
                    .map_err(|e| Error::invalid("request", e.to_string())))?
            }
            Next::Wait(w) => format!("{{\"waitMs\":{}}}", w.as_millis().max(1)),
            Next::Idle => "{\"idle\":true}".to_owned(),
        })
    }

    /// The answer to the send of event `id`: status, headers as `name\nvalue\n...`, body.
    #[wasm_bindgen(js_name = handleResponse)]
    pub fn handle_response(
        &mut self,
        id: f64,
        status: u16,
        headers: &str,
        body: Vec<u8>,
        now_ms: f64,
        random: f64,
    ) -> Result<String, JsValue> {
        let mut it = headers.split('\n');
        let mut pairs = Vec::new();
        while let (Some(k), Some(v)) = (it.next(), it.next()) {
            pairs.push((k.to_owned(), v.to_owned()));
        }
        let response = Response::new(status, pairs, body);
        js(self
            .inner
            .handle_response(int(id), response, int(now_ms), jitter(random))
            .map(outcome))
    }

    /// The send of event `id` got no answer: `kind` as the transports say it (`connect`,
    /// `timeout`, `other`, `fatal`). Always retried: an event is safe to resend.
    #[wasm_bindgen(js_name = handleTransportError)]
    pub fn handle_transport_error(
        &mut self,
        id: f64,
        kind: &str,
        message: String,
        now_ms: f64,
        random: f64,
    ) -> Result<String, JsValue> {
        let e = transport_error(kind, message);
        js(self
            .inner
            .handle_transport_error(int(id), e, int(now_ms), jitter(random))
            .map(outcome))
    }

    /// The answer to the send of event `id` was larger than its `maxBytes`.
    #[wasm_bindgen(js_name = tooLarge)]
    pub fn too_large(&mut self, id: f64, status: u16, now_ms: f64) -> Result<String, JsValue> {
        let e = TransportError::TooLarge {
            status,
            limit: self.max_bytes,
        };
        js(self
            .inner
            .handle_transport_error(int(id), e, int(now_ms), 0)
            .map(outcome))
    }

    /// Puts dead letters back in their queues (`ids`, or all when undefined); how many.
    #[wasm_bindgen(js_name = retryDead)]
    pub fn retry_dead(&mut self, ids: Option<Vec<f64>>, now_ms: f64) -> f64 {
        let ids: Option<Vec<u64>> = ids.map(|v| v.into_iter().map(int).collect());
        self.inner.retry_dead(ids.as_deref(), int(now_ms)) as f64
    }

    /// A snapshot (the core's `Stats`, camelCase, `keys[]` too).
    pub fn stats(&mut self, now_ms: f64) -> String {
        let mut v = serde_json::to_value(self.inner.stats(int(now_ms))).unwrap_or(Value::Null);
        if let Some(Value::Array(keys)) = v.get_mut("keys") {
            for k in keys.iter_mut() {
                *k = camel(std::mem::take(k));
            }
        }
        camel(v).to_string()
    }

    /// The dead letters, oldest first (the core's `DeadLetter`, camelCase).
    #[wasm_bindgen(js_name = deadLetters)]
    pub fn dead_letters(&self) -> String {
        let all: Vec<Value> = self
            .inner
            .dead_letters()
            .iter()
            .map(|d| serde_json::to_value(d).map_or(Value::Null, camel))
            .collect();
        Value::Array(all).to_string()
    }

    /// Events not yet delivered or dead (in flight included): `stats().queued`, cheaply.
    pub fn queued(&self) -> f64 {
        self.inner.queued() as f64
    }

    /// Whether the journal is worth compacting.
    #[wasm_bindgen(js_name = shouldCompact)]
    pub fn should_compact(&self) -> bool {
        self.inner.should_compact()
    }

    /// A new journal's bytes: write, fsync, rename over the journal, fsync the directory.
    pub fn compact(&mut self, now_ms: f64) -> Vec<u8> {
        self.inner.compact(int(now_ms))
    }

    /// Takes in a spool file's bytes named `origin`: the new event's id, or -1 when a file of
    /// that name was taken in before (remove it again).
    pub fn ingest(&mut self, bytes: &[u8], origin: &str) -> Result<f64, JsValue> {
        js(self
            .inner
            .ingest(bytes, origin)
            .map(|id| id.map_or(-1.0, |id| id as f64)))
    }
}

/// A spool file's bytes for an event built as `Outbox.enqueue` builds it: how a process that
/// does not own a journal hands an event to the one that does (see the core's `spool`).
#[wasm_bindgen(js_name = outboxSpool)]
pub fn outbox_spool(
    options: JsValue,
    kind: &str,
    routing_key: &str,
    arg: JsValue,
    action: Option<String>,
    random: &[u8],
    now_ms: f64,
) -> Result<Vec<u8>, JsValue> {
    js((|| {
        let s = setup(&options)?;
        let op = build(&s.events, routing_key, kind, &arg, action, random)?;
        outbox::spool(&op, int(now_ms))
    })())
}

/// The dedup_key a spool file's event carries (for the caller of `outboxSpool`).
#[wasm_bindgen(js_name = outboxSpoolDedupKey)]
pub fn outbox_spool_dedup_key(bytes: &[u8]) -> Result<Option<String>, JsValue> {
    match js(outbox::read_spool(bytes))? {
        outbox::Record::Spooled { dedup_key, .. } => Ok(dedup_key),
        _ => Ok(None),
    }
}
