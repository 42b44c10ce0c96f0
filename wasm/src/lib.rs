//! # pagerduty-wasm
//!
//! The core compiled to WebAssembly for browsers, Node and workers. This crate is the raw
//! wasm-bindgen layer; the npm package's JavaScript (`npm/`) wraps it in the public API
//! (async iterators, `Error` subclasses, exact TypeScript types) and chooses the transport.
//!
//! - [`exchange`]: one request under the core's retry machine, driven from JavaScript (which
//!   does the fetch and the timers; see there why every call is synchronous).
//! - [`rest`], [`events`]: the clients, which make exchanges.
//! - [`outbox`]: the core's durable outbox; the package's `outbox.js` owns the journal file.
//! - [`webhook`], [`plain`]: webhook verification and the sans-IO build/parse functions.
//! - [`boundary`]: errors into JavaScript, JSON across the boundary.
//!
//! Values cross the boundary as JSON text: option objects go through `JSON.stringify` into
//! serde_json, results come back as text handed to `JSON.parse` (see `boundary`).

pub mod boundary;
pub mod events;
pub mod exchange;
#[cfg(feature = "outbox")]
pub mod outbox;
pub mod plain;
pub mod rest;
pub mod webhook;

use wasm_bindgen::prelude::*;

/// Registers the function that turns `(code, message, status, requestId, details)` into the
/// package's `Error` subclasses. Called once by the package at load.
#[wasm_bindgen(js_name = setErrorFactory)]
pub fn set_error_factory(factory: js_sys::Function) {
    boundary::set_error_factory(factory);
}

/// The core's version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// Every error code of the core (`"invalid_input"`, ...), so the package's tests can check
/// that each has its `Error` subclass.
#[wasm_bindgen(js_name = errorCodes)]
pub fn error_codes() -> Vec<String> {
    pagerduty_core::ErrorCode::ALL
        .iter()
        .filter(|c| **c != pagerduty_core::ErrorCode::Ok)
        .map(|c| c.as_str().to_owned())
        .collect()
}

/// The core's registry of typed operations as JSON text (`[{name, method, path, list, doc,
/// args}]`), so the package's tests can check that it has a method for each. The docs are empty
/// here: the module leaves them out (the declarations are generated on the host).
#[wasm_bindgen]
pub fn operations() -> String {
    pagerduty_core::json_text::write(&pagerduty_core::bindings::registry::to_json())
}

/// The keys of the core's options object, and of its `retry` object, so the package's tests
/// can check that it takes each (under its camelCase name).
#[wasm_bindgen(js_name = optionKeys)]
pub fn option_keys() -> Vec<String> {
    use pagerduty_core::bindings::options::{OPTION_KEYS, RETRY_KEYS};
    OPTION_KEYS
        .iter()
        .copied()
        .chain(
            RETRY_KEYS
                .iter()
                .map(|k| k.strip_suffix("_ms").unwrap_or(k)),
        )
        .map(str::to_owned)
        .collect()
}

/// Panics on purpose, so the package's tests can check that a panic (a wasm trap) becomes an
/// `InternalError` and leaves the module usable. Not part of the public API.
#[wasm_bindgen(js_name = __panicForTests)]
pub fn panic_for_tests() {
    panic!("deliberate panic for tests");
}
