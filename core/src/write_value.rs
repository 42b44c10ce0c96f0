//! `Value`s built by hand: what `json!` builds, without `serde_json::to_value` of each typed
//! part (a serializer per type in the npm package's .wasm).

use serde_json::{Map, Value};

/// `{"k": v, ...}` (keys in the map's order, as `json!` gives).
pub(crate) fn object<const N: usize>(members: [(&str, Value); N]) -> Value {
    Value::Object(
        members
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect::<Map<String, Value>>(),
    )
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

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
