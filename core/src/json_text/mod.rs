//! JSON text in and out of a `serde_json::Value`: the one place the core turns bytes into a
//! value and a value into text, with the core's own reader and writer (issue 17: serde_json's
//! generic parser and serializer were a large part of the npm package's .wasm). serde_json
//! stays for the data types (`Value`, `Map`, `Number`).
//!
//! The reader accepts exactly what `serde_json::from_slice::<Value>` accepts and refuses the
//! rest with serde_json's message and position (`expected value at line 1 column 1`, `EOF
//! while parsing an object at line 1 column 9`, ...); the writer writes what
//! `serde_json::to_string` writes. `tests/json_text_differential.rs` and the
//! `json_differential` fuzz target hold both to serde_json.
//!
//! Without building values: [`check`] checks a text as [`parse`] does; [`skim`] checks it as
//! serde_json checks a value it skips (`IgnoredAny`, `RawValue`); [`elements`] says where each
//! element of an array lies, and [`Members`] reads an object member by member, each value as
//! asked (a `Value`, a string, an optional bool or string, an array's element spans, or
//! skipped), also an object inside a larger text ([`Members::open_at`]): what a list page needs
//! to hand on each item's text, and a webhook payload to be read as serde's derive reads it,
//! with serde_json's messages and positions. Skipping (here, in [`skim`] and [`elements`])
//! keeps a stack of open brackets, not a recursion: a million `[` cost memory, not the stack.

mod read;
mod write;

pub use read::Members;
pub use write::{string as write_string, write_into};

use serde_json::Value;

/// Why a text is not JSON: serde_json's wording, with the line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError(String);

impl SyntaxError {
    fn at(message: &str, line: usize, column: usize) -> Self {
        SyntaxError(format!("{message} at line {line} column {column}"))
    }
}

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SyntaxError {}

/// Parses one JSON text (whitespace around it allowed, nothing after it).
pub fn parse(text: &[u8]) -> Result<Value, SyntaxError> {
    read::parse(text)
}

/// Parses one JSON text that must be an object (as `serde_json::from_slice::<Map<String,
/// Value>>`: anything else is `invalid type: ..., expected a map`).
pub fn parse_object(text: &[u8]) -> Result<serde_json::Map<String, Value>, SyntaxError> {
    let mut members = Members::open(text, "a map")?;
    let mut map = serde_json::Map::new();
    while let Some(key) = members.next_key()? {
        let value = members.value()?;
        // A repeated key: the last value wins, as in serde_json.
        map.insert(key, value);
    }
    members.close()?;
    Ok(map)
}

/// Checks that `text` is one JSON text that [`parse`] accepts, building nothing.
pub fn check(text: &[u8]) -> Result<(), SyntaxError> {
    read::check(text)
}

/// Checks `text` as serde_json checks a value it skips (`IgnoredAny`, `RawValue`): the syntax
/// only, without [`parse`]'s range check of numbers, pairing of `\u` surrogate escapes or UTF-8
/// check of strings, and with no nesting limit.
pub fn skim(text: &[u8]) -> Result<(), SyntaxError> {
    read::skim(text)
}

/// Where each element of the array `text` lies (the elements checked as [`skim`] checks).
pub fn elements(text: &[u8]) -> Result<Vec<std::ops::Range<usize>>, SyntaxError> {
    read::elements(text)
}

/// The compact text of a value (as `serde_json::to_string`: no spaces, keys in the map's order).
pub fn write(value: &Value) -> String {
    let mut out = String::new();
    write_into(value, &mut out);
    out
}
