//! `Value`s built by hand: what `json!` builds, without `serde_json::to_value` of each typed
//! part (a serializer per type in the npm package's .wasm).

use serde_json::{Map, Value};

/// `{"k": v, ...}` (keys in the map's order, as `json!` gives).
pub(crate) fn object<const N: usize>(members: [(&str, Value); N]) -> Value {
    insert_all(&mut members.into_iter())
}

/// One copy of the loop for every `N` (a map's `collect` sorts: a sort per caller's type).
fn insert_all(members: &mut dyn Iterator<Item = (&str, Value)>) -> Value {
    let mut map = Map::new();
    for (k, v) in members {
        map.insert(k.to_owned(), v);
    }
    Value::Object(map)
}

/// `[[name, value], ...]`: a request's headers as `json!` writes a `Vec<(String, String)>`.
pub(crate) fn pairs(pairs: &[(String, String)]) -> Value {
    Value::Array(
        pairs
            .iter()
            .map(|(k, v)| Value::Array(vec![k.as_str().into(), v.as_str().into()]))
            .collect(),
    )
}

/// A `Vec<String>` as `json!` writes it.
pub(crate) fn strings(items: &[String]) -> Value {
    Value::Array(items.iter().map(|s| s.as_str().into()).collect())
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    #[test]
    fn pairs_strings_and_options_are_what_json_builds() {
        let h: Vec<(String, String)> =
            vec![("a".into(), "1".into()), ("B-c".into(), "\"x\"".into())];
        assert_eq!(super::pairs(&h), json!(h));
        assert_eq!(super::pairs(&[]), json!(Vec::<(String, String)>::new()));
        let s: Vec<String> = vec!["x".into(), "".into()];
        assert_eq!(super::strings(&s), json!(s));
        for o in [None, Some("b".to_owned())] {
            assert_eq!(Value::from(o.clone()), json!(o));
        }
        for o in [None, Some(0u64), Some(u64::MAX)] {
            assert_eq!(Value::from(o), json!(o));
        }
        for o in [None, Some(-1i64)] {
            assert_eq!(Value::from(o), json!(o));
        }
        for o in [None, Some(200u16)] {
            assert_eq!(Value::from(o), json!(o));
        }
        assert_eq!(Value::from(1.5f64), json!(1.5f64));
        assert_eq!(Value::from(3600.0f64), json!(3600.0f64));
    }

    #[test]
    fn an_object_is_what_json_builds() {
        let items = vec![json!(1), json!({"a": null})];
        assert_eq!(
            super::object([
                ("b", Value::Array(items.clone())),
                ("a", "x".into()),
                ("n", 3u32.into())
            ]),
            json!({"b": items, "a": "x", "n": 3})
        );
        assert_eq!(super::object([]), json!({}));
    }
}
