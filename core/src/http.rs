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
                // Any string under either name, whatever else the body holds.
                if let Ok(v) = crate::json_text::parse(body.as_bytes()) {
                    for name in ["routing_key", "service_key"] {
                        if let Some(key) = v.get(name).and_then(serde_json::Value::as_str) {
                            out.push(key.to_owned());
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
            .find_map(|v| seconds(v).map(Duration::from_secs_f64))
    }
}

/// A header's number of seconds (`ratelimit-reset`, `Retry-After`) when it is at least 0 and
/// under 1e9: the text `str::parse::<f64>` takes (`7`, `1.5`, `+2`, `.5`, `5.`, `1e3`, `-0`,
/// ...), read without core's float parser (its tables are kilobytes of the npm package's .wasm).
///
/// The value is the one `str::parse` gives, bit for bit, whenever the digits without leading
/// and trailing zeros fit in 2^53 and the decimal exponent is within ±22 (Clinger's fast path,
/// which is also the first thing core's parser tries): every count of seconds a server sends.
/// Past that (more than 15 or so significant digits, or something like `1e-30`) the value is
/// the nearest f64 to the first 19 significant digits scaled in steps of at most 10^22, which
/// can be a few ULP off the correctly rounded one (and under 1e-300, where f64s thin out, it may
/// come out as 0 where `str::parse` gives the smallest f64, or, with a `-`, as -0 where it gives a
/// negative value out of range).
pub(crate) fn seconds(v: &str) -> Option<f64> {
    let (negative, text) = match v.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        all => (false, all),
    };
    // value = digits * 10^exponent, with at most 19 significant digits kept.
    let (mut digits, mut exponent, mut kept, mut exact) = (0u64, 0i32, 0, true);
    let (mut any, mut point) = (false, false);
    let mut i = 0;
    while let Some(&b) = text.get(i) {
        match b {
            b'0'..=b'9' => {
                any = true;
                if kept < 19 {
                    digits = digits * 10 + u64::from(b - b'0');
                    kept += usize::from(digits != 0);
                    exponent -= i32::from(point);
                } else {
                    exact &= b == b'0';
                    exponent += i32::from(!point);
                }
            }
            b'.' if !point => point = true,
            _ => break,
        }
        i += 1;
    }
    if !any {
        // `inf`, `nan`, ... (never in range) or not a number at all.
        return None;
    }
    if let Some(b'e' | b'E') = text.get(i) {
        i += 1;
        let sign = match text.get(i) {
            Some(b'-') => {
                i += 1;
                -1
            }
            Some(b'+') => {
                i += 1;
                1
            }
            _ => 1,
        };
        let start = i;
        let mut e: i32 = 0;
        while let Some(&b @ b'0'..=b'9') = text.get(i) {
            e = (e * 10 + i32::from(b - b'0')).min(100_000);
            i += 1;
        }
        if i == start {
            return None;
        }
        exponent = exponent.saturating_add(sign * e);
    }
    if i != text.len() {
        return None;
    }
    if digits == 0 {
        return Some(if negative { -0.0 } else { 0.0 });
    }
    while digits % 10 == 0 {
        digits /= 10;
        exponent += 1;
    }
    // 10^n for n <= 22 is exact, and so is every product on the way there.
    let power = |n: u32| (0..n).fold(1.0f64, |p, _| p * 10.0);
    let mut secs = digits as f64;
    if exact && digits <= 1 << 53 && (-22..=22).contains(&exponent) {
        secs = if exponent < 0 {
            secs / power(exponent.unsigned_abs())
        } else {
            secs * power(exponent as u32)
        };
    } else {
        let mut left = exponent.clamp(-400, 400);
        while left != 0 {
            let step = left.clamp(-22, 22);
            secs = if step < 0 {
                secs / power(step.unsigned_abs())
            } else {
                secs * power(step as u32)
            };
            left -= step;
        }
    }
    if negative {
        // Only a value too small for an f64 (`-1e-400`) is in range: it is -0.
        return (secs == 0.0).then_some(-0.0);
    }
    (secs < 1e9).then_some(secs)
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
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
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

    /// What `seconds` replaced.
    fn parsed(v: &str) -> Option<f64> {
        v.parse::<f64>()
            .ok()
            .filter(|secs| (0.0..1e9).contains(secs))
    }

    #[test]
    fn seconds_reads_what_str_parse_reads() {
        for v in [
            "0",
            "7",
            "60",
            "1.5",
            "0.25",
            "+2",
            ".5",
            "5.",
            "-0",
            "-0.0",
            "+0",
            "00012",
            "1e3",
            "1E3",
            "1e+3",
            "2.5e-1",
            "999999999",
            "999999999.999999",
            "1000000000",
            "1e9",
            "123456.789012345",
            "0.1",
            "0.3",
            "3.14159",
            "1e-22",
            "100e-2",
            "1.500000000000000000000000",
            "0.000000000000000000000000000000001",
            "12345678901234567890",
            "0.12345678901234567890",
            "9007199254740993",
            "-1",
            "-0.5",
            "1e",
            "1e+",
            "e3",
            ".",
            "",
            "+",
            "-",
            "1.2.3",
            "1..",
            "..1",
            "1 ",
            " 1",
            "0x10",
            "inf",
            "+inf",
            "infinity",
            "NaN",
            "nan",
            "1_000",
            "1,5",
            "1e99999999999",
            "1e-99999999999",
            "٣",
        ] {
            let (ours, theirs) = (seconds(v), parsed(v));
            assert_eq!(ours.map(f64::to_bits), theirs.map(f64::to_bits), "{v:?}");
        }
        // Random short strings of number characters: the same acceptance, and values within a
        // few ULP (equal on the fast path). Random fast-path numbers: bit for bit.
        let alphabet = b"0123456789.+-eE";
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 12) as usize + 1;
            let v: String = (0..len)
                .map(|k| alphabet[((state >> (4 * k)) % alphabet.len() as u64) as usize] as char)
                .collect();
            // On the fast path: bit for bit.
            let digits = (state >> 11).to_string();
            let at = (state % (digits.len() as u64 + 1)) as usize;
            // digits * 10^(within ±22), written with the point anywhere.
            let e = ((state >> 58) % 45) as i32 - 22 + (digits.len() - at) as i32;
            let fast = format!("{}.{}e{e}", &digits[..at], &digits[at..]);
            let (ours, theirs) = (seconds(&fast), parsed(&fast));
            assert_eq!(ours.map(f64::to_bits), theirs.map(f64::to_bits), "{fast:?}");
            let tiny = v.parse::<f64>().is_ok_and(|f| f != 0.0 && f.abs() < 1e-300);
            if tiny {
                continue;
            }
            let (ours, theirs) = (seconds(&v), parsed(&v));
            assert_eq!(ours.is_some(), theirs.is_some(), "{v:?}");
            if let (Some(a), Some(b)) = (ours, theirs) {
                assert!(a == b || (a - b).abs() <= b * 1e-15, "{v:?}: {a} {b}");
            }
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
