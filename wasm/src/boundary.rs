//! Crossing into JavaScript: errors become the package's `Error` subclasses (through a factory
//! the package registers), and JSON moves as text.
//!
//! Why text: V8's `JSON.parse` builds a page of 100 incidents far faster than building the same
//! objects field by field across the boundary (serde-wasm-bindgen makes one JS call per value),
//! a page's item array is already a slice of the response body (`Page::items_range`: JavaScript
//! parses that slice of the body it still holds, see `exchange`), and JSON text never throws on
//! integers beyond 2^53 as serde-wasm-bindgen's JSON-compatible serializer does. Option objects are small; `JSON.stringify` + serde_json reads them with the
//! same code the C ABI uses (`pagerduty_core::bindings::options`).

use std::cell::RefCell;

use js_sys::{Function, Object, Reflect, JSON};
use pagerduty_core::bindings;
use pagerduty_core::json_text;
use pagerduty_core::Error;
use serde_json::Value;
use wasm_bindgen::prelude::*;

thread_local! {
    static FACTORY: RefCell<Option<Function>> = const { RefCell::new(None) };
}

pub(crate) fn set_error_factory(f: Function) {
    FACTORY.with(|c| *c.borrow_mut() = Some(f));
}

/// The details object of an error: the core's one projection ([`bindings::details`]), its
/// keys in JavaScript's camelCase, without the fields the error object carries itself.
fn details(e: &Error) -> Value {
    let Value::Object(all) = bindings::details(e) else {
        return Value::Null;
    };
    let mut d = serde_json::Map::new();
    for (k, v) in all {
        if v.is_null() || matches!(k.as_str(), "code" | "message" | "status" | "request_id") {
            continue;
        }
        d.insert(bindings::camel_case(&k), v);
    }
    Value::Object(d)
}

/// The JavaScript error for `e`.
pub fn to_js(e: Error) -> JsValue {
    let message = e.to_string();
    let status = e
        .status()
        .map_or(JsValue::UNDEFINED, |s| JsValue::from(s as u32));
    let request_id = e.request_id().map_or(JsValue::UNDEFINED, JsValue::from_str);
    let details = parse(&json_text::write(&details(&e)));
    let made = FACTORY.with(|c| {
        c.borrow().as_ref().map(|f| {
            let args = js_sys::Array::of5(
                &JsValue::from_str(e.code()),
                &JsValue::from_str(&message),
                &status,
                &request_id,
                &details,
            );
            f.apply(&JsValue::NULL, &args)
        })
    });
    match made {
        Some(Ok(err)) => err,
        // No factory registered (the raw module used directly): a plain Error with the fields.
        _ => {
            let err: JsValue = js_sys::Error::new(&message).into();
            let o: &Object = err.unchecked_ref();
            let _ = Reflect::set(o, &"code".into(), &JsValue::from_str(e.code()));
            let _ = Reflect::set(o, &"status".into(), &status);
            let _ = Reflect::set(o, &"requestId".into(), &request_id);
            let _ = Reflect::set(o, &"details".into(), &details);
            err
        }
    }
}

/// `Result<T, Error>` → `Result<T, JsValue>`.
pub fn js<T>(r: Result<T, Error>) -> Result<T, JsValue> {
    r.map_err(to_js)
}

/// JSON text to a JavaScript value (`null` if the text is not JSON, which the core never makes).
pub fn parse(text: &str) -> JsValue {
    JSON::parse(text).unwrap_or(JsValue::NULL)
}

/// A JavaScript value to serde_json through `JSON.stringify` (`undefined` → `null`).
pub fn value(v: &JsValue, what: &str) -> Result<Value, Error> {
    if v.is_undefined() || v.is_null() {
        return Ok(Value::Null);
    }
    let text = JSON::stringify(v)
        .map_err(|_| Error::invalid(what, "cannot be turned into JSON (a cycle or a BigInt?)"))?;
    let text: String = text.into();
    json_text::parse(text.as_bytes()).map_err(|e| Error::invalid(what, e.to_string()))
}

/// The core's options object from a JavaScript value.
pub fn options(v: &JsValue) -> Result<pagerduty_core::bindings::options::ClientOptions, Error> {
    pagerduty_core::bindings::options::ClientOptions::from_json(&value(v, "options")?)
}

/// 16 random bytes from JavaScript (the seed of a generated dedup_key), checked.
pub fn seed(random: &[u8]) -> Result<[u8; 16], Error> {
    random
        .try_into()
        .map_err(|_| Error::invalid("random", "must be 16 random bytes"))
}
