//! `Exchange`: one request under the core's retry rules, driven from JavaScript.
//!
//! The package's JavaScript does the I/O (fetch, timers) and calls these methods between
//! awaits; every call into the module is synchronous. That is deliberate: a panic in wasm is a
//! trap that unwinds nothing, and a trap inside an async executor's poll (wasm-bindgen-futures)
//! would leave its promise pending forever and its task queue stuck. A trap in a synchronous
//! call surfaces at once as a `WebAssembly.RuntimeError` the package turns into an
//! `InternalError`, and the objects involved are rebuilt, so the module stays usable.
//!
//! Steps are JSON text for `JSON.parse`: `{send: {method, url, headers: [name, value, ...], body,
//! timeoutMs, maxBytes}}` (the transport reads no more than `maxBytes` of the answer and calls
//! `tooLarge` instead; `bodyApart: true` says the body is not in the text: `takeBody()` gives
//! it), `{wait: ms}`, `{done: result}`, or for a page `{items: [start, end]}` (the items array's
//! byte range in the body just handed in); a failed exchange throws the typed error.
//!
//! A page has a quicker way in: JavaScript parses the body itself (`JSON.parse`: it needs the
//! items as objects anyway) and hands over only the top level's outline
//! ([`pagerduty_core::pagination::Outline`]) through `pageOutline`, which answers `{key: name}`
//! (the items are the parsed body's `name` array) or `{body: true}` when only the body can tell
//! (an error status, a malformed page): then `response` with the body decides, as always. So a
//! good page is parsed once, by V8, and not copied into wasm.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use pagerduty_core::bindings::options::ClientOptions;
use pagerduty_core::events::EventOp;
use pagerduty_core::http::{Request, Response};
use pagerduty_core::json_text;
use pagerduty_core::oauth::{AuthorizedRetry, SharedTokenSource};
use pagerduty_core::operations::JsonOp;
use pagerduty_core::pagination::{Outline, Pager};
use pagerduty_core::ratelimit::RateLimit;
use pagerduty_core::response_error::Api;
use pagerduty_core::rest;
use pagerduty_core::retry::{Step, TransportError};
use pagerduty_core::Error;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::boundary::js;

/// How the final response is read.
pub(crate) enum Reader {
    /// Any REST call: the body as JSON.
    Json,
    /// A typed operation.
    Op(JsonOp),
    /// An event: its dedup_key.
    Event(EventOp),
    /// A page: its items; the pager learns where the next page starts.
    Page(Rc<RefCell<Pager>>),
}

/// The derive `Send::step_json` writes as (the tests check the two agree).
#[cfg(test)]
#[derive(Serialize)]
struct SendStep<'a> {
    send: Send<'a>,
}

/// A `send` step's request, as every transport of the package takes it (the outbox's too).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Send<'a> {
    method: &'a str,
    url: &'a str,
    headers: Vec<&'a str>,
    body: Option<&'a str>,
    /// The body is not in this JSON (escaping it into a string and `JSON.parse` unescaping it
    /// was a fifth of an event's time in wasm): `takeBody()` hands it over as it is.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    body_apart: bool,
    timeout_ms: u64,
    max_bytes: u64,
}

impl<'a> Send<'a> {
    /// `req` with the attempt's timeout (its own, capped by `timeout`) and the size cap.
    pub(crate) fn of(req: &'a Request, timeout: Duration, max_bytes: u64) -> Send<'a> {
        Send {
            method: req.method.as_str(),
            url: &req.url,
            headers: req
                .headers
                .iter()
                .flat_map(|(k, v)| [k.as_str(), v.as_str()])
                .collect(),
            body: req.body.as_deref(),
            body_apart: false,
            timeout_ms: req.timeout.map_or(timeout, |t| t.min(timeout)).as_millis() as u64,
            // Above 2^53 a JavaScript number loses precision: no cap is that large.
            max_bytes: max_bytes.min(1 << 53),
        }
    }
}

impl Send<'_> {
    /// `{"send": {...}}`: the text `serde_json::to_string(&SendStep { send })` gives (the same
    /// keys in the same order; the tests check), written by hand so that the main module
    /// carries no serializer for typed values (the outbox's module still serializes `Send`).
    fn step_json(&self) -> String {
        let mut out = String::with_capacity(160 + self.url.len());
        out.push_str("{\"send\":{\"method\":");
        out.push_str(&quoted(self.method));
        out.push_str(",\"url\":");
        out.push_str(&quoted(self.url));
        out.push_str(",\"headers\":[");
        for (i, h) in self.headers.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&quoted(h));
        }
        out.push_str("],\"body\":");
        match self.body {
            Some(b) => out.push_str(&quoted(b)),
            None => out.push_str("null"),
        }
        if self.body_apart {
            out.push_str(",\"bodyApart\":true");
        }
        out.push_str(&format!(
            ",\"timeoutMs\":{},\"maxBytes\":{}}}}}",
            self.timeout_ms, self.max_bytes
        ));
        out
    }
}

/// A string as JSON text (quoted and escaped, as serde_json writes it).
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    json_text::write_string(s, &mut out);
    out
}

/// A transport's failure kind (`connect`, `timeout`, `fatal`, anything else: `other`; see
/// transport.js's `failure`) as the core's [`TransportError`].
pub(crate) fn transport_error(kind: &str, message: String) -> TransportError {
    match kind {
        "connect" => TransportError::Connect(message),
        "timeout" => TransportError::Timeout(message),
        "fatal" => TransportError::Fatal(message),
        _ => TransportError::Other(message),
    }
}

/// One request in flight. Made by the clients; driven by the package's JavaScript.
#[wasm_bindgen]
pub struct Exchange {
    retry: AuthorizedRetry,
    /// Where a REST client keeps the last rate-limit budget its answers reported.
    budget: Option<Budget>,
    reader: Reader,
    timeout: Duration,
    max_bytes: u64,
    /// The last `send` step's body, until `takeBody()` takes it.
    body: Option<String>,
}

fn ms(now_ms: f64) -> Duration {
    Duration::from_secs_f64((now_ms / 1000.0).max(0.0))
}

impl Exchange {
    pub(crate) fn new(request: Request, api: Api, o: &ClientOptions, reader: Reader) -> Exchange {
        Self::authorized(request, api, o, reader, None, None)
    }

    /// A REST exchange: its token from `source` (client credentials), its answers' rate-limit
    /// budget kept in `budget`.
    pub(crate) fn authorized(
        request: Request,
        api: Api,
        o: &ClientOptions,
        reader: Reader,
        source: Option<SharedTokenSource>,
        budget: Option<Budget>,
    ) -> Exchange {
        Exchange {
            retry: AuthorizedRetry::new(request, api, o.retry.clone(), source),
            budget,
            reader,
            timeout: o.timeout,
            max_bytes: o.max_response_bytes,
            body: None,
        }
    }

    /// Keeps the budget a REST answer reports (not the identity server's).
    fn saw(&self, response: &Response) {
        if let Some(budget) = &self.budget {
            if !self.retry.fetching_token() {
                if let Some(r) = RateLimit::from_response(response) {
                    budget.set(Some(r));
                }
            }
        }
    }

    /// The `done` step (or for a page, its `items` range) for the final response.
    fn done(&self, response: Response) -> Result<String, Error> {
        let result = match &self.reader {
            Reader::Json => rest::json_text(&response)?.to_owned(),
            Reader::Op(op) => json_text::write(&op.parse_json(&response)?),
            Reader::Event(op) => match op.parse(&response)?.dedup_key {
                Some(k) => quoted(&k),
                None => "null".to_owned(),
            },
            Reader::Page(pager) => {
                // The items are a slice of the body JavaScript still holds: say where, and it
                // decodes and parses just that (no copy of the page back out of wasm).
                let page = pager.borrow_mut().handle_response(response)?;
                return Ok(match page.items_range() {
                    Some(r) => format!("{{\"items\":[{},{}]}}", r.start, r.end),
                    // No array, or one a history walk thinned: the items themselves.
                    None => format!("{{\"done\":{}}}", page.items_json()),
                });
            }
        };
        Ok(format!("{{\"done\":{result}}}"))
    }

    /// The step as JSON text: one string across the boundary and one `JSON.parse` is cheaper
    /// than building the object field by field from wasm (measured per event).
    fn step(&mut self, step: Step) -> Result<String, Error> {
        Ok(match step {
            Step::Send(mut req) => {
                // Serialized from borrows: no copy of the URL into a Value first; the body apart.
                self.body = req.body.take();
                let mut send = Send::of(&req, self.timeout, self.max_bytes);
                send.body_apart = self.body.is_some();
                send.step_json()
            }
            // `as_millis` written as its whole seconds then three digits of milliseconds: the
            // same digits, without u128's division and formatter in the .wasm.
            Step::Wait(d) => match d.as_secs() {
                0 => format!("{{\"wait\":{}}}", d.subsec_millis()),
                s => format!("{{\"wait\":{s}{:03}}}", d.subsec_millis()),
            },
            Step::Done(r) => self.done(r?)?,
        })
    }
}

#[wasm_bindgen]
impl Exchange {
    /// The first step. `now_ms` is any monotonic clock in milliseconds.
    pub fn start(&mut self, now_ms: f64) -> Result<String, JsValue> {
        let s = self.retry.start(ms(now_ms));
        js(self.step(s))
    }

    /// After a `wait` step.
    pub fn resume(&mut self, now_ms: f64) -> Result<String, JsValue> {
        let s = self.retry.resume(ms(now_ms));
        js(self.step(s))
    }

    /// The answer to a `send` step: status, headers as `name\nvalue\nname\nvalue...` (one
    /// string: header names and values cannot hold a newline), the raw body. `random` is any
    /// number in [0, 1) for the backoff's jitter.
    pub fn response(
        &mut self,
        status: u16,
        headers: &str,
        body: Vec<u8>,
        now_ms: f64,
        random: f64,
    ) -> Result<String, JsValue> {
        let response = Response::new(status, header_pairs(headers), body);
        self.saw(&response);
        let s = self
            .retry
            .handle_response(response, ms(now_ms), jitter(random));
        js(self.step(s))
    }

    /// For a page whose body JavaScript parsed itself: `outline` is its top level in the
    /// core's outline form (`[key, value, ...]`, arrays as `[length]`, objects as `{}`).
    /// Answers `{"key": name}` (the page was good: its items are the body's `name` array; the
    /// exchange is over) or `{"body": true}` (only the body can tell: call `response` with it;
    /// nothing has changed).
    #[wasm_bindgen(js_name = pageOutline)]
    pub fn page_outline(
        &mut self,
        status: u16,
        headers: &str,
        outline: &str,
        now_ms: f64,
        random: f64,
    ) -> Result<String, JsValue> {
        const BODY: &str = "{\"body\":true}";
        let Reader::Page(pager) = &self.reader else {
            return Ok(BODY.to_owned());
        };
        if self.retry.fetching_token() {
            return Ok(BODY.to_owned());
        }
        let pager = pager.clone();
        let Some(outline) = Outline::from_json(outline) else {
            return Ok(BODY.to_owned());
        };
        let key = match pager.borrow().outline_items(status, &outline) {
            Some(k) => quoted(k),
            None => return Ok(BODY.to_owned()),
        };
        let response = Response::new(status, header_pairs(headers), Vec::new());
        self.saw(&response);
        match self
            .retry
            .handle_response(response, ms(now_ms), jitter(random))
        {
            Step::Done(Ok(response)) => {
                js(pager.borrow_mut().handle_outline(&response, &outline))?;
                Ok(format!("{{\"key\":{key}}}"))
            }
            other => js(self.step(other)),
        }
    }

    /// A `send` step got no answer: `kind` is `connect` (nothing was sent), `timeout`, `other`
    /// (the connection broke: the request may have been processed) or `fatal` (waiting will not
    /// heal it: an untrusted certificate, an unknown host, a redirect a browser hides; never
    /// retried). `message` says what happened (never the URL or a header).
    pub fn failure(
        &mut self,
        kind: &str,
        message: String,
        now_ms: f64,
        random: f64,
    ) -> Result<String, JsValue> {
        let e = transport_error(kind, message);
        let s = self
            .retry
            .handle_transport_error(e, ms(now_ms), jitter(random));
        js(self.step(s))
    }

    /// The answer to a `send` step was larger than its `maxBytes` and was not read further:
    /// ends the exchange with a `decode` error naming the cap.
    #[wasm_bindgen(js_name = tooLarge)]
    pub fn too_large(&mut self, status: u16, now_ms: f64) -> Result<String, JsValue> {
        let e = TransportError::TooLarge {
            status,
            limit: self.max_bytes,
        };
        let s = self.retry.handle_transport_error(e, ms(now_ms), 0);
        js(self.step(s))
    }

    /// The body of the `send` step just returned when it says `bodyApart` (each attempt's, once).
    #[wasm_bindgen(js_name = takeBody)]
    pub fn take_body(&mut self) -> Option<String> {
        self.body.take()
    }

    /// Attempts made so far.
    #[wasm_bindgen(getter)]
    pub fn attempts(&self) -> u32 {
        self.retry.attempts()
    }

    /// For an event: the dedup_key sent (yours or the generated one), so that an error can
    /// carry it and a caller can resend without opening a second alert.
    #[wasm_bindgen(getter, js_name = dedupKey)]
    pub fn dedup_key(&self) -> Option<String> {
        match &self.reader {
            Reader::Event(op) => op.dedup_key().map(str::to_owned),
            _ => None,
        }
    }
}

/// A REST client's last rate-limit budget, shared with its exchanges.
pub(crate) type Budget = Rc<std::cell::Cell<Option<RateLimit>>>;

/// `name\nvalue\nname\nvalue...` into pairs.
pub(crate) fn header_pairs(headers: &str) -> Vec<(String, String)> {
    let mut it = headers.split('\n');
    let mut pairs = Vec::new();
    while let (Some(k), Some(v)) = (it.next(), it.next()) {
        pairs.push((k.to_owned(), v.to_owned()));
    }
    pairs
}

/// A number in [0, 1) from JavaScript as the core's random `u64`.
pub(crate) fn jitter(random: f64) -> u64 {
    (random.clamp(0.0, 1.0) * u64::MAX as f64) as u64
}

#[cfg(test)]
mod tests {
    use super::{quoted, Send, SendStep};

    #[test]
    fn a_send_step_is_the_text_its_derive_writes() {
        let odd = "tab\there \"q\" \\ \u{1}\u{1f}\u{7f} é \u{2028} </script>";
        for headers in [
            vec![],
            vec!["Content-Type", "application/json", "X-Odd", odd],
        ] {
            for body in [None, Some(""), Some("{\"a\":\"\\n\"}"), Some(odd)] {
                for body_apart in [false, true] {
                    for (timeout_ms, max_bytes) in [(0, 0), (30_000, 1 << 53), (u64::MAX, 7)] {
                        let send = Send {
                            method: "POST",
                            url: "https://events.pagerduty.com/v2/enqueue?q=a%20b&x=\"",
                            headers: headers.clone(),
                            body,
                            body_apart,
                            timeout_ms,
                            max_bytes,
                        };
                        let ours = send.step_json();
                        let derived = serde_json::to_string(&SendStep { send }).unwrap();
                        assert_eq!(ours, derived);
                    }
                }
            }
        }
    }

    #[test]
    fn a_quoted_key_is_the_text_serde_json_writes() {
        for k in ["", "incidents", odd_key()] {
            assert_eq!(quoted(k), serde_json::to_string(k).unwrap());
            assert_eq!(quoted(k), serde_json::to_string(&Some(k)).unwrap());
        }
        assert_eq!(serde_json::to_string(&None::<String>).unwrap(), "null");
    }

    fn odd_key() -> &'static str {
        "a\"b\\c\u{0}\u{1f}\n\u{7f}é"
    }
}
