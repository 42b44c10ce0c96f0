//! Query parameters the way PagerDuty reads them: arrays as repeated `name[]=value`,
//! booleans as `true` / `false`.

use serde_json::Value;

use crate::error::Error;

/// An ordered list of query parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    /// No parameters.
    pub fn new() -> Self {
        Self::default()
    }

    /// `name=value`.
    pub fn push(&mut self, name: &str, value: impl Into<String>) -> &mut Self {
        self.pairs.push((name.to_owned(), value.into()));
        self
    }

    /// `name=value` when there is a value.
    pub fn push_opt(&mut self, name: &str, value: Option<impl Into<String>>) -> &mut Self {
        if let Some(v) = value {
            self.push(name, v);
        }
        self
    }

    /// `name[]=a&name[]=b`: the `[]` suffix is added unless already there.
    pub fn push_array<I, S>(&mut self, name: &str, values: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let key = array_key(name);
        for v in values {
            self.pairs.push((key.clone(), v.into()));
        }
        self
    }

    /// `name=true` / `name=false`.
    pub fn push_bool(&mut self, name: &str, value: bool) -> &mut Self {
        self.push(name, if value { "true" } else { "false" })
    }

    /// Sets `name` to `value`, replacing earlier values of it.
    pub fn set(&mut self, name: &str, value: impl Into<String>) -> &mut Self {
        self.remove(name);
        self.push(name, value)
    }

    /// Removes every value of `name`.
    pub fn remove(&mut self, name: &str) -> &mut Self {
        self.pairs.retain(|(k, _)| k != name);
        self
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The parameters in order.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// Appends another query's parameters.
    pub fn extend(&mut self, other: &Query) -> &mut Self {
        self.pairs.extend(other.pairs.iter().cloned());
        self
    }

    /// From a JSON object, the form bindings pass: arrays become `name[]`, booleans lower
    /// case, numbers as written, `null` is left out. Nested objects are refused: PagerDuty
    /// has no query parameter that takes one.
    pub fn from_json(params: &Value) -> Result<Self, Error> {
        let mut q = Query::new();
        let map = match params {
            Value::Null => return Ok(q),
            Value::Object(map) => map,
            _ => return Err(Error::invalid("params", "must be an object")),
        };
        for (name, value) in map {
            match value {
                Value::Null => {}
                Value::Array(items) => {
                    let key = array_key(name);
                    for item in items {
                        let s = scalar(name, item)?;
                        q.pairs.push((key.clone(), s));
                    }
                }
                other => {
                    let s = scalar(name, other)?;
                    q.pairs.push((name.clone(), s));
                }
            }
        }
        Ok(q)
    }
}

fn array_key(name: &str) -> String {
    if name.ends_with("[]") {
        name.to_owned()
    } else {
        format!("{name}[]")
    }
}

fn scalar(name: &str, v: &Value) -> Result<String, Error> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Number(n) => Ok(n.to_string()),
        _ => Err(Error::invalid(
            format!("params.{name}"),
            "must be a string, number, boolean or an array of them",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn arrays_get_brackets_and_booleans_are_lower_case() {
        let q = Query::from_json(&json!({
            "statuses": ["triggered", "acknowledged"],
            "team_ids[]": ["T1"],
            "include_total": true,
            "limit": 25,
            "since": null
        }))
        .unwrap();
        assert_eq!(
            q.pairs(),
            &[
                ("include_total".to_string(), "true".to_string()),
                ("limit".into(), "25".into()),
                ("statuses[]".into(), "triggered".into()),
                ("statuses[]".into(), "acknowledged".into()),
                ("team_ids[]".into(), "T1".into()),
            ]
        );
    }

    #[test]
    fn nested_objects_are_refused() {
        let err = Query::from_json(&json!({"a": {"b": 1}})).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid params.a: must be a string, number, boolean or an array of them"
        );
        assert!(Query::from_json(&json!([1])).is_err());
    }

    #[test]
    fn builder_helpers() {
        let mut q = Query::new();
        q.push_array("service_ids", ["A", "B"])
            .push_bool("x", false)
            .set("limit", "5");
        q.set("limit", "6");
        assert_eq!(q.get("limit"), Some("6"));
        assert_eq!(q.pairs().len(), 4);
    }
}
