//! The writer: a `Value` to the compact text `serde_json::to_string` writes, byte for byte (no
//! spaces, keys in the map's order, `/` and non-ASCII as they are, control characters as
//! `\b \f \n \r \t` or `\u00xx` in lowercase hex, numbers by `Number`'s Display, which is
//! serde_json's own itoa / shortest-float text).

use serde_json::Value;
use std::fmt::Write as _;

/// Appends the compact text of `value` to `out`.
pub fn write_into(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        // Writing into a String cannot fail.
        Value::Number(n) => drop(write!(out, "{n}")),
        Value::String(s) => string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_into(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                string(key, out);
                out.push(':');
                write_into(item, out);
            }
            out.push('}');
        }
    }
}

/// A string as JSON text, quoted and escaped as serde_json writes it, onto `out`
/// (`json_text::write_string`).
pub fn string(s: &str, out: &mut String) {
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\x08' => "\\b",
            b'\x0c' => "\\f",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        // Every byte escaped is ASCII, so these are char boundaries.
        out.push_str(&s[start..i]);
        start = i + 1;
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        } else {
            out.push_str(escape);
        }
    }
    out.push_str(&s[start..]);
    out.push('"');
}
