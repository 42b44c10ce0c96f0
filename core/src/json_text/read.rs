//! The reader: JSON text to a `Value`, accepting exactly what `serde_json::from_slice::<Value>`
//! accepts, building the same `Value` and refusing the rest with serde_json's message at
//! serde_json's position. It follows serde_json's `Deserializer` step by step (which byte is
//! peeked, which consumed, where each error points), so that the differential test
//! (`tests/json_text_differential.rs`) can hold it to byte-identical results and messages.
//!
//! Numbers are read as serde_json reads them without its `float_roundtrip` feature (the
//! workspace's build): an integer is a `u64` when it is non-negative and fits, an `i64` when it
//! is negative and fits (`-0` is the float `-0.0`), else a float made from at most 19
//! significant digits scaled by a power of ten from [`POW10`]. That rounding can be one ULP
//! away from the nearest float on rare inputs; it is serde_json's, kept so that a value reads
//! the same whichever parser read it.

use super::SyntaxError;
use serde_json::{Map, Number, Value};
use std::ops::Range;

/// serde_json's nesting limit: the 128th `[` or `{` inside one another is refused.
const RECURSION_LIMIT: usize = 128;

// serde_json's messages (`ErrorCode`'s Display).
const EOF_LIST: &str = "EOF while parsing a list";
const EOF_OBJECT: &str = "EOF while parsing an object";
const EOF_STRING: &str = "EOF while parsing a string";
const EOF_VALUE: &str = "EOF while parsing a value";
const EXPECTED_COLON: &str = "expected `:`";
const EXPECTED_LIST_COMMA_OR_END: &str = "expected `,` or `]`";
const EXPECTED_OBJECT_COMMA_OR_END: &str = "expected `,` or `}`";
const EXPECTED_IDENT: &str = "expected ident";
const EXPECTED_VALUE: &str = "expected value";
const INVALID_ESCAPE: &str = "invalid escape";
const INVALID_NUMBER: &str = "invalid number";
const NUMBER_OUT_OF_RANGE: &str = "number out of range";
const INVALID_CODE_POINT: &str = "invalid unicode code point";
const CONTROL_CHARACTER: &str = "control character (\\u0000-\\u001F) found while parsing a string";
const KEY_MUST_BE_A_STRING: &str = "key must be a string";
const LONE_LEADING_SURROGATE: &str = "lone leading surrogate in hex escape";
const TRAILING_COMMA: &str = "trailing comma";
const TRAILING_CHARACTERS: &str = "trailing characters";
const UNEXPECTED_END_OF_HEX_ESCAPE: &str = "unexpected end of hex escape";
const RECURSION_LIMIT_EXCEEDED: &str = "recursion limit exceeded";

type Result<T> = std::result::Result<T, SyntaxError>;

pub(super) struct Reader<'a> {
    text: &'a [u8],
    index: usize,
    /// How many more `[` / `{` may open (serde_json's `remaining_depth`).
    remaining_depth: usize,
    /// The current string's bytes, unescaped.
    scratch: Vec<u8>,
    /// Build values (false: only check the text).
    keep: bool,
}

impl<'a> Reader<'a> {
    fn new(text: &'a [u8], keep: bool) -> Self {
        Reader {
            text,
            index: 0,
            remaining_depth: RECURSION_LIMIT,
            scratch: Vec::new(),
            keep,
        }
    }

    /// One value and nothing but whitespace after it.
    fn document(&mut self) -> Result<Value> {
        let value = self.value()?;
        match self.whitespace() {
            Some(_) => Err(self.peek_error(TRAILING_CHARACTERS)),
            None => Ok(value),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.index).copied()
    }

    fn peek_or_null(&self) -> u8 {
        self.peek().unwrap_or(0)
    }

    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.index += 1;
        Some(b)
    }

    fn eat(&mut self) {
        self.index += 1;
    }

    /// An error about the byte just consumed (serde_json's `error`).
    fn error(&self, message: &str) -> SyntaxError {
        self.error_at(message, self.index)
    }

    /// An error about the byte about to be consumed (serde_json's `peek_error`).
    fn peek_error(&self, message: &str) -> SyntaxError {
        self.error_at(message, self.text.len().min(self.index + 1))
    }

    fn error_at(&self, message: &str, i: usize) -> SyntaxError {
        let (line, column) = self.position(i);
        SyntaxError::at(message, line, column)
    }

    /// serde_json's line (from 1) and column (bytes since the line's start) of index `i`.
    fn position(&self, i: usize) -> (usize, usize) {
        let before = &self.text[..i.min(self.text.len())];
        let start_of_line = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        let line = 1 + before[..start_of_line]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        (line, before.len() - start_of_line)
    }

    /// Skips whitespace and returns the next byte, not consumed.
    fn whitespace(&mut self) -> Option<u8> {
        loop {
            match self.peek() {
                Some(b' ' | b'\n' | b'\t' | b'\r') => self.eat(),
                other => return other,
            }
        }
    }

    fn value(&mut self) -> Result<Value> {
        let Some(peek) = self.whitespace() else {
            return Err(self.peek_error(EOF_VALUE));
        };
        match peek {
            b'n' => {
                self.eat();
                self.ident(b"ull")?;
                Ok(Value::Null)
            }
            b't' => {
                self.eat();
                self.ident(b"rue")?;
                Ok(Value::Bool(true))
            }
            b'f' => {
                self.eat();
                self.ident(b"alse")?;
                Ok(Value::Bool(false))
            }
            b'-' => {
                self.eat();
                self.integer(false)
            }
            b'0'..=b'9' => self.integer(true),
            b'"' => {
                self.eat();
                let keep = self.keep;
                Ok(match self.string(keep)? {
                    Some(s) => Value::String(s),
                    None => Value::Null,
                })
            }
            b'[' | b'{' => {
                self.enter()?;
                let value = if peek == b'[' {
                    self.array()
                } else {
                    self.object()
                };
                self.remaining_depth += 1;
                value
            }
            _ => Err(self.peek_error(EXPECTED_VALUE)),
        }
    }

    fn ident(&mut self, rest: &[u8]) -> Result<()> {
        for &expected in rest {
            match self.next() {
                None => return Err(self.error(EOF_VALUE)),
                Some(b) if b != expected => return Err(self.error(EXPECTED_IDENT)),
                Some(_) => {}
            }
        }
        Ok(())
    }

    /// After the `[`, through the `]`.
    fn array(&mut self) -> Result<Value> {
        let mut out = Vec::new();
        let mut first = true;
        loop {
            let Some(peek) = self.whitespace() else {
                return Err(self.peek_error(EOF_LIST));
            };
            if peek == b']' {
                self.eat();
                return Ok(Value::Array(out));
            }
            if first {
                first = false;
            } else if peek == b',' {
                self.eat();
                match self.whitespace() {
                    Some(b']') => return Err(self.peek_error(TRAILING_COMMA)),
                    Some(_) => {}
                    None => return Err(self.peek_error(EOF_VALUE)),
                }
            } else {
                return Err(self.peek_error(EXPECTED_LIST_COMMA_OR_END));
            }
            let value = self.value()?;
            if self.keep {
                out.push(value);
            }
        }
    }

    /// After the `{`, through the `}`.
    fn object(&mut self) -> Result<Value> {
        let mut out = Map::new();
        let mut first = true;
        loop {
            let Some(peek) = self.whitespace() else {
                return Err(self.peek_error(EOF_OBJECT));
            };
            if peek == b'}' {
                self.eat();
                return Ok(Value::Object(out));
            }
            if first {
                first = false;
                if peek != b'"' {
                    return Err(self.peek_error(KEY_MUST_BE_A_STRING));
                }
            } else if peek == b',' {
                self.eat();
                match self.whitespace() {
                    Some(b'"') => {}
                    Some(b'}') => return Err(self.peek_error(TRAILING_COMMA)),
                    Some(_) => return Err(self.peek_error(KEY_MUST_BE_A_STRING)),
                    None => return Err(self.peek_error(EOF_VALUE)),
                }
            } else {
                return Err(self.peek_error(EXPECTED_OBJECT_COMMA_OR_END));
            }
            self.eat();
            let key = self.string(self.keep)?;
            match self.whitespace() {
                Some(b':') => self.eat(),
                Some(_) => return Err(self.peek_error(EXPECTED_COLON)),
                None => return Err(self.peek_error(EOF_OBJECT)),
            }
            let value = self.value()?;
            if let Some(key) = key {
                // A repeated key: the last value wins, as in serde_json.
                out.insert(key, value);
            }
        }
    }

    /// After the opening quote, through the closing one; the string when `want`.
    fn string(&mut self, want: bool) -> Result<Option<String>> {
        self.scratch.clear();
        loop {
            let start = self.index;
            self.index = plain_run_end(self.text, self.index);
            self.scratch
                .extend_from_slice(&self.text[start..self.index]);
            match self.peek() {
                None => return Err(self.error(EOF_STRING)),
                Some(b'"') => {
                    self.eat();
                    break;
                }
                Some(b'\\') => {
                    self.eat();
                    self.escape()?;
                }
                Some(_) => {
                    self.eat();
                    return Err(self.error(CONTROL_CHARACTER));
                }
            }
        }
        match std::str::from_utf8(&self.scratch) {
            Ok(s) => Ok(want.then(|| s.to_owned())),
            Err(e) => {
                // serde_json points back from the closing quote by the bytes after the first
                // invalid one (approximate when the string had escapes, as there).
                let (line, column) = self.position(self.index);
                let back = self.scratch.len() - e.valid_up_to();
                Err(SyntaxError::at(
                    INVALID_CODE_POINT,
                    line,
                    column.saturating_sub(back),
                ))
            }
        }
    }

    /// After a backslash.
    fn escape(&mut self) -> Result<()> {
        let Some(b) = self.next() else {
            return Err(self.error(EOF_STRING));
        };
        let unescaped = match b {
            b'"' => b'"',
            b'\\' => b'\\',
            b'/' => b'/',
            b'b' => b'\x08',
            b'f' => b'\x0c',
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => return self.unicode_escape(),
            _ => return Err(self.error(INVALID_ESCAPE)),
        };
        self.scratch.push(unescaped);
        Ok(())
    }

    /// After `\u`: one code point, or a surrogate pair as two escapes.
    fn unicode_escape(&mut self) -> Result<()> {
        let n = self.hex4()?;
        if (0xDC00..=0xDFFF).contains(&n) {
            // A trailing surrogate first: serde_json's message says "leading".
            return Err(self.error(LONE_LEADING_SURROGATE));
        }
        let code = if (0xD800..=0xDBFF).contains(&n) {
            for expected in [b'\\', b'u'] {
                match self.peek() {
                    None => return Err(self.error(EOF_STRING)),
                    Some(b) => {
                        self.eat();
                        if b != expected {
                            return Err(self.error(UNEXPECTED_END_OF_HEX_ESCAPE));
                        }
                    }
                }
            }
            let n2 = self.hex4()?;
            if !(0xDC00..=0xDFFF).contains(&n2) {
                return Err(self.error(LONE_LEADING_SURROGATE));
            }
            ((u32::from(n - 0xD800) << 10) | u32::from(n2 - 0xDC00)) + 0x1_0000
        } else {
            u32::from(n)
        };
        // Never a surrogate here, so always a char.
        let c = char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER);
        let mut buf = [0; 4];
        self.scratch
            .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        Ok(())
    }

    fn hex4(&mut self) -> Result<u16> {
        let Some(digits) = self.text.get(self.index..self.index + 4) else {
            self.index = self.text.len();
            return Err(self.error(EOF_STRING));
        };
        self.index += 4;
        let mut n = 0u16;
        for &d in digits {
            match char::from(d).to_digit(16) {
                // A hex digit is below 16.
                Some(v) => n = (n << 4) | v as u16,
                None => return Err(self.error(INVALID_ESCAPE)),
            }
        }
        Ok(n)
    }

    /// After the sign, if any.
    fn integer(&mut self, positive: bool) -> Result<Value> {
        let Some(first) = self.next() else {
            return Err(self.error(EOF_VALUE));
        };
        match first {
            b'0' => {
                if self.peek_or_null().is_ascii_digit() {
                    return Err(self.peek_error(INVALID_NUMBER));
                }
                self.number(positive, 0)
            }
            b'1'..=b'9' => {
                let mut significand = u64::from(first - b'0');
                loop {
                    let c = self.peek_or_null();
                    if !c.is_ascii_digit() {
                        return self.number(positive, significand);
                    }
                    let digit = u64::from(c - b'0');
                    if overflows(significand, digit, u64::MAX) {
                        return self.long_integer(positive, significand).map(float);
                    }
                    self.eat();
                    significand = significand * 10 + digit;
                }
            }
            _ => Err(self.error(INVALID_NUMBER)),
        }
    }

    fn number(&mut self, positive: bool, significand: u64) -> Result<Value> {
        Ok(match self.peek_or_null() {
            b'.' => float(self.decimal(positive, significand, 0)?),
            b'e' | b'E' => float(self.exponent(positive, significand, 0)?),
            _ if positive => Value::Number(significand.into()),
            _ => {
                // Two's complement: the negation of a u64 above i64::MAX + 1 is non-negative.
                let neg = (significand as i64).wrapping_neg();
                if neg >= 0 {
                    float(-(significand as f64))
                } else {
                    Value::Number(neg.into())
                }
            }
        })
    }

    /// More digits than a u64 holds: the rest only scale it.
    fn long_integer(&mut self, positive: bool, significand: u64) -> Result<f64> {
        let mut exponent = 0;
        loop {
            match self.peek_or_null() {
                b'0'..=b'9' => {
                    self.eat();
                    exponent += 1;
                }
                b'.' => return self.decimal(positive, significand, exponent),
                b'e' | b'E' => return self.exponent(positive, significand, exponent),
                _ => return self.scaled(positive, significand, exponent),
            }
        }
    }

    /// At the `.`.
    fn decimal(&mut self, positive: bool, mut significand: u64, before: i32) -> Result<f64> {
        self.eat();
        let mut after = 0;
        loop {
            let c = self.peek_or_null();
            if !c.is_ascii_digit() {
                break;
            }
            let digit = u64::from(c - b'0');
            if overflows(significand, digit, u64::MAX) {
                // Digits past what a u64 holds are dropped.
                while self.peek_or_null().is_ascii_digit() {
                    self.eat();
                }
                let exponent = before + after;
                return match self.peek_or_null() {
                    b'e' | b'E' => self.exponent(positive, significand, exponent),
                    _ => self.scaled(positive, significand, exponent),
                };
            }
            self.eat();
            significand = significand * 10 + digit;
            after -= 1;
        }
        if after == 0 {
            return Err(match self.peek() {
                Some(_) => self.peek_error(INVALID_NUMBER),
                None => self.peek_error(EOF_VALUE),
            });
        }
        let exponent = before + after;
        match self.peek_or_null() {
            b'e' | b'E' => self.exponent(positive, significand, exponent),
            _ => self.scaled(positive, significand, exponent),
        }
    }

    /// At the `e` or `E`.
    fn exponent(&mut self, positive: bool, significand: u64, starting: i32) -> Result<f64> {
        self.eat();
        let positive_exp = match self.peek_or_null() {
            b'+' => {
                self.eat();
                true
            }
            b'-' => {
                self.eat();
                false
            }
            _ => true,
        };
        let Some(first) = self.next() else {
            return Err(self.error(EOF_VALUE));
        };
        if !first.is_ascii_digit() {
            return Err(self.error(INVALID_NUMBER));
        }
        let mut exp = i32::from(first - b'0');
        loop {
            let c = self.peek_or_null();
            if !c.is_ascii_digit() {
                break;
            }
            self.eat();
            let digit = i32::from(c - b'0');
            if overflows(exp as u64, digit as u64, i32::MAX as u64) {
                if significand != 0 && positive_exp {
                    return Err(self.error(NUMBER_OUT_OF_RANGE));
                }
                while self.peek_or_null().is_ascii_digit() {
                    self.eat();
                }
                return Ok(if positive { 0.0 } else { -0.0 });
            }
            exp = exp * 10 + digit;
        }
        let exponent = if positive_exp {
            starting.saturating_add(exp)
        } else {
            starting.saturating_sub(exp)
        };
        self.scaled(positive, significand, exponent)
    }

    /// serde_json's `f64_from_parts` (without `float_roundtrip`).
    fn scaled(&self, positive: bool, significand: u64, mut exponent: i32) -> Result<f64> {
        let mut f = significand as f64;
        loop {
            match POW10.get(exponent.unsigned_abs() as usize) {
                Some(&pow) => {
                    if exponent >= 0 {
                        f *= pow;
                        if f.is_infinite() {
                            return Err(self.error(NUMBER_OUT_OF_RANGE));
                        }
                    } else {
                        f /= pow;
                    }
                    break;
                }
                None => {
                    if f == 0.0 {
                        break;
                    }
                    if exponent >= 0 {
                        return Err(self.error(NUMBER_OUT_OF_RANGE));
                    }
                    f /= 1e308;
                    exponent += 308;
                }
            }
        }
        Ok(if positive { f } else { -f })
    }
}

// serde_json's way of skipping a value it does not keep (`IgnoredAny`, `RawValue`): the
// syntax is checked, but numbers are not range-checked, `\u` escapes are not paired, and there
// is no nesting limit (so no recursion here: a stack of open brackets).
impl Reader<'_> {
    /// Skips one value as serde_json's `ignore_value` does.
    fn skip(&mut self) -> Result<()> {
        let mut open: Vec<u8> = Vec::new();
        let mut enclosing = None;
        loop {
            let Some(peek) = self.whitespace() else {
                return Err(self.peek_error(EOF_VALUE));
            };
            let opened = match peek {
                b'n' | b't' | b'f' => {
                    self.eat();
                    self.ident(match peek {
                        b'n' => b"ull",
                        b't' => b"rue",
                        _ => b"alse",
                    })?;
                    None
                }
                b'-' => {
                    self.eat();
                    self.skip_integer()?;
                    None
                }
                b'0'..=b'9' => {
                    self.skip_integer()?;
                    None
                }
                b'"' => {
                    self.eat();
                    self.skip_string()?;
                    None
                }
                b'[' | b'{' => {
                    open.extend(enclosing.take());
                    self.eat();
                    Some(peek)
                }
                _ => return Err(self.peek_error(EXPECTED_VALUE)),
            };
            let (mut accept_comma, mut frame) = match opened {
                Some(frame) => (false, frame),
                None => match enclosing.take().or_else(|| open.pop()) {
                    Some(frame) => (true, frame),
                    None => return Ok(()),
                },
            };
            loop {
                match self.whitespace() {
                    Some(b',') if accept_comma => {
                        self.eat();
                        break;
                    }
                    Some(b']') if frame == b'[' => {}
                    Some(b'}') if frame == b'{' => {}
                    Some(_) if accept_comma => {
                        return Err(self.peek_error(if frame == b'[' {
                            EXPECTED_LIST_COMMA_OR_END
                        } else {
                            EXPECTED_OBJECT_COMMA_OR_END
                        }))
                    }
                    Some(_) => break,
                    None => {
                        return Err(self.peek_error(if frame == b'[' {
                            EOF_LIST
                        } else {
                            EOF_OBJECT
                        }))
                    }
                }
                self.eat();
                match open.pop() {
                    Some(f) => frame = f,
                    None => return Ok(()),
                }
                accept_comma = true;
            }
            if frame == b'{' {
                match self.whitespace() {
                    Some(b'"') => self.eat(),
                    Some(_) => return Err(self.peek_error(KEY_MUST_BE_A_STRING)),
                    None => return Err(self.peek_error(EOF_OBJECT)),
                }
                self.skip_string()?;
                match self.whitespace() {
                    Some(b':') => self.eat(),
                    Some(_) => return Err(self.peek_error(EXPECTED_COLON)),
                    None => return Err(self.peek_error(EOF_OBJECT)),
                }
            }
            enclosing = Some(frame);
        }
    }

    /// After the opening quote (serde_json's `ignore_str`: the bytes are not checked as UTF-8).
    fn skip_string(&mut self) -> Result<()> {
        loop {
            self.index = plain_run_end(self.text, self.index);
            match self.peek() {
                None => return Err(self.error(EOF_STRING)),
                Some(b'"') => {
                    self.eat();
                    return Ok(());
                }
                Some(b'\\') => {
                    self.eat();
                    match self.next() {
                        None => return Err(self.error(EOF_STRING)),
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {}
                        Some(b'u') => drop(self.hex4()?),
                        Some(_) => return Err(self.error(INVALID_ESCAPE)),
                    }
                }
                // Unlike the reading of a string, the control character is not consumed.
                Some(_) => return Err(self.error(CONTROL_CHARACTER)),
            }
        }
    }

    fn skip_digits(&mut self) -> bool {
        let start = self.index;
        while self.peek_or_null().is_ascii_digit() {
            self.eat();
        }
        self.index > start
    }

    fn skip_integer(&mut self) -> Result<()> {
        match self.next().unwrap_or(0) {
            b'0' => {
                if self.peek_or_null().is_ascii_digit() {
                    return Err(self.peek_error(INVALID_NUMBER));
                }
            }
            b'1'..=b'9' => drop(self.skip_digits()),
            _ => return Err(self.error(INVALID_NUMBER)),
        }
        if self.peek_or_null() == b'.' {
            self.eat();
            if !self.skip_digits() {
                return Err(self.peek_error(INVALID_NUMBER));
            }
        }
        if let b'e' | b'E' = self.peek_or_null() {
            self.eat();
            if let b'+' | b'-' = self.peek_or_null() {
                self.eat();
            }
            if !self.next().unwrap_or(0).is_ascii_digit() {
                return Err(self.error(INVALID_NUMBER));
            }
            self.skip_digits();
        }
        Ok(())
    }

    /// serde_json's `peek_invalid_type`: why the value ahead is not what `expected` names (a
    /// scalar is read first, and its own error wins; a container is not entered).
    fn invalid_type(&mut self, expected: &str) -> SyntaxError {
        let found = match self.peek_or_null() {
            b'n' | b't' | b'f' | b'-' | b'0'..=b'9' | b'"' => match self.value() {
                Ok(v) => v,
                Err(e) => return e,
            },
            b'[' => Value::Array(Vec::new()),
            b'{' => Value::Object(Map::new()),
            _ => return self.peek_error(EXPECTED_VALUE),
        };
        self.error(&crate::read_value::invalid_type(&found, expected))
    }

    /// The array ahead, its elements skipped as [`Reader::skip`] skips (serde_json's
    /// `Vec<&RawValue>`): where it and each element lie.
    fn elements(&mut self) -> Result<(Range<usize>, Vec<Range<usize>>)> {
        let start = self.index;
        self.enter()?;
        let mut out = Vec::new();
        loop {
            let Some(peek) = self.whitespace() else {
                return Err(self.peek_error(EOF_LIST));
            };
            if peek == b']' {
                self.eat();
                self.remaining_depth += 1;
                return Ok((start..self.index, out));
            }
            if !out.is_empty() {
                if peek != b',' {
                    return Err(self.peek_error(EXPECTED_LIST_COMMA_OR_END));
                }
                self.eat();
                match self.whitespace() {
                    Some(b']') => return Err(self.peek_error(TRAILING_COMMA)),
                    Some(_) => {}
                    None => return Err(self.peek_error(EOF_VALUE)),
                }
            }
            let element = self.index;
            self.skip()?;
            out.push(element..self.index);
        }
    }

    /// Opens the array or object ahead, counting its depth.
    fn enter(&mut self) -> Result<()> {
        // Saturating: a `Members` caller may go on after an error.
        self.remaining_depth = self.remaining_depth.saturating_sub(1);
        if self.remaining_depth == 0 {
            return Err(self.peek_error(RECURSION_LIMIT_EXCEEDED));
        }
        self.eat();
        Ok(())
    }
}

/// Checks one JSON text as serde_json checks a value it skips (`IgnoredAny`): syntax only.
pub(super) fn skim(text: &[u8]) -> Result<()> {
    let mut reader = Reader::new(text, false);
    reader.skip()?;
    match reader.whitespace() {
        Some(_) => Err(reader.peek_error(TRAILING_CHARACTERS)),
        None => Ok(()),
    }
}

/// Where each element of the array `text` lies, the elements skipped as [`skim`] skips (what
/// serde_json's `from_slice::<Vec<&RawValue>>` checks).
pub(super) fn elements(text: &[u8]) -> Result<Vec<Range<usize>>> {
    let mut reader = Reader::new(text, true);
    match reader.whitespace() {
        None => return Err(reader.peek_error(EOF_VALUE)),
        Some(b'[') => {}
        Some(_) => return Err(reader.invalid_type("a sequence")),
    }
    let (_, out) = reader.elements()?;
    match reader.whitespace() {
        Some(_) => Err(reader.peek_error(TRAILING_CHARACTERS)),
        None => Ok(out),
    }
}

/// An object read member by member, each value as its reader asks: what serde_json does
/// when a visitor walks a map (`deserialize_map` and `MapAccess`), with its messages and in
/// its order (the first problem in the text is the one named).
pub struct Members<'a> {
    reader: Reader<'a>,
    first: bool,
}

impl<'a> Members<'a> {
    /// Opens the object at the start of `text`; for anything else, why it is not the
    /// `expected` (serde_json's `invalid type: sequence, expected ...`).
    pub fn open(text: &'a [u8], expected: &str) -> Result<Self> {
        Members::open_at(text, 0, expected)
    }

    /// Opens the object at `text[start..]` (after any whitespace) as [`Members::open`] does,
    /// for an object inside a larger text: positions in messages are the whole text's. End it
    /// with [`Members::finish`] (the text goes on after it).
    pub fn open_at(text: &'a [u8], start: usize, expected: &str) -> Result<Self> {
        let mut reader = Reader::new(text, true);
        reader.index = start.min(text.len());
        match reader.whitespace() {
            None => return Err(reader.peek_error(EOF_VALUE)),
            Some(b'{') => reader.enter()?,
            Some(_) => return Err(reader.invalid_type(expected)),
        }
        Ok(Members {
            reader,
            first: true,
        })
    }

    /// The next key, or `None` at the closing brace.
    pub fn next_key(&mut self) -> Result<Option<String>> {
        let r = &mut self.reader;
        let Some(peek) = r.whitespace() else {
            return Err(r.peek_error(EOF_OBJECT));
        };
        if peek == b'}' {
            return Ok(None);
        }
        if self.first {
            self.first = false;
            if peek != b'"' {
                return Err(r.peek_error(KEY_MUST_BE_A_STRING));
            }
        } else if peek == b',' {
            r.eat();
            match r.whitespace() {
                Some(b'"') => {}
                Some(b'}') => return Err(r.peek_error(TRAILING_COMMA)),
                Some(_) => return Err(r.peek_error(KEY_MUST_BE_A_STRING)),
                None => return Err(r.peek_error(EOF_VALUE)),
            }
        } else {
            return Err(r.peek_error(EXPECTED_OBJECT_COMMA_OR_END));
        }
        r.eat();
        r.string(true)
    }

    /// Where in the text the reading is: past the key [`Members::next_key`] read, past the value
    /// read, past the closing brace after [`Members::finish`].
    pub fn offset(&self) -> usize {
        self.reader.index
    }

    /// Past the `:`, at the value.
    fn colon(&mut self) -> Result<u8> {
        let r = &mut self.reader;
        match r.whitespace() {
            Some(b':') => r.eat(),
            Some(_) => return Err(r.peek_error(EXPECTED_COLON)),
            None => return Err(r.peek_error(EOF_OBJECT)),
        }
        match r.whitespace() {
            Some(b) => Ok(b),
            None => Err(r.peek_error(EOF_VALUE)),
        }
    }

    /// The value, read as a `Value`.
    pub fn value(&mut self) -> Result<Value> {
        self.colon()?;
        self.reader.value()
    }

    /// The value as an `Option<bool>` (`null` is `None`).
    pub fn optional_bool(&mut self) -> Result<Option<bool>> {
        match self.colon()? {
            b'n' | b't' | b'f' => match self.reader.value()? {
                Value::Bool(b) => Ok(Some(b)),
                _ => Ok(None),
            },
            _ => Err(self.reader.invalid_type("a boolean")),
        }
    }

    /// The value as an `Option<String>` (`null` is `None`).
    pub fn optional_string(&mut self) -> Result<Option<String>> {
        match self.colon()? {
            b'n' => {
                self.reader.eat();
                self.reader.ident(b"ull")?;
                Ok(None)
            }
            b'"' => {
                self.reader.eat();
                self.reader.string(true)
            }
            _ => Err(self.reader.invalid_type("a string")),
        }
    }

    /// The value as a `String` (`null` too is refused, with serde_json's message).
    pub fn string(&mut self) -> Result<String> {
        match self.colon()? {
            b'"' => {
                self.reader.eat();
                Ok(self.reader.string(true)?.unwrap_or_default())
            }
            _ => Err(self.reader.invalid_type("a string")),
        }
    }

    /// Skips the value as serde_json skips a `RawValue`, returning where it lies.
    pub fn skip(&mut self) -> Result<Range<usize>> {
        self.colon()?;
        let start = self.reader.index;
        self.reader.skip()?;
        Ok(start..self.reader.index)
    }

    /// The value as an array whose elements are skipped as [`Members::skip`] skips: where the
    /// array and each element lie; for anything else, why it is not the `expected`.
    pub fn elements(&mut self, expected: &str) -> Result<(Range<usize>, Vec<Range<usize>>)> {
        if self.colon()? != b'[' {
            return Err(self.reader.invalid_type(expected));
        }
        self.reader.elements()
    }

    /// The rest of the object (members not read yet are skipped) and its closing brace: the
    /// offset past it (the text may go on; [`Members::close`] checks that it does not).
    pub fn finish(&mut self) -> Result<usize> {
        while self.next_key()?.is_some() {
            self.skip()?;
        }
        self.reader.eat();
        Ok(self.reader.index)
    }

    /// The rest of the object (members not read yet are skipped), its closing brace, then
    /// nothing but whitespace to the end of the text.
    pub fn close(mut self) -> Result<()> {
        self.finish()?;
        let r = &mut self.reader;
        match r.whitespace() {
            Some(_) => Err(r.peek_error(TRAILING_CHARACTERS)),
            None => Ok(()),
        }
    }
}

/// The index of the first `"`, `\\` or control character (below 0x20) of `text` at or after
/// `from` (`text.len()` if none): the plain run of a string. Eight bytes at a time, as
/// serde_json's `skip_to_escape` (a page is mostly string bytes).
fn plain_run_end(text: &[u8], from: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut i = from;
    while let Some(chunk) = text.get(i..i + 8) {
        let word = u64::from_le_bytes([
            chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7],
        ]);
        // A byte's high bit set for each byte that is zero after the xor (a quote, a
        // backslash) or below 0x20; a false positive can only follow a true one, so the
        // lowest set bit is the first special byte.
        let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
        let special = zero(word ^ (ONES * u64::from(b'"')))
            | zero(word ^ (ONES * u64::from(b'\\')))
            | (word.wrapping_sub(ONES * 0x20) & !word & HIGH);
        if special != 0 {
            return i + special.trailing_zeros() as usize / 8;
        }
        i += 8;
    }
    while let Some(&b) = text.get(i) {
        if b == b'"' || b == b'\\' || b < 0x20 {
            break;
        }
        i += 1;
    }
    i
}

/// Whether `a * 10 + b` exceeds `max` (serde_json's `overflow!`).
fn overflows(a: u64, b: u64, max: u64) -> bool {
    a >= max / 10 && (a > max / 10 || b > max % 10)
}

/// A parsed float (always finite) as a value.
fn float(f: f64) -> Value {
    Number::from_f64(f).map_or(Value::Null, Value::Number)
}

/// Parses one JSON text into a value.
pub(super) fn parse(text: &[u8]) -> Result<Value> {
    Reader::new(text, true).document()
}

/// Checks one JSON text, building nothing.
pub(super) fn check(text: &[u8]) -> Result<()> {
    Reader::new(text, false).document().map(drop)
}

/// Powers of ten exactly as serde_json's table has them (each the nearest f64 to 10^n).
#[rustfmt::skip]
static POW10: [f64; 309] = [
    1e000, 1e001, 1e002, 1e003, 1e004, 1e005, 1e006, 1e007, 1e008, 1e009,
    1e010, 1e011, 1e012, 1e013, 1e014, 1e015, 1e016, 1e017, 1e018, 1e019,
    1e020, 1e021, 1e022, 1e023, 1e024, 1e025, 1e026, 1e027, 1e028, 1e029,
    1e030, 1e031, 1e032, 1e033, 1e034, 1e035, 1e036, 1e037, 1e038, 1e039,
    1e040, 1e041, 1e042, 1e043, 1e044, 1e045, 1e046, 1e047, 1e048, 1e049,
    1e050, 1e051, 1e052, 1e053, 1e054, 1e055, 1e056, 1e057, 1e058, 1e059,
    1e060, 1e061, 1e062, 1e063, 1e064, 1e065, 1e066, 1e067, 1e068, 1e069,
    1e070, 1e071, 1e072, 1e073, 1e074, 1e075, 1e076, 1e077, 1e078, 1e079,
    1e080, 1e081, 1e082, 1e083, 1e084, 1e085, 1e086, 1e087, 1e088, 1e089,
    1e090, 1e091, 1e092, 1e093, 1e094, 1e095, 1e096, 1e097, 1e098, 1e099,
    1e100, 1e101, 1e102, 1e103, 1e104, 1e105, 1e106, 1e107, 1e108, 1e109,
    1e110, 1e111, 1e112, 1e113, 1e114, 1e115, 1e116, 1e117, 1e118, 1e119,
    1e120, 1e121, 1e122, 1e123, 1e124, 1e125, 1e126, 1e127, 1e128, 1e129,
    1e130, 1e131, 1e132, 1e133, 1e134, 1e135, 1e136, 1e137, 1e138, 1e139,
    1e140, 1e141, 1e142, 1e143, 1e144, 1e145, 1e146, 1e147, 1e148, 1e149,
    1e150, 1e151, 1e152, 1e153, 1e154, 1e155, 1e156, 1e157, 1e158, 1e159,
    1e160, 1e161, 1e162, 1e163, 1e164, 1e165, 1e166, 1e167, 1e168, 1e169,
    1e170, 1e171, 1e172, 1e173, 1e174, 1e175, 1e176, 1e177, 1e178, 1e179,
    1e180, 1e181, 1e182, 1e183, 1e184, 1e185, 1e186, 1e187, 1e188, 1e189,
    1e190, 1e191, 1e192, 1e193, 1e194, 1e195, 1e196, 1e197, 1e198, 1e199,
    1e200, 1e201, 1e202, 1e203, 1e204, 1e205, 1e206, 1e207, 1e208, 1e209,
    1e210, 1e211, 1e212, 1e213, 1e214, 1e215, 1e216, 1e217, 1e218, 1e219,
    1e220, 1e221, 1e222, 1e223, 1e224, 1e225, 1e226, 1e227, 1e228, 1e229,
    1e230, 1e231, 1e232, 1e233, 1e234, 1e235, 1e236, 1e237, 1e238, 1e239,
    1e240, 1e241, 1e242, 1e243, 1e244, 1e245, 1e246, 1e247, 1e248, 1e249,
    1e250, 1e251, 1e252, 1e253, 1e254, 1e255, 1e256, 1e257, 1e258, 1e259,
    1e260, 1e261, 1e262, 1e263, 1e264, 1e265, 1e266, 1e267, 1e268, 1e269,
    1e270, 1e271, 1e272, 1e273, 1e274, 1e275, 1e276, 1e277, 1e278, 1e279,
    1e280, 1e281, 1e282, 1e283, 1e284, 1e285, 1e286, 1e287, 1e288, 1e289,
    1e290, 1e291, 1e292, 1e293, 1e294, 1e295, 1e296, 1e297, 1e298, 1e299,
    1e300, 1e301, 1e302, 1e303, 1e304, 1e305, 1e306, 1e307, 1e308,
];

#[cfg(test)]
mod tests {
    #[test]
    fn a_plain_run_ends_at_the_first_quote_backslash_or_control_character() {
        // Every special byte at every offset of a run of every other byte value.
        for filler in (0u8..=255).filter(|b| !matches!(b, b'"' | b'\\' | 0..=0x1f)) {
            for special in [b'"', b'\\', 0, 0x1f, b'\n'] {
                for at in 0..20 {
                    let mut text = vec![filler; 20];
                    text[at] = special;
                    assert_eq!(
                        super::plain_run_end(&text, 0),
                        at,
                        "{filler} {special} {at}"
                    );
                    if at > 3 {
                        assert_eq!(super::plain_run_end(&text, 3), at);
                    }
                }
                assert_eq!(super::plain_run_end(&[filler; 19], 0), 19);
            }
        }
        // Specials after other specials and high bytes (the borrow of one byte's test must
        // not hide an earlier one).
        let text = b"\xff\x20\x21\x00\"\\";
        assert_eq!(super::plain_run_end(text, 0), 3);
        assert_eq!(
            super::plain_run_end(b"ab\x1f\x1f\x1f\x1f\x1f\x1f\x1f", 0),
            2
        );
    }
}
