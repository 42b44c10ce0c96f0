//! Webhooks v3: signature verification and payload parsing.

use pagerduty_core::bindings::options::whole_number;
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
    let text = serde_json::to_string(&e).map_err(|x| Error::invalid("event", x.to_string()))?;
    Ok(parse(&text))
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
