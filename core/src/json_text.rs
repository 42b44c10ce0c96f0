//! JSON text in and out of a `serde_json::Value`: the one place the core turns bytes into a
//! value and a value into text, so that the reader and writer can be the core's own (issue 17:
//! serde_json's generic parser and serializer are a large part of the npm package's .wasm).
//!
//! For now these delegate to serde_json; the messages are serde_json's (`expected value at
//! line 1 column 1`, `EOF while parsing an object at line 1 column 9`, ...).

use serde_json::Value;

/// Why a text is not JSON: serde_json's wording, with the line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError(String);

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SyntaxError {}

/// Parses one JSON text (whitespace around it allowed, nothing after it).
pub fn parse(text: &[u8]) -> Result<Value, SyntaxError> {
    serde_json::from_slice(text).map_err(|e| SyntaxError(e.to_string()))
}

/// The compact text of a value (as `serde_json::to_string`: no spaces, keys in the map's order).
pub fn write(value: &Value) -> String {
    // A `Value` always serializes (its keys are strings).
    serde_json::to_string(value).unwrap_or_default()
}
