//! What a handler answers, before the server adds the common headers.

use serde_json::{json, Value};

#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub content_type: &'static str,
}

impl Reply {
    pub fn json(status: u16, v: &Value) -> Reply {
        Reply::raw_json(status, v.to_string().into_bytes())
    }

    pub fn raw_json(status: u16, body: Vec<u8>) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body,
            content_type: "application/json",
        }
    }

    pub fn empty(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            content_type: "application/json",
        }
    }

    pub fn html(status: u16, html: &str) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: html.as_bytes().to_vec(),
            content_type: "text/html",
        }
    }

    /// PagerDuty's REST error shape.
    pub fn rest_error(status: u16, code: u32, message: &str, errors: &[&str]) -> Reply {
        Reply::json(
            status,
            &json!({"error": {"message": message, "code": code, "errors": errors}}),
        )
    }

    /// The Events API's error shape.
    pub fn invalid_event(errors: Vec<String>) -> Reply {
        Reply::json(
            400,
            &json!({"status": "invalid event", "message": "Event object is invalid", "errors": errors}),
        )
    }

    pub fn not_found() -> Reply {
        Reply::rest_error(404, 2100, "Not Found", &[])
    }

    pub fn with_header(mut self, k: &str, v: impl Into<String>) -> Reply {
        self.headers.push((k.to_owned(), v.into()));
        self
    }
}

/// The query string as ordered pairs, `[]` kept in the names.
pub fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .into_owned()
        .collect()
}

/// Every value of `name` or `name[]`.
pub fn all(q: &[(String, String)], name: &str) -> Vec<String> {
    let bracket = format!("{name}[]");
    q.iter()
        .filter(|(k, _)| k == name || *k == bracket)
        .map(|(_, v)| v.clone())
        .collect()
}

pub fn one<'a>(q: &'a [(String, String)], name: &str) -> Option<&'a str> {
    q.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}
