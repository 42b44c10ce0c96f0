//! The core's own JSON reader and writer (`json_text`) held against serde_json (issue 17): for
//! every input, `json_text::parse` and `serde_json::from_slice::<Value>` give the same value
//! (the same number kinds, floats to the bit) or errors with the same text, line and column
//! included; for every value, `json_text::write` is `serde_json::to_string` byte for byte and
//! its text reads back to the same value; `check` accepts exactly what `parse` does, `skim`
//! what serde_json's `IgnoredAny` does, and `elements` finds what its `Vec<&RawValue>` does.
//! Hostile inputs first, then seeded random documents and corruptions of them.
//!
//! One deliberate difference is left out of the comparison (see `raw_value_key`): an object
//! whose first key is serde_json's private `$serde_json::private::RawValue` token.

use pagerduty_core::json_text;
use serde::de::IgnoredAny;
use serde_json::value::RawValue;
use serde_json::Value;

const HOSTILE: &[&str] = &[
    // Empty input and whitespace.
    "",
    " ",
    "\n",
    "\t\r\n ",
    "\u{feff}",
    "\u{feff}{}",
    "\u{feff}1",
    "\x0c1",
    "\x0b1",
    "1\x0c",
    "\u{a0}1",
    "1 ",
    " 1",
    "\n\n  1  \n",
    "\r\n[\r\n1\r\n]\r\n",
    // Literals.
    "null",
    "true",
    "false",
    "nul",
    "nulll",
    "tru",
    "fals",
    "nUll",
    "True",
    "NULL",
    "n",
    "t",
    "f",
    "null1",
    "truefalse",
    "[nul]",
    "[tru",
    "nan",
    "NaN",
    "Infinity",
    "-Infinity",
    "inf",
    "undefined",
    // Numbers.
    "0",
    "-0",
    "00",
    "-00",
    "01",
    "-01",
    "0.0",
    "-0.0",
    "1.0",
    "1.",
    "1.e1",
    ".1",
    "-.1",
    "+1",
    "1e",
    "1e+",
    "1e-",
    "1E2",
    "1e2",
    "1e+2",
    "1e-2",
    "1E-2",
    "1.5e3",
    "-1.5E-3",
    "1x",
    "1.5x",
    "0x10",
    "- 1",
    "--1",
    "-",
    "-a",
    "1e1.5",
    "1.2.3",
    "1e2e3",
    "0e0",
    "0e999999999999",
    "0e-99999999999",
    "1e400",
    "-1e400",
    "1e-400",
    "-1e-400",
    "1e308",
    "1.7976931348623157e308",
    "1.7976931348623159e308",
    "2e308",
    "4.9e-324",
    "5e-324",
    "2.4e-324",
    "2.2250738585072014e-308",
    "1e2147483647",
    "1e2147483648",
    "1e-2147483648",
    "1e-2147483649",
    "0e2147483648",
    "1e99999999999999999999",
    "-1e99999999999999999999",
    "1e-99999999999999999999",
    "0.000000000000000000000000000000000000001",
    "123456789012345678901234567890",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775807",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "-18446744073709551615",
    "-18446744073709551616",
    "184467440737095516150",
    "18446744073709551615.5",
    "1844674407370955161.5",
    "0.18446744073709551615",
    "1.8446744073709551616e19",
    "99999999999999999999999999999999999999e-20",
    "1234567890123456789012.345e-3",
    "3.141592653589793238462643383279",
    "0.1",
    "0.2",
    "0.30000000000000004",
    "1e22",
    "1e23",
    "8.98846567431158e307",
    "[1,-1,1.5,-1.5,1e5,1E-5]",
    "[01]",
    "[1.]",
    "[-]",
    "[1e]",
    "{\"a\":1.}",
    "{\"a\":-}",
    "[1 2]",
    "[0-1]",
    "-0e0",
    "-0.0e-0",
    // Strings.
    "\"\"",
    "\"",
    "\"abc",
    "\"abc\\",
    "\"\\\"",
    "\"\\\"\"",
    "\"\\\\\"",
    "\"\\/\"",
    "\"\\b\\f\\n\\r\\t\"",
    "\"\\a\"",
    "\"\\x41\"",
    "\"\\'\"",
    "\"\\0\"",
    "\"\\u\"",
    "\"\\u1\"",
    "\"\\u12\"",
    "\"\\u123\"",
    "\"\\u1234\"",
    "\"\\u12345\"",
    "\"\\u12g4\"",
    "\"\\uABCD\"",
    "\"\\uabcd\"",
    "\"\\U0041\"",
    "\"\\u0000\"",
    "\"\\u001f\"",
    "\"\\u007f\"",
    "\"\\u0080\"",
    "\"\\uffff\"",
    "\"\\ufffe\"",
    "\"\\ud83d\\ude00\"",
    "\"\\uD83D\\uDE00\"",
    "\"\\ud83d\"",
    "\"\\ud83d\\\"",
    "\"\\ud83d\\u\"",
    "\"\\ud83d\\ud83d\"",
    "\"\\ude00\"",
    "\"\\ude00\\ud83d\"",
    "\"\\ud83dx\"",
    "\"\\ud83d\\n\"",
    "\"\\ud83d\\u0041\"",
    "\"\\udbff\\udfff\"",
    "\"\\ud800\\udc00\"",
    "\"\\ud83d",
    "\"\\ud83d\\",
    "\"\\ud83d\\u12",
    "\"\\ud83d\\ude0",
    "\"a\u{0}b\"",
    "\"a\nb\"",
    "\"a\tb\"",
    "\"\x1f\"",
    "\"\x7f\"",
    "\"\u{e9}\"",
    "\"\u{1f600}\"",
    "\"\u{2028}\u{2029}\"",
    "\"/\"",
    "'a'",
    "\"a\"\"b\"",
    "\"a\" x",
    "[\"a\nb\"]",
    "{\"a\nb\":1}",
    "\"\\u0041\\u00e9\\u4e2d\"",
    // Arrays.
    "[]",
    "[",
    "]",
    "[,]",
    "[1,]",
    "[1,,2]",
    "[,1]",
    "[1",
    "[1,",
    "[1 ,",
    "[ ]",
    "[\n]",
    "[[]]",
    "[[]",
    "[]]",
    "[1]x",
    "[1] [2]",
    "[1}",
    "[{]",
    "[\"a\":1]",
    "[null,true,false]",
    "[1,\n]",
    "[1 , 2 , 3 ]",
    "[  ",
    "[1,  ",
    "[1 2",
    "[\"]",
    // Objects.
    "{}",
    "{",
    "}",
    "{,}",
    "{\"a\"}",
    "{\"a\":}",
    "{\"a\":1,}",
    "{\"a\":1",
    "{\"a\":1,",
    "{\"a\" 1}",
    "{\"a\":1 \"b\":2}",
    "{a:1}",
    "{1:1}",
    "{null:1}",
    "{\"a\":1,\"a\":2}",
    "{\"a\":1,\"b\":2,\"a\":3}",
    "{\"\":0}",
    "{\"a\":{\"b\":{\"c\":[]}}}",
    "{\"a\"",
    "{\"a\" ",
    "{\"a\":",
    "{\"a\": ",
    "{\"a",
    "{\"",
    "{\"a\":1}}",
    "{\"a\":1]",
    "{\"a\":1,\"b\"",
    "{\"a\":1,1}",
    "{\"a\":1, }",
    "{ \"a\" : 1 }",
    "{\"b\":1,\"a\":2,\"c\":3}",
    "{\"a\":[1,{\"b\":null}]}",
    "{'a':1}",
    "{\"a\"::1}",
    "{\"a\":1:2}",
    "{\"\\ud83d\":1}",
    "{\"\\u0000\":1}",
    "{\"a\\\"b\":1}",
    // Positions over several lines.
    "[\n1,\n2,\n]",
    "{\n\"a\": 1,\n\"b\":\n}",
    "\n\n\n   x",
    "[\n\n  \"abc\ndef\"]",
    "[1,\n\n\n\n  ?]",
    "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": tru\n}",
    "\"\n\"",
    "\n\"\\ud83d\\u0041\"",
    // Recursion: serde_json refuses the 128th level.
    // (Generated ones follow in `nesting`.)
];

/// Invalid UTF-8 and other byte-level cases that a `&str` cannot hold.
const HOSTILE_BYTES: &[&[u8]] = &[
    b"\"\xff\"",
    b"\"a\xffb\"",
    b"\"\xc3\"",
    b"\"\xc3\x28\"",
    b"\"\xe2\x82\"",
    b"\"\xed\xa0\x80\"",
    b"\"\xf4\x90\x80\x80\"",
    b"\"\xf0\x9f\x98\"",
    b"\"\xc0\xaf\"",
    b"\"\\n\xff\"",
    b"\"\xffabc\\n\"",
    b"[\"ok\",\"\xfe\"]",
    b"{\"\xff\":1}",
    b"{\"a\":\"\xff\"}",
    b"\xff",
    b"[\xff]",
    b"\"\xff",
    b"\"\xff\x01\"",
    b"\x00",
    b"[\x00]",
    b"1\x00",
    b"\"\\u0041\xff\"",
    b"\n\n\"abc\xffdef\"",
    b"\xef\xbb\xbf{}",
    b"\"\x80\x80\x80\x80\"",
    b"\"\\ud83d\\ude00\xff\"",
];

#[derive(Debug)]
enum Outcome {
    Value,
    Error(String),
}

/// Same value with the same number kinds and float bits, or the same message.
fn same(ours: &Result<Value, String>, theirs: &Result<Value, String>) -> bool {
    match (ours, theirs) {
        (Ok(a), Ok(b)) => a == b && serde_json::to_string(a).ok() == serde_json::to_string(b).ok(),
        (Err(a), Err(b)) => a == b,
        _ => false,
    }
}

fn check(input: &[u8]) -> Outcome {
    let ours = json_text::parse(input).map_err(|e| e.to_string());
    let theirs = serde_json::from_slice::<Value>(input).map_err(|e| e.to_string());
    assert!(
        same(&ours, &theirs),
        "input {:?}\n ours:   {ours:?}\n theirs: {theirs:?}",
        String::from_utf8_lossy(input)
    );
    // check accepts exactly what parse accepts, with the same message.
    let checked = json_text::check(input).map_err(|e| e.to_string());
    assert_eq!(
        checked.err(),
        ours.as_ref().err().cloned(),
        "check {input:?}"
    );
    // parse_object reads what serde_json reads as a Map.
    let object = json_text::parse_object(input)
        .map(Value::Object)
        .map_err(|e| e.to_string());
    let map = serde_json::from_slice::<serde_json::Map<String, Value>>(input)
        .map(Value::Object)
        .map_err(|e| e.to_string());
    assert!(
        same(&object, &map),
        "parse_object {input:?}: {object:?} vs {map:?}"
    );
    // skim checks as serde_json skips a value (IgnoredAny), elements as it reads an array of
    // raw values.
    let skimmed = json_text::skim(input).map_err(|e| e.to_string());
    let ignored = serde_json::from_slice::<IgnoredAny>(input)
        .map(drop)
        .map_err(|e| e.to_string());
    assert_eq!(skimmed, ignored, "skim {input:?}");
    if let Ok(text) = std::str::from_utf8(input) {
        let ours = json_text::elements(input).map_err(|e| e.to_string());
        let theirs = serde_json::from_str::<Vec<&RawValue>>(text)
            .map(|items| {
                items
                    .iter()
                    .map(|i| {
                        let start = i.get().as_ptr() as usize - text.as_ptr() as usize;
                        start..start + i.get().len()
                    })
                    .collect::<Vec<_>>()
            })
            .map_err(|e| e.to_string());
        assert_eq!(ours, theirs, "elements {input:?}");
    }
    match ours {
        Ok(v) => {
            check_write(&v);
            Outcome::Value
        }
        Err(e) => Outcome::Error(e),
    }
}

fn check_write(v: &Value) {
    let ours = json_text::write(v);
    assert_eq!(ours, serde_json::to_string(v).unwrap(), "write {v:?}");
    let mut into = String::from("x");
    json_text::write_into(v, &mut into);
    assert_eq!(&into[1..], ours);
    // Read back, the text gives the value again, except that a float can come back a few
    // ULPs away: serde_json's reader (so json_text's) is not correctly rounded without
    // `float_roundtrip`. Whatever it gives, it is what serde_json's own round trip gives.
    let back = json_text::parse(ours.as_bytes()).map_err(|e| e.to_string());
    let serde_back = serde_json::from_str::<Value>(&ours).map_err(|e| e.to_string());
    assert!(same(&back, &serde_back), "round trip {ours}");
    if !ours.contains(['.', 'e']) {
        assert_eq!(back.as_ref().ok(), Some(v), "round trip {ours}");
    }
}

#[test]
fn hostile_texts() {
    let (mut values, mut errors) = (0, 0);
    for input in HOSTILE {
        match check(input.as_bytes()) {
            Outcome::Value => values += 1,
            Outcome::Error(_) => errors += 1,
        }
    }
    for input in HOSTILE_BYTES {
        check(input);
    }
    assert!(
        values > 50 && errors > 150,
        "{values} values, {errors} errors"
    );
}

#[test]
fn every_error_message_is_met() {
    let mut messages = std::collections::BTreeSet::new();
    for input in HOSTILE
        .iter()
        .map(|s| s.as_bytes())
        .chain(HOSTILE_BYTES.iter().copied())
    {
        if let Outcome::Error(e) = check(input) {
            messages.insert(e[..e.find(" at line").unwrap()].to_owned());
        }
    }
    for m in [
        "EOF while parsing a list",
        "EOF while parsing an object",
        "EOF while parsing a string",
        "EOF while parsing a value",
        "expected `:`",
        "expected `,` or `]`",
        "expected `,` or `}`",
        "expected ident",
        "expected value",
        "invalid escape",
        "invalid number",
        "number out of range",
        "invalid unicode code point",
        "control character (\\u0000-\\u001F) found while parsing a string",
        "key must be a string",
        "lone leading surrogate in hex escape",
        "trailing comma",
        "trailing characters",
        "unexpected end of hex escape",
    ] {
        assert!(messages.contains(m), "no input met {m:?}: {messages:?}");
    }
}

#[test]
fn nesting() {
    for depth in [1, 2, 126, 127, 128, 129, 200, 10_000, 100_000] {
        for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
            let full = format!("{}1{}", open.repeat(depth), close.repeat(depth));
            check(full.as_bytes());
            // Unclosed, and closed one short.
            check(format!("{}1", open.repeat(depth)).as_bytes());
            check(&full.as_bytes()[..full.len() - 1]);
        }
        let mixed: String = (0..depth)
            .map(|i| if i % 2 == 0 { "[" } else { "{\"k\":" })
            .collect();
        check(mixed.as_bytes());
    }
    let at_limit = format!("{}{}", "[".repeat(127), "]".repeat(127));
    assert!(json_text::parse(at_limit.as_bytes()).is_ok());
    let over = format!("{}{}", "[".repeat(128), "]".repeat(128));
    assert_eq!(
        json_text::parse(over.as_bytes()).unwrap_err().to_string(),
        "recursion limit exceeded at line 1 column 128"
    );
}

#[test]
fn number_kinds() {
    let kind = |s: &str| match json_text::parse(s.as_bytes()).unwrap() {
        Value::Number(n) if n.is_u64() => "u64",
        Value::Number(n) if n.is_i64() => "i64",
        Value::Number(_) => "f64",
        _ => "other",
    };
    assert_eq!(kind("0"), "u64");
    assert_eq!(kind("-0"), "f64");
    assert_eq!(kind("18446744073709551615"), "u64");
    assert_eq!(kind("18446744073709551616"), "f64");
    assert_eq!(kind("-9223372036854775808"), "i64");
    assert_eq!(kind("-9223372036854775809"), "f64");
    assert_eq!(kind("1.0"), "f64");
    assert_eq!(kind("1E2"), "f64");
    assert_eq!(json_text::write(&json_text::parse(b"-0").unwrap()), "-0.0");
    assert_eq!(
        json_text::parse(b"1e400").unwrap_err().to_string(),
        "number out of range at line 1 column 5"
    );
}

#[test]
fn written_texts() {
    let v = serde_json::json!({
        "s": "quote \" backslash \\ slash / \u{0} \u{1f} \u{7f} \u{8} \u{c} \n \r \t é 😀 \u{2028}",
        "n": [0, -1, 1.5, -0.0, 1e300, 5e-324, u64::MAX, i64::MIN, 0.1, 1e16, 1e15, 123456789.0],
        "o": {"b": null, "a": [true, false, {}, []]},
        "": ""
    });
    check_write(&v);
    for c in 0u8..0x80 {
        check_write(&Value::String(char::from(c).to_string()));
    }
}

/// serde_json reads an object whose first key is its private raw-value token as the JSON text
/// in the member's string; json_text reads it as the ordinary object it is.
#[test]
fn raw_value_key() {
    let text = br#"{"$serde_json::private::RawValue":"[1]"}"#;
    assert_eq!(
        serde_json::from_slice::<Value>(text).unwrap(),
        serde_json::json!([1])
    );
    assert_eq!(
        json_text::parse(text).unwrap(),
        serde_json::json!({"$serde_json::private::RawValue": "[1]"})
    );
}

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "1",
    "-1",
    "7",
    "42",
    "-42",
    "0.5",
    "-0.5",
    "1.0",
    "1e3",
    "1E-3",
    "2.5e+10",
    "1e308",
    "1e309",
    "-1e309",
    "1e-320",
    "1e-400",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "123456789012345678901234567890",
    "0.1234567890123456789012345",
    "3.14159",
    "6.02214076e23",
    "1.7976931348623157e308",
    "2.2250738585072014e-308",
    "4.9e-324",
    "100000000000000000000e-10",
];

const STRINGS: &[&str] = &[
    "",
    "a",
    "abc",
    "id",
    "incidents",
    "more",
    "é",
    "中文",
    "😀",
    "\\n",
    "\\\"",
    "\\\\",
    "\\/",
    "\\b\\f\\r\\t",
    "\\u0041",
    "\\u00e9",
    "\\ud83d\\ude00",
    "\\u0000",
    "\\u001f",
    "a b",
    "\u{7f}",
    "\u{2028}",
    "<script>",
    "\\uFFFF",
    "x\\ty",
];

const SPACE: &[&str] = &["", "", "", " ", "\n", "\t", "\r\n", "  "];

fn gen_value(rng: &mut Rng, depth: usize, out: &mut String) {
    let kind = if depth > 6 {
        rng.below(5)
    } else {
        rng.below(8)
    };
    match kind {
        0 => out.push_str(rng.pick(&["null", "true", "false"])),
        1 | 2 => out.push_str(rng.pick(NUMBERS)),
        3 => {
            if rng.below(4) == 0 {
                // A random number built digit by digit.
                if rng.below(2) == 0 {
                    out.push('-');
                }
                let digits = 1 + rng.below(25);
                for i in 0..digits {
                    let d = rng.below(10);
                    out.push(char::from(
                        b'0' + if i == 0 && digits > 1 { 1 + d % 9 } else { d } as u8,
                    ));
                }
                if rng.below(2) == 0 {
                    out.push('.');
                    for _ in 0..1 + rng.below(20) {
                        out.push(char::from(b'0' + rng.below(10) as u8));
                    }
                }
                if rng.below(3) == 0 {
                    out.push_str(rng.pick(&["e", "E", "e+", "e-", "E-"]));
                    out.push_str(&rng.below(400).to_string());
                }
            } else {
                out.push_str(&(rng.next() as i64 >> rng.below(64)).to_string());
            }
        }
        4 => {
            out.push('"');
            for _ in 0..rng.below(4) {
                out.push_str(rng.pick(STRINGS));
            }
            out.push('"');
        }
        5 | 6 => {
            out.push('[');
            for i in 0..rng.below(5) {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(rng.pick(SPACE));
                gen_value(rng, depth + 1, out);
                out.push_str(rng.pick(SPACE));
            }
            out.push(']');
        }
        _ => {
            out.push('{');
            for i in 0..rng.below(5) {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(rng.pick(SPACE));
                out.push('"');
                out.push_str(rng.pick(STRINGS));
                out.push('"');
                out.push_str(rng.pick(SPACE));
                out.push(':');
                out.push_str(rng.pick(SPACE));
                gen_value(rng, depth + 1, out);
            }
            out.push('}');
        }
    }
}

const NOISE: &[u8] =
    b"[]{}:,\"\\/ \n\t\r0123456789-+.eEu01nultrfase\x00\x1f\x7f\x80\xbf\xc3\xed\xf0\xff";

fn mutate(rng: &mut Rng, mut bytes: Vec<u8>) -> Vec<u8> {
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(6) {
            0 => bytes.truncate(at),
            1 if at < bytes.len() => bytes[at] = NOISE[rng.below(NOISE.len())],
            2 => bytes.insert(at, NOISE[rng.below(NOISE.len())]),
            3 if at < bytes.len() => drop(bytes.remove(at)),
            4 => {
                let end = (at + rng.below(8)).min(bytes.len());
                let piece = bytes[at..end].to_vec();
                bytes.splice(at..at, piece);
            }
            _ => {
                let b = rng.below(256) as u8;
                bytes.insert(at, b);
            }
        }
    }
    bytes
}

#[test]
fn seeded_random_documents_and_corruptions() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut values, mut errors) = (0, 0);
    for _ in 0..25_000 {
        let mut text = String::new();
        out_space(&mut rng, &mut text);
        gen_value(&mut rng, 0, &mut text);
        out_space(&mut rng, &mut text);
        for input in [
            text.as_bytes().to_vec(),
            mutate(&mut rng, text.clone().into_bytes()),
        ] {
            match check(&input) {
                Outcome::Value => values += 1,
                Outcome::Error(_) => errors += 1,
            }
        }
    }
    assert!(
        values > 20_000 && errors > 10_000,
        "{values} values, {errors} errors"
    );
}

fn out_space(rng: &mut Rng, out: &mut String) {
    out.push_str(rng.pick(SPACE));
}
