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

use pagerduty_core::bindings::options::ClientOptions;
use pagerduty_core::bindings::plain::event_spec;
use pagerduty_core::credentials::IntegrationKey;
use pagerduty_core::events::{EventOp, Events};
use pagerduty_core::http::Response;
use pagerduty_core::outbox::{self, Config, Next, Outcome};
use pagerduty_core::retry::TransportError;
use pagerduty_core::Error;
use serde::Serialize;
use serde_json::{json, Map, Value};
use wasm_bindgen::prelude::*;

use crate::boundary::{js, seed, value};
use crate::exchange::{header_pairs, jitter, transport_error, Send};

struct Setup {
    events: Events,
    config: Config,
    timeout: Duration,
    max_bytes: u64,
}

/// The clients' options object with its `outbox` object, read by the core
/// ([`ClientOptions::from_json`]: the outbox's backoff is `retry`'s delays).
fn setup(options: &JsValue) -> Result<Setup, Error> {
    let o = ClientOptions::from_json(&value(options, "options")?)?;
    Ok(Setup {
        events: o.events(),
        config: o.outbox.clone(),
        timeout: o.timeout,
        max_bytes: o.max_response_bytes,
    })
}

/// The event of an event spec (`{action, event}` or `{action, dedup_key}`) for `routing_key`,
/// built and checked by the core as every binding's.
fn build(
    events: &Events,
    routing_key: &str,
    spec: &JsValue,
    random: &[u8],
) -> Result<EventOp, Error> {
    let key = IntegrationKey::new(routing_key)?;
    event_spec(events, &key, &value(spec, "event")?, seed(random)?)
}

/// The keys of the options object's `outbox` object (the package derives its option names
/// from them).
#[wasm_bindgen(js_name = outboxOptionKeys)]
pub fn outbox_option_keys() -> Vec<String> {
    outbox::CONFIG_KEYS.iter().map(|k| k.to_string()).collect()
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
    /// case, as the package passes it) with its `outbox` object.
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

    /// Whether every append must be fsynced (the `fsync` option; true by default).
    pub fn fsync(&self) -> bool {
        self.inner.config().fsync
    }

    /// What `open` found: `{"validLen","tornBytes","records"}`.
    pub fn recovered(&self) -> String {
        text(&self.recovered)
    }

    /// Accepts an event (see `build`): `{"id","dedupKey"}` (dedupKey null for a change event).
    /// `random`: 16 fresh random bytes for a generated dedup_key.
    pub fn enqueue(
        &mut self,
        routing_key: &str,
        spec: JsValue,
        random: &[u8],
        now_ms: f64,
    ) -> Result<String, JsValue> {
        js((|| {
            let op = build(&self.events, routing_key, &spec, random)?;
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
        let response = Response::new(status, header_pairs(headers), body);
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
    routing_key: &str,
    spec: JsValue,
    random: &[u8],
    now_ms: f64,
) -> Result<Vec<u8>, JsValue> {
    js((|| {
        let s = setup(&options)?;
        let op = build(&s.events, routing_key, &spec, random)?;
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
