//! The sans-IO functions for callers with their own transport: the core's plain-JSON layer
//! (`pagerduty_core::bindings::plain`), the same specs the C ABI takes.

use pagerduty_core::bindings::oauth::oauth_json;
use pagerduty_core::bindings::plain::{
    api_from_name, build_request, headers_from_json, parse_response,
};
use pagerduty_core::http::Response;
use pagerduty_core::json_text;
use wasm_bindgen::prelude::*;

use crate::boundary::{js, parse, seed, value};

/// Builds a request from a spec object; returns `{api, method, url, headers, body, dedup_key}`.
/// The result holds the key: never log it. `random`: 16 fresh random bytes (a generated
/// dedup_key).
#[wasm_bindgen(js_name = buildRequest)]
pub fn build(spec: JsValue, random: &[u8]) -> Result<JsValue, JsValue> {
    let built = js(value(&spec, "spec").and_then(|s| build_request(&s, seed(random)?)))?;
    Ok(parse(&json_text::write(&built)))
}

/// Reads a response to a built request: the REST body, or `{status, message, dedup_key}` for
/// events; throws the typed error otherwise. `headers` is `[[name, value]]` or an object.
#[wasm_bindgen(js_name = parseResponse)]
pub fn parse_reply(
    api: &str,
    status: u16,
    headers: JsValue,
    body: &[u8],
) -> Result<JsValue, JsValue> {
    let api = js(api_from_name(api))?;
    let headers = js(value(&headers, "headers").and_then(headers_from_json))?;
    let response = Response::new(status, headers, body.to_vec());
    Ok(parse(&js(parse_response(api, &response))?))
}

/// OAuth for user apps (authorization code + PKCE): the core's plain-JSON spec
/// (`pagerduty_core::bindings::oauth`), `{action: "pkce" | "challenge" | "authorize_url" |
/// "code_exchange" | "refresh" | "parse_token", ...}`. `random`: 32 fresh bytes from
/// `crypto.getRandomValues` (read by `"pkce"` only). Throws the typed error.
#[wasm_bindgen]
pub fn oauth(spec: JsValue, random: &[u8]) -> Result<JsValue, JsValue> {
    let out = js(value(&spec, "spec").and_then(|s| oauth_json(&s, random)))?;
    Ok(parse(&json_text::write(&out)))
}
