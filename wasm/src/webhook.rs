//! Webhooks v3: signature verification and payload parsing.

use pagerduty_core::bindings::options::whole_number;
use pagerduty_core::json_text;
use pagerduty_core::webhook::{parse_event, WebhookVerifier as CoreVerifier};
use pagerduty_core::Error;
use wasm_bindgen::prelude::*;

use crate::boundary::{js, parse};

/// Checks `X-PagerDuty-Signature` against one or more secrets (several while rotating).
#[wasm_bindgen]
pub struct WebhookVerifier {
    inner: CoreVerifier,
}

fn event_value(e: pagerduty_core::webhook::WebhookEvent) -> Result<JsValue, Error> {
    // The derive's text, written by hand (no serializer for the typed event in the module).
    Ok(parse(&e.to_json()))
}

#[wasm_bindgen]
impl WebhookVerifier {
    /// A verifier for these secrets; `max_body` caps the bytes checked (0 = the default, 1 MiB).
    /// A number, checked here (a `u32` parameter would wrap -1 into "no cap").
    #[wasm_bindgen(constructor)]
    pub fn new(secrets: Vec<String>, max_body: f64) -> Result<WebhookVerifier, JsValue> {
        let refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
        let mut inner = js(CoreVerifier::new(&refs))?;
        let max_body = js(whole_number("maxBodyBytes", max_body, u32::MAX.into()))?;
        if max_body > 0 {
            inner = inner.with_max_body(max_body as usize);
        }
        Ok(WebhookVerifier { inner })
    }

    /// Throws `InvalidSignatureError` unless one of the header's signatures matches the raw body.
    pub fn verify(&self, header: &str, body: &[u8]) -> Result<(), JsValue> {
        js(self.inner.verify(header, body))
    }

    /// Verifies, then parses the payload's `event`.
    #[wasm_bindgen(js_name = verifyAndParse)]
    pub fn verify_and_parse(&self, header: &str, body: &[u8]) -> Result<JsValue, JsValue> {
        js(self
            .inner
            .verify_and_parse(header, body)
            .and_then(event_value))
    }
}

/// Parses a webhook payload without checking its signature (for payloads verified elsewhere).
#[wasm_bindgen(js_name = parseWebhookEvent)]
pub fn parse_webhook_event(body: &[u8]) -> Result<JsValue, JsValue> {
    js(parse_event(body).and_then(event_value))
}

/// The `X-Webhook-Id`s of the webhooks handled: the core's bounded LRU.
#[wasm_bindgen]
pub struct ReplayGuard {
    inner: pagerduty_core::webhook_events::ReplayGuard,
}

#[wasm_bindgen]
impl ReplayGuard {
    /// A guard remembering up to `capacity` IDs (a whole number, 1 to 10,000,000).
    #[wasm_bindgen(constructor)]
    pub fn new(capacity: f64) -> Result<ReplayGuard, JsValue> {
        let n = js(whole_number("capacity", capacity, u32::MAX.into()))?;
        Ok(ReplayGuard {
            inner: js(pagerduty_core::webhook_events::ReplayGuard::new(n as usize))?,
        })
    }
    /// Whether this webhook ID was remembered before.
    pub fn seen(&mut self, id: &str) -> bool {
        self.inner.seen(id)
    }
    /// Remembers this webhook ID as handled.
    pub fn remember(&mut self, id: &str) {
        self.inner.remember(id)
    }
    /// Forgets this webhook ID.
    pub fn forget(&mut self, id: &str) {
        self.inner.forget(id)
    }
    /// How many IDs are remembered.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> f64 {
        self.inner.len() as f64
    }
}

/// The core's webhook event types: `[[name, code, dataType], ...]`.
#[wasm_bindgen(js_name = webhookEventTypes)]
pub fn webhook_event_types() -> JsValue {
    use pagerduty_core::webhook_events::WebhookEventType;
    let list: Vec<serde_json::Value> = WebhookEventType::ALL
        .iter()
        .map(|t| {
            let row: Vec<serde_json::Value> =
                vec![t.as_str().into(), (*t as i32).into(), t.data_type().into()];
            serde_json::Value::Array(row)
        })
        .collect();
    parse(&json_text::write(&serde_json::Value::Array(list)))
}

/// A dedup key from named fields (an object of name: string, number or boolean).
#[wasm_bindgen(js_name = dedupKey)]
pub fn dedup_key(fields_json: &str) -> Result<String, JsValue> {
    let v: serde_json::Value = js(json_text::parse(fields_json.as_bytes())
        .map_err(|e| Error::invalid("fields", e.to_string())))?;
    js(pagerduty_core::dedup::dedup_key_json(&v))
}

/// Milliseconds to wait after the `attempt`-th lookup of a dedup key found nothing, or -1
/// once the deadline passed (the core's schedule).
#[wasm_bindgen(js_name = dedupPollWait)]
pub fn dedup_poll_wait(attempt: u32, elapsed_ms: f64, deadline_ms: f64) -> f64 {
    let ms = |x: f64| {
        std::time::Duration::from_millis(if x.is_finite() && x > 0.0 {
            x as u64
        } else {
            0
        })
    };
    pagerduty_core::dedup::poll_wait(attempt, ms(elapsed_ms), ms(deadline_ms))
        .map_or(-1.0, |d| d.as_millis() as f64)
}
