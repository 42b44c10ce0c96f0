//! Requests and responses as plain data: the whole interface between the core and a transport.
//!
//! A binding sends a [`Request`] however it likes (reqwest, `fetch`, libcurl) and hands back a
//! [`Response`]. Nothing here does I/O.

use std::fmt;
use std::time::Duration;

/// HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// DELETE
    Delete,
    /// PATCH
    Patch,
}

impl Method {
    /// The method's name in upper case.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
        }
    }

    /// Parses a method name, in any case.
    pub fn parse(s: &str) -> Option<Method> {
        Some(match s.to_ascii_uppercase().as_str() {
            "GET" => Method::Get,
            "POST" => Method::Post,
            "PUT" => Method::Put,
            "DELETE" => Method::Delete,
            "PATCH" => Method::Patch,
            _ => return None,
        })
    }

    /// [`Method::parse`] for a caller's argument: an unknown name is an `InvalidInput` error
    /// on `method`.
    pub fn from_arg(s: &str) -> Result<Method, crate::error::Error> {
        Method::parse(s).ok_or_else(|| {
            crate::error::Error::invalid("method", "must be GET, POST, PUT, DELETE or PATCH")
        })
    }

    /// Whether sending it twice has the effect of sending it once (RFC 9110 §9.2.2).
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An HTTP request for a transport to send. Headers names are lower case.
///
/// `Debug` shows the `authorization` header and the body as redacted: both can hold a key.
#[derive(Clone, PartialEq, Eq)]
pub struct Request {
    /// Method.
    pub method: Method,
    /// Absolute URL, query included.
    pub url: String,
    /// Headers, names in lower case, in the order they should be sent.
    pub headers: Vec<(String, String)>,
    /// JSON body, if any.
    pub body: Option<String>,
    /// How long this attempt may take, if the builder has an opinion.
    pub timeout: Option<Duration>,
}

impl Request {
    /// The secrets this request carries: the credential in `Authorization` and an integration
    /// key in an event's body (`routing_key`, v1's `service_key`). Whatever a server sends back
    /// is scrubbed of these before it reaches an error ([`Response::redact`]).
    pub fn secrets(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(auth) = self.header("authorization") {
            let token = auth
                .strip_prefix("Token token=")
                .or_else(|| auth.strip_prefix("Bearer "))
                .unwrap_or(auth);
            out.push(token.trim().to_owned());
        }
        if let Some(body) = self.body.as_deref() {
            if body.contains("routing_key") || body.contains("service_key") {
                // Any string under either name, whatever else the body holds: read member by
                // member, the other values skipped (however deep they nest: a body with
                // details nested past the parser's limit still gives up its key), and every
                // value of a repeated key (whichever one the server takes).
                if let Ok(mut members) = crate::json_text::Members::open(body.as_bytes(), "") {
                    while let Ok(Some(name)) = members.next_key() {
                        let Ok(value) = members.skip() else { break };
                        if name == "routing_key" || name == "service_key" {
                            let text = &body.as_bytes()[value];
                            if let Ok(serde_json::Value::String(key)) =
                                crate::json_text::parse(text)
                            {
                                out.push(key);
                            }
                        }
                    }
                }
            }
        }
        // An OAuth token request (form-encoded): its client secret, code, verifier and refresh
        // token, as sent and as decoded.
        if let Some(body) = self.body.as_deref() {
            let form = self
                .header("content-type")
                .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
            if form {
                for (k, v) in crate::form::parse(body.as_bytes()) {
                    if crate::oauth::SECRET_FORM_FIELDS.contains(&k.as_str()) {
                        out.push(crate::form::serialize(&v));
                        out.push(v);
                    }
                }
            }
        }
        out.retain(|s| !s.is_empty());
        crate::short_sort::sort_short(&mut out, |a, b| a < b);
        out.dedup();
        out
    }

    /// The first header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| {
                if k.eq_ignore_ascii_case("authorization") {
                    (k.as_str(), "<redacted>")
                } else {
                    (k.as_str(), v.as_str())
                }
            })
            .collect();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers)
            .field(
                "body",
                &self
                    .body
                    .as_ref()
                    .map(|b| format!("<{} bytes, redacted>", b.len())),
            )
            .finish()
    }
}

/// An HTTP response as a transport received it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Headers as received (any case).
    pub headers: Vec<(String, String)>,
    /// The raw body.
    pub body: Vec<u8>,
}

impl Response {
    /// A response from its parts.
    pub fn new(status: u16, headers: Vec<(String, String)>, body: impl Into<Vec<u8>>) -> Self {
        Response {
            status,
            headers,
            body: body.into(),
        }
    }

    /// The first header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// PagerDuty's `x-request-id`.
    pub fn request_id(&self) -> Option<&str> {
        self.header("x-request-id")
    }

    /// Replaces every occurrence of each secret in the body and the header values with
    /// `<redacted>` (a server quoting the key back must not get it into an error or a log).
    /// Bodies without a secret are left untouched (one linear scan per secret).
    pub fn redact(&mut self, secrets: &[String]) {
        for secret in secrets.iter().filter(|s| !s.is_empty()) {
            let found = occurrences(&self.body, secret);
            if !found.is_empty() {
                let mut out = Vec::with_capacity(self.body.len());
                let mut last = 0;
                for at in found {
                    out.extend_from_slice(&self.body[last..at]);
                    out.extend_from_slice(crate::error::REDACTED.as_bytes());
                    last = at + secret.len();
                }
                out.extend_from_slice(&self.body[last..]);
                self.body = out;
            }
            for (_, v) in &mut self.headers {
                if v.contains(secret.as_str()) {
                    *v = v.replace(secret.as_str(), crate::error::REDACTED);
                }
            }
        }
    }

    /// 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// How long the server asked us to wait: `ratelimit-reset` (PagerDuty's, seconds until the
    /// window resets) or else `Retry-After` in seconds. Fractions are accepted; an HTTP-date
    /// `Retry-After` needs a wall clock the core does not read, so it is ignored (the retry
    /// machine then falls back to backoff).
    pub fn retry_after(&self) -> Option<Duration> {
        ["ratelimit-reset", "retry-after"]
            .iter()
            .filter_map(|h| self.header(h))
            .find_map(seconds)
    }
}

/// A header's number of seconds (`ratelimit-reset`, `Retry-After`): digits, maybe a point and
/// more digits (`7`, `1.5`, `0.250`, `5.`), under 1e9; read exactly, to the nanosecond (decimals
/// past the ninth are dropped), with no float parser (its tables were kilobytes of the npm
/// package's .wasm). Anything else is no number of seconds: a sign, an exponent, `NaN`, or an
/// HTTP-date (which needs a clock the core does not read).
pub(crate) fn seconds(v: &str) -> Option<Duration> {
    let (whole, fraction) = v.split_once('.').unwrap_or((v, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) {
        return None;
    }
    let whole = whole.trim_start_matches('0');
    if whole.len() > 9 {
        return None;
    }
    let secs = whole
        .bytes()
        .fold(0u64, |n, b| n * 10 + u64::from(b - b'0'));
    let nanos = (0..9).fold(0u32, |n, i| {
        n * 10
            + fraction
                .as_bytes()
                .get(i)
                .map_or(0, |b| u32::from(b - b'0'))
    });
    Some(Duration::new(secs, nanos))
}

/// Where `secret` starts in `body`: left to right, not overlapping. Core's two-way string search
/// (linear, and already in the .wasm for `str::contains`) over the body's UTF-8 stretches: a
/// UTF-8 secret cannot take in a byte that is no part of the body's UTF-8 (such a byte either
/// cannot be in UTF-8 at all or is a sequence cut short, and the secret's copy of that
/// sequence would be complete). memchr's memmem did this with 4 KB more of the .wasm.
fn occurrences(body: &[u8], secret: &str) -> Vec<usize> {
    let mut found = Vec::new();
    let mut offset = 0;
    for chunk in body.utf8_chunks() {
        let text = chunk.valid();
        found.extend(text.match_indices(secret).map(|(at, _)| offset + at));
        offset += text.len() + chunk.invalid().len();
    }
    found
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_debug_redacts_authorization_and_body() {
        let r = Request {
            method: Method::Post,
            url: "https://events.pagerduty.com/v2/enqueue".into(),
            headers: vec![(
                "authorization".into(),
                "Token token=SECRETSECRETSECRET12".into(),
            )],
            body: Some(r#"{"routing_key":"SECRET"}"#.into()),
            timeout: None,
        };
        let s = format!("{r:?}");
        assert!(!s.contains("SECRET"), "{s}");
        assert!(s.contains("<redacted>") && s.contains("<24 bytes, redacted>"));
    }

    #[test]
    fn an_events_keys_are_secrets_whatever_else_its_body_holds() {
        let with = |body: &str| Request {
            method: Method::Post,
            url: "https://events.pagerduty.com/v2/enqueue".into(),
            headers: vec![],
            body: Some(body.into()),
            timeout: None,
        };
        // A service_key that is not a string made a derive refuse the whole body, and with it
        // the routing_key beside it.
        for body in [
            r#"{"routing_key":"R-1","service_key":5}"#,
            r#"{"service_key":["x"],"routing_key":"R-1","payload":{"routing_key":"inner"}}"#,
        ] {
            assert_eq!(with(body).secrets(), ["R-1"], "{body}");
        }
        let both = with(r#"{"service_key":"S-1","routing_key":"R-1"}"#);
        assert_eq!(both.secrets(), ["R-1", "S-1"]);
    }

    #[test]
    fn header_lookup_is_case_insensitive() {
        let r = Response::new(200, vec![("X-Request-Id".into(), " abc ".into())], "");
        assert_eq!(r.request_id(), Some("abc"));
        assert_eq!(Method::parse("delete"), Some(Method::Delete));
        assert!(!Method::Post.is_idempotent() && Method::Put.is_idempotent());
    }

    #[test]
    fn occurrences_are_memmems_in_any_bytes() {
        // The plain search, non-overlapping.
        fn naive(body: &[u8], secret: &[u8]) -> Vec<usize> {
            let (mut found, mut at) = (Vec::new(), 0);
            while at + secret.len() <= body.len() {
                if &body[at..at + secret.len()] == secret {
                    found.push(at);
                    at += secret.len();
                } else {
                    at += 1;
                }
            }
            found
        }
        let pieces: [&[u8]; 10] = [
            b"ab",
            b"a",
            b"b",
            "é".as_bytes(),
            "€".as_bytes(),
            b"\xe2\x82",
            b"\x80",
            b"\xff",
            b"\xf0\x9f",
            "🚨".as_bytes(),
        ];
        let secrets = [
            "a", "ab", "aba", "abab", "é", "€a", "b🚨", "ééé", "🚨🚨", "aaaa",
        ];
        let mut rng = crate::test_rng::Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..20_000 {
            let state = rng.next();
            let body: Vec<u8> = (0..(state % 16))
                .flat_map(|k| pieces[((state >> (3 * k)) % pieces.len() as u64) as usize])
                .copied()
                .collect();
            for secret in secrets {
                assert_eq!(
                    occurrences(&body, secret),
                    naive(&body, secret.as_bytes()),
                    "{body:?} {secret}"
                );
            }
        }
        let mut r = Response::new(200, vec![], b"x\xffSEKRITSEKRIT\xe2\x82SEKRIT".to_vec());
        r.redact(&["SEKRIT".to_owned()]);
        assert_eq!(r.body, b"x\xff<redacted><redacted>\xe2\x82<redacted>");
    }

    #[test]
    fn header_seconds_are_read_exactly() {
        let ms = |v: &str| seconds(v).map(|d| d.as_millis());
        for (v, want) in [
            ("0", 0),
            ("7", 7000),
            ("007", 7000),
            ("1.5", 1500),
            ("5.", 5000),
            ("0.250", 250),
            ("999999999", 999_999_999_000),
            ("000000000001.0", 1000),
        ] {
            assert_eq!(ms(v), Some(want), "{v}");
        }
        assert_eq!(seconds("1.1234567891"), Some(Duration::new(1, 123_456_789)));
        for bad in [
            "",
            ".5",
            "+2",
            "-0",
            "1e3",
            "1.5.2",
            "1,5",
            " 7",
            "7 ",
            "1000000000",
            "0x10",
            "١",
        ] {
            assert_eq!(seconds(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn retry_after_prefers_ratelimit_reset_and_ignores_garbage() {
        let h = |k: &str, v: &str| (k.to_string(), v.to_string());
        let r = Response::new(
            429,
            vec![h("Retry-After", "7"), h("RateLimit-Reset", "2")],
            "",
        );
        assert_eq!(r.retry_after(), Some(Duration::from_secs(2)));
        let r = Response::new(429, vec![h("retry-after", "1.5")], "");
        assert_eq!(r.retry_after(), Some(Duration::from_millis(1500)));
        for bad in [
            "-1",
            "NaN",
            "inf",
            "Wed, 21 Oct 2015 07:28:00 GMT",
            "1e300",
            "",
        ] {
            let r = Response::new(429, vec![h("retry-after", bad)], "");
            assert_eq!(r.retry_after(), None, "{bad}");
        }
    }
}
