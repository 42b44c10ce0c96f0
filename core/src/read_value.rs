//! Typed values read by hand out of a parsed `serde_json::Value`, with the messages serde's
//! derives give for the same input (`missing field `summary``, `unknown field `x`, expected
//! ...`, `invalid type: integer `5`, expected a string`, ...): the bindings' readers of caller
//! JSON (events, operation arguments) use these instead of `serde_json::from_value`.
//!
//! Why: a derived `Deserialize` is compiled once per deserializer it meets (`Value`, `&Value`,
//! `Map`, text), with serde_json's generic halves (`visit_array`, `deserialize_struct`, ...)
//! copied for each; that was a large part of the npm package's .wasm. These readers are few and
//! not generic. The public types keep their derives; `tests` checks these readers against them.

use serde_json::Value;

/// A value read, or serde's message for why not.
pub(crate) type Read<T> = Result<T, String>;

/// What serde_json says a value is (`integer `5``, `string "x"`, `null`, `sequence`, ...).
fn unexpected(v: &Value) -> String {
    match v {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("boolean `{b}`"),
        // serde_json's own float text (not Rust's float formatter), as in its messages.
        Value::Number(n) if n.is_f64() => format!("floating point `{n}`"),
        Value::Number(n) => format!("integer `{n}`"),
        Value::String(s) => format!("string {s:?}"),
        Value::Array(_) => "sequence".to_owned(),
        Value::Object(_) => "map".to_owned(),
    }
}

pub(crate) fn invalid_type(v: &Value, expected: &str) -> String {
    format!("invalid type: {}, expected {expected}", unexpected(v))
}

fn invalid_value(v: &Value, expected: &str) -> String {
    format!("invalid value: {}, expected {expected}", unexpected(v))
}

fn invalid_length(len: usize, expected: &str) -> String {
    format!("invalid length {len}, expected {expected}")
}

/// serde's list of names: `` `a` ``, `` `a` or `b` ``, `` one of `a`, `b`, `c` ``.
fn one_of(names: &[&str]) -> String {
    match names {
        [a] => format!("`{a}`"),
        [a, b] => format!("`{a}` or `{b}`"),
        _ => {
            let mut s = "one of ".to_owned();
            for (i, n) in names.iter().enumerate() {
                if i > 0 {
                    s.push_str(", ");
                }
                s.push('`');
                s.push_str(n);
                s.push('`');
            }
            s
        }
    }
}

/// A `String`.
pub(crate) fn string(v: &Value) -> Read<String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        _ => Err(invalid_type(v, "a string")),
    }
}

/// A `bool`.
pub(crate) fn boolean(v: &Value) -> Read<bool> {
    match v {
        Value::Bool(b) => Ok(*b),
        _ => Err(invalid_type(v, "a boolean")),
    }
}

/// A `u32`.
pub(crate) fn u32(v: &Value) -> Read<u32> {
    let Value::Number(n) = v else {
        return Err(invalid_type(v, "u32"));
    };
    match n.as_u64() {
        Some(u) => u32::try_from(u).map_err(|_| invalid_value(v, "u32")),
        None if n.is_f64() => Err(invalid_type(v, "u32")),
        None => Err(invalid_value(v, "u32")),
    }
}

/// An `f64`: any number (an integer too, as serde reads it).
pub(crate) fn f64(v: &Value) -> Read<f64> {
    match v {
        Value::Number(n) => n.as_f64().ok_or_else(|| invalid_type(v, "f64")),
        _ => Err(invalid_type(v, "f64")),
    }
}

/// Any JSON, as is.
pub(crate) fn any(v: &Value) -> Read<Value> {
    Ok(v.clone())
}

/// An `Option<T>`: `null` is `None`.
pub(crate) fn option<T>(v: &Value, read: fn(&Value) -> Read<T>) -> Read<Option<T>> {
    match v {
        Value::Null => Ok(None),
        _ => read(v).map(Some),
    }
}

/// A `Vec<T>`.
pub(crate) fn seq<T>(v: &Value, read: fn(&Value) -> Read<T>) -> Read<Vec<T>> {
    match v {
        Value::Array(items) => items.iter().map(read).collect(),
        _ => Err(invalid_type(v, "a sequence")),
    }
}

/// A `Vec<String>`.
pub(crate) fn strings(v: &Value) -> Read<Vec<String>> {
    seq(v, string)
}

/// A `(String, String)`.
pub(crate) fn string_pair(v: &Value) -> Read<(String, String)> {
    const EXPECTED: &str = "a tuple of size 2";
    let Value::Array(items) = v else {
        return Err(invalid_type(v, EXPECTED));
    };
    let first = string(items.first().ok_or_else(|| invalid_length(0, EXPECTED))?)?;
    let second = string(items.get(1).ok_or_else(|| invalid_length(1, EXPECTED))?)?;
    if items.len() > 2 {
        return Err(invalid_length(items.len(), "fewer elements in array"));
    }
    Ok((first, second))
}

/// An enum of unit variants (`"high"`, or `{"high": null}`), as the index of its name.
pub(crate) fn unit_variant(v: &Value, variants: &[&str]) -> Read<usize> {
    let (name, value) = match v {
        Value::String(s) => (s.as_str(), None),
        Value::Object(m) => match (m.len(), m.iter().next()) {
            (1, Some((k, x))) => (k.as_str(), Some(x)),
            _ => return Err(invalid_value(v, "map with a single key")),
        },
        _ => return Err(invalid_type(v, "string or map")),
    };
    let Some(i) = variants.iter().position(|x| *x == name) else {
        return Err(format!(
            "unknown variant `{name}`, expected {}",
            one_of(variants)
        ));
    };
    match value {
        None | Some(Value::Null) => Ok(i),
        Some(x) => Err(invalid_type(x, "unit")),
    }
}

/// How a derived struct reads: its fields (in declaration order) and which may be missing.
pub(crate) struct Shape {
    /// `struct Trigger`.
    pub name: &'static str,
    pub fields: &'static [&'static str],
    /// Bit i: field i may be left out of an object (an `Option`, or a default).
    pub optional: u32,
    /// Bit i: field i may be left out of an array too (a default: `#[serde(default)]`).
    pub defaulted: u32,
    /// `#[serde(deny_unknown_fields)]`.
    pub deny_unknown: bool,
}

impl Shape {
    /// Every field: a struct with `#[serde(default)]`.
    pub(crate) const ALL: u32 = u32::MAX;

    /// Reads `v` as this struct: `set(i, value)` for each field given, in the order serde
    /// meets them (an object's keys in the map's order, an array's items by position); the
    /// caller starts from the struct's `Default` (what every missing field that may be missing
    /// gets, for the structs read here).
    pub(crate) fn read<'a>(
        &self,
        v: &'a Value,
        set: &mut dyn FnMut(usize, &'a Value) -> Read<()>,
    ) -> Read<()> {
        let n = self.fields.len();
        match v {
            Value::Object(map) => {
                let mut seen = 0u32;
                for (k, x) in map {
                    match self.fields.iter().position(|f| f == k) {
                        Some(i) => {
                            set(i, x)?;
                            seen |= 1 << i;
                        }
                        None if self.deny_unknown => {
                            return Err(format!(
                                "unknown field `{k}`, expected {}",
                                one_of(self.fields)
                            ))
                        }
                        None => {}
                    }
                }
                match (0..n).find(|i| (seen | self.optional) & (1 << i) == 0) {
                    Some(i) => Err(format!("missing field `{}`", self.fields[i])),
                    None => Ok(()),
                }
            }
            Value::Array(items) => {
                for (i, x) in items.iter().take(n).enumerate() {
                    set(i, x)?;
                }
                if let Some(i) = (items.len()..n).find(|i| self.defaulted & (1 << i) == 0) {
                    return Err(invalid_length(
                        i,
                        &format!("{} with {n} elements", self.name),
                    ));
                }
                if items.len() > n {
                    return Err(invalid_length(items.len(), "fewer elements in array"));
                }
                Ok(())
            }
            _ => Err(invalid_type(v, self.name)),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    //! The readers against serde's derives, over many generated values: same value, or the
    //! same message.
    use serde::de::DeserializeOwned;
    use serde_json::{json, Value};

    use super::Read;

    /// A deterministic stream of JSON values shaped like `template` (its keys, some dropped,
    /// some misspelled, values of every type, sometimes as an array).
    pub(crate) fn values(template: &Value, count: usize) -> Vec<Value> {
        let mut rng = crate::test_rng::Rng(0x2545_F491_4F6C_DD1D);
        let mut next = move || rng.next();
        let scalars = [
            json!(null),
            json!(true),
            json!(false),
            json!(0),
            json!(7),
            json!(4_294_967_296u64),
            json!(-3),
            json!(1.5),
            json!(-0.25),
            json!(1e300),
            json!(""),
            json!("x"),
            json!("high"),
            json!("triggered"),
            json!("critical"),
            json!("acknowledged"),
            json!("with \"quote\" and \n"),
            json!([]),
            json!(["a", "b"]),
            json!(["a", 1]),
            json!([["a", "b"]]),
            json!({}),
            json!({"high": null}),
            json!({"low": 1}),
            json!({"a": 1, "b": 2}),
            json!([{"src": "https://x", "alt": "a"}]),
            json!([{"href": "h"}, {"href": 3}]),
            json!({"href": "h", "text": "t"}),
        ];
        let mut out = vec![
            template.clone(),
            json!(null),
            json!([]),
            json!("s"),
            json!(3),
        ];
        let Value::Object(fields) = template else {
            panic!("a template is an object")
        };
        for _ in 0..count {
            let mut m = serde_json::Map::new();
            for (k, v) in fields {
                match next() % 8 {
                    0 => {}
                    1 => {
                        m.insert(
                            k.clone(),
                            scalars[(next() % scalars.len() as u64) as usize].clone(),
                        );
                    }
                    2 if next() % 4 == 0 => {
                        m.insert(format!("{k}x"), v.clone());
                    }
                    _ => {
                        m.insert(k.clone(), v.clone());
                    }
                }
            }
            match next() % 10 {
                0 => out.push(Value::Array(m.into_values().collect())),
                1 => out.push(Value::Array(fields.values().cloned().collect())),
                _ => out.push(Value::Object(m)),
            }
        }
        out
    }

    /// `read` and serde give the same result for every value.
    pub(crate) fn same_as_serde<T>(read: fn(&Value) -> Read<T>, template: Value)
    where
        T: DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        for v in values(&template, 3000) {
            let ours = read(&v);
            let serde = serde_json::from_value::<T>(v.clone()).map_err(|e| e.to_string());
            assert_eq!(ours, serde, "{v}");
        }
    }

    fn same<T: DeserializeOwned + PartialEq + std::fmt::Debug>(v: &Value, ours: Read<T>) {
        let serde = serde_json::from_value::<T>(v.clone()).map_err(|e| e.to_string());
        assert_eq!(ours, serde, "{v}");
    }

    #[test]
    fn scalars_and_lists_read_as_serde_reads_them() {
        use crate::operations::incidents::Urgency;
        let template = json!({"s": "x", "b": true, "n": 5, "l": ["a"], "p": [["a", "b"]]});
        let mut all: Vec<Value> = vec![json!(-1), json!(4_294_967_295u64), json!(u64::MAX)];
        for v in values(&template, 300) {
            match v {
                Value::Object(m) => all.extend(m.into_values()),
                other => all.push(other),
            }
        }
        for v in &all {
            same(v, super::string(v));
            same(v, super::boolean(v));
            same(v, super::u32(v));
            same(v, super::f64(v));
            same(v, super::option(v, super::f64));
            same(v, super::any(v));
            same(v, super::strings(v));
            same(v, super::option(v, super::string));
            same(v, super::option(v, super::u32));
            same(v, super::seq(v, super::string_pair));
            same(
                v,
                super::option(v, |v| {
                    super::unit_variant(v, &["high", "low"])
                        .map(|i| [Urgency::High, Urgency::Low][i])
                }),
            );
        }
    }

    #[test]
    fn one_of_is_serde_s() {
        assert_eq!(super::one_of(&["a"]), "`a`");
        assert_eq!(super::one_of(&["a", "b"]), "`a` or `b`");
        assert_eq!(super::one_of(&["a", "b", "c"]), "one of `a`, `b`, `c`");
    }
}
