//! Webhooks v3: verify `X-PagerDuty-Signature` and parse the payload.
//!
//! The header holds one or more comma-separated `v1=<hex>` entries, each an HMAC-SHA256 of the
//! raw body under one of the subscription's secrets (there are several while a secret is being
//! rotated). One match is enough; malformed entries are skipped; comparison is constant-time.
//! Verify the raw bytes as received, before any JSON parsing or re-encoding.
//!
//! ```
//! use pagerduty_core::webhook::WebhookVerifier;
//! use hmac::{Hmac, Mac};
//!
//! let body = br#"{"event":{"id":"E1","event_type":"incident.triggered","resource_type":"incident","occurred_at":"2026-11-23T16:00:00Z","agent":null,"client":null,"data":{"id":"P1"}}}"#;
//! let mut mac = Hmac::<sha2::Sha256>::new_from_slice(b"new-secret").unwrap();
//! mac.update(body);
//! let header = format!("v1=deadbeef,v1={}", hex::encode(mac.finalize().into_bytes()));
//! // During a rotation both the old and the new secret are accepted.
//! let verifier = WebhookVerifier::new(&["old-secret", "new-secret"])?;
//! let event = verifier.verify_and_parse(&header, body)?;
//! assert_eq!(event.event_type, "incident.triggered");
//! # Ok::<(), pagerduty_core::Error>(())
//! ```

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::Sha256;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::error::Error;

/// The header PagerDuty signs with.
pub const SIGNATURE_HEADER: &str = "X-PagerDuty-Signature";
/// Default cap on the body size checked (PagerDuty's payloads are far smaller).
pub const DEFAULT_MAX_BODY: usize = 1024 * 1024;

/// Checks signatures against one or more secrets.
#[derive(Clone)]
pub struct WebhookVerifier {
    secrets: Vec<Zeroizing<Vec<u8>>>,
    max_body: usize,
}

impl std::fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookVerifier")
            .field(
                "secrets",
                &format_args!("<{} redacted>", self.secrets.len()),
            )
            .field("max_body", &self.max_body)
            .finish()
    }
}

/// A webhook v3 event. Unknown fields are kept in `extra`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookEvent {
    /// The event's ID.
    pub id: String,
    /// `incident.triggered`, `incident.acknowledged`, `service.updated`, ...
    pub event_type: String,
    /// `incident`, `service`, ...
    pub resource_type: String,
    /// When it happened (ISO 8601).
    pub occurred_at: String,
    /// Who or what caused it.
    #[serde(default)]
    pub agent: Option<Value>,
    /// The client that caused it, if any.
    #[serde(default)]
    pub client: Option<Value>,
    /// The resource.
    #[serde(default)]
    pub data: Value,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A payload as serde's derive reads it: what [`parse_event`] reads by hand (the tests check).
#[cfg(test)]
#[derive(Deserialize)]
struct Envelope {
    event: WebhookEvent,
}

impl WebhookVerifier {
    /// A verifier for these secrets (at least one; several while rotating).
    pub fn new(secrets: &[&str]) -> Result<Self, Error> {
        if secrets.is_empty() {
            return Err(Error::invalid(
                "secrets",
                "needs at least one webhook secret",
            ));
        }
        if secrets.iter().any(|s| s.is_empty()) {
            return Err(Error::invalid("secrets", "contains an empty secret"));
        }
        Ok(WebhookVerifier {
            secrets: secrets
                .iter()
                .map(|s| Zeroizing::new(s.as_bytes().to_vec()))
                .collect(),
            max_body: DEFAULT_MAX_BODY,
        })
    }

    /// Refuse bodies larger than this many bytes without computing anything.
    pub fn with_max_body(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }

    /// `Ok` when one `v1=` entry of `header` is the HMAC-SHA256 of `body` under one secret.
    pub fn verify(&self, header: &str, body: &[u8]) -> Result<(), Error> {
        if body.len() > self.max_body {
            return Err(Error::InvalidSignature(format!(
                "the body is {} bytes, over the limit of {} bytes",
                body.len(),
                self.max_body
            )));
        }
        let candidates: Vec<[u8; 32]> = header
            .split(',')
            .filter_map(|entry| {
                let (version, hex_sig) = entry.trim().split_once('=')?;
                if version.trim() != "v1" {
                    return None;
                }
                let mut out = [0u8; 32];
                hex::decode_to_slice(hex_sig.trim(), &mut out).ok()?;
                Some(out)
            })
            .collect();
        if candidates.is_empty() {
            return Err(Error::InvalidSignature(format!(
                "the {SIGNATURE_HEADER} header has no well-formed v1=<64 hex digits> entry"
            )));
        }
        let mut matched = subtle::Choice::from(0u8);
        for secret in &self.secrets {
            let mut mac =
                Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes keys of any length");
            mac.update(body);
            let expected = mac.finalize().into_bytes();
            for c in &candidates {
                matched |= expected.as_slice().ct_eq(c);
            }
        }
        if bool::from(matched) {
            Ok(())
        } else {
            Err(Error::InvalidSignature(
                "no signature matched any of the secrets: the body was changed, or the secret is wrong".into(),
            ))
        }
    }

    /// Verifies, then parses the payload.
    pub fn verify_and_parse(&self, header: &str, body: &[u8]) -> Result<WebhookEvent, Error> {
        self.verify(header, body)?;
        parse_event(body)
    }
}

/// Parses a webhook v3 payload (`{"event": {...}}`) without verifying it.
pub fn parse_event(body: &[u8]) -> Result<WebhookEvent, Error> {
    read_envelope(body)
        .map_err(|e| Error::decoding(None, body, None, format!("not a webhook v3 payload: {e}")))
}

impl WebhookEvent {
    /// The event as JSON text: what `serde_json::to_string` of it gives (its fields in order,
    /// then `extra`'s), written by hand (the npm package's .wasm carries no serializer for it).
    pub fn to_json(&self) -> String {
        let text = |s: &str| {
            let mut out = String::new();
            crate::json_text::write_string(s, &mut out);
            out
        };
        let mut out = String::from("{");
        for (k, v) in [
            ("id", text(&self.id)),
            ("event_type", text(&self.event_type)),
            ("resource_type", text(&self.resource_type)),
            ("occurred_at", text(&self.occurred_at)),
        ] {
            out.push_str(&format!("\"{k}\":{v},"));
        }
        let null = Value::Null;
        for (k, v) in [
            ("agent", self.agent.as_ref().unwrap_or(&null)),
            ("client", self.client.as_ref().unwrap_or(&null)),
            ("data", &self.data),
        ] {
            out.push_str(&format!("\"{k}\":{},", crate::json_text::write(v)));
        }
        for (k, v) in &self.extra {
            out.push_str(&text(k));
            out.push(':');
            out.push_str(&crate::json_text::write(v));
            out.push(',');
        }
        out.pop();
        out.push('}');
        out
    }
}

/// A payload read as serde_json read it into the derived `Envelope` (`{"event": {...}}`, or
/// `[{...}]`), with the same message for one that is not (`missing field `id` at line 1
/// column 42`). The text is checked whole first (a syntax error is its message); then it is read
/// member by member in text order with [`json_text::Members`](crate::json_text::Members), as the
/// derive reads it: duplicate keys, and where each key and value sits (serde_json's line and
/// column).
fn read_envelope(body: &[u8]) -> Result<WebhookEvent, String> {
    use crate::json_text::{self, Members};
    json_text::check(body).map_err(|e| e.to_string())?;
    // A JSON text has a first and a last byte that are not whitespace.
    let first = past_ws(body, 0);
    if body[first] == b'[' {
        let items = json_text::elements(body).map_err(|e| e.to_string())?;
        return match items.as_slice() {
            [] => {
                let close = body.iter().rposition(|b| !is_ws(*b)).unwrap_or(0);
                let msg = "invalid length 0, expected struct Envelope with 1 element";
                Err(at(body, close + 1, msg.into()))
            }
            [event, rest @ ..] => {
                let event = read_event(body, event.start)?;
                match rest.first() {
                    Some(next) => Err(at(body, next.start + 1, "trailing characters".into())),
                    None => Ok(event),
                }
            }
        };
    }
    let mut top = Members::open(body, "struct Envelope").map_err(|e| e.to_string())?;
    let mut event = None;
    while let Some(key) = top.next_key().map_err(|e| e.to_string())? {
        if key != "event" {
            top.skip().map_err(|e| e.to_string())?;
            continue;
        }
        if event.is_some() {
            let after = past_ws(body, top.offset());
            return Err(at(body, after, "duplicate field `event`".into()));
        }
        let value = top.skip().map_err(|e| e.to_string())?;
        event = Some(read_event(body, value.start)?);
    }
    let end = top.finish().map_err(|e| e.to_string())?;
    event.ok_or_else(|| at(body, end, "missing field `event`".into()))
}

/// The event at `body[start..]` (a text checked as JSON), as the derive reads it.
fn read_event(body: &[u8], start: usize) -> Result<WebhookEvent, String> {
    use crate::json_text::Members;
    const FIELDS: [&str; 7] = [
        "id",
        "event_type",
        "resource_type",
        "occurred_at",
        "agent",
        "client",
        "data",
    ];
    let mut m = Members::open_at(body, start, "struct WebhookEvent").map_err(|e| e.to_string())?;
    let mut e = WebhookEvent {
        id: String::new(),
        event_type: String::new(),
        resource_type: String::new(),
        occurred_at: String::new(),
        agent: None,
        client: None,
        data: Value::Null,
        extra: Map::new(),
    };
    let mut seen = 0u32;
    while let Some(key) = m.next_key().map_err(|e| e.to_string())? {
        let Some(f) = FIELDS.iter().position(|f| *f == key) else {
            // A repeated unknown field: the last value wins, as in the derive's `extra`.
            let value = m.value().map_err(|e| e.to_string())?;
            e.extra.insert(key, value);
            continue;
        };
        if seen & (1 << f) != 0 {
            let after = past_ws(body, m.offset());
            return Err(at(body, after, format!("duplicate field `{key}`")));
        }
        seen |= 1 << f;
        let field = match f {
            0 => &mut e.id,
            1 => &mut e.event_type,
            2 => &mut e.resource_type,
            3 => &mut e.occurred_at,
            _ => {
                let value = m.value().map_err(|e| e.to_string())?;
                match f {
                    4 => e.agent = Some(value).filter(|x| !x.is_null()),
                    5 => e.client = Some(value).filter(|x| !x.is_null()),
                    _ => e.data = value,
                }
                continue;
            }
        };
        *field = m.string().map_err(|e| e.to_string())?;
    }
    let close = m.finish().map_err(|e| e.to_string())?;
    match (0..4).find(|f| seen & (1 << f) == 0) {
        Some(f) => Err(at(body, close, format!("missing field `{}`", FIELDS[f]))),
        None => Ok(e),
    }
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\t' | b'\r')
}

/// Past JSON's whitespace from `i`: where serde_json places an error its derive's visitor
/// returns (a repeated field), having looked past the whitespace for the object's end.
fn past_ws(text: &[u8], i: usize) -> usize {
    i + text
        .get(i..)
        .unwrap_or_default()
        .iter()
        .take_while(|b| is_ws(**b))
        .count()
}

/// serde_json's ` at line L column C` after `msg`, for the byte offset `i` of `text` (the
/// column counts the bytes of its line before `i`).
fn at(text: &[u8], i: usize, msg: String) -> String {
    let i = i.min(text.len());
    let line_start = text[..i]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let line = 1 + text[..line_start].iter().filter(|&&b| b == b'\n').count();
    format!("{msg} at line {line} column {}", i - line_start)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{read_envelope, Envelope};

    fn serde(text: &[u8]) -> Result<super::WebhookEvent, String> {
        serde_json::from_slice::<Envelope>(text)
            .map(|e| e.event)
            .map_err(|e| e.to_string())
    }

    /// Payload texts around `event` (its text): the shapes serde reads and the ones it refuses.
    fn payloads(event: &str) -> Vec<String> {
        let mut out = vec![
            format!("{{\"event\":{event}}}"),
            format!(" [ {event} ] "),
            format!("[{event}, 1]"),
            format!("[{event},\n  {{}}]"),
            format!("{{\"x\": [1, {{\"event\": 2}}], \"event\" :\n{event}, \"y\": \"}}\"}}"),
            format!("{{\"event\":{event},\"event\":{event}}}"),
            format!("{{\"event\":{event},\"event\":1}}"),
            format!("{{\"event\":[],\"event\":{event}}}"),
            format!("{{\"ev\\u0065nt\":{event}}}"),
            event.to_owned(),
        ];
        // The event's own members repeated or spelled with escapes.
        if let Some(rest) = event.strip_prefix('{') {
            let comma = if rest.trim_start().starts_with('}') {
                ""
            } else {
                ","
            };
            for extra in [
                "\"id\":\"dup\"",
                "\"id\":7",
                "\"agent\":null",
                "\"data\":[1]",
                "\"zz\":{\"a\":1,\"a\":2}",
                "\"zz\":1,\"z\\u007a\":[2]",
                "\"\\u0069d\":\"esc\"",
                "\"occurred_at\":\n[\"t\"]",
                "\"event_type\" : {}",
            ] {
                out.push(format!("{{\"event\":{{{extra}{comma}{rest}}}"));
                out.push(format!("{{\"event\":\n{{ {extra}{comma}\n{rest}  }}"));
            }
        }
        out
    }

    #[test]
    fn payloads_read_as_the_derive_reads_them() {
        let template = json!({"id": "E1", "event_type": "incident.triggered",
            "resource_type": "incident", "occurred_at": "2026-11-23T16:00:00Z",
            "agent": {"id": "U1", "type": "user_reference"}, "client": null,
            "data": {"id": "P1", "type": "incident", "title": "t\u{1} \\ \"q\""},
            "extra_field": [1.5, -3, {"b": true}]});
        let mut texts = vec![
            "[]".to_owned(),
            " [ ] ".to_owned(),
            "null".to_owned(),
            "\"event\"".to_owned(),
            "-0".to_owned(),
            "1e300".to_owned(),
            "{}".to_owned(),
            "\n\n  {\n }".to_owned(),
            "{\"event\":1.5}".to_owned(),
            "{\"event\":\n  [1, 2]}".to_owned(),
            "{\"event\":\"x\"}".to_owned(),
        ];
        for v in crate::read_value::tests::values(&template, 400) {
            texts.extend(payloads(&serde_json::to_string(&v).unwrap()));
            texts.extend(payloads(&serde_json::to_string_pretty(&v).unwrap()));
        }
        let mut read = 0;
        for t in &texts {
            let ours = read_envelope(t.as_bytes());
            assert_eq!(ours, serde(t.as_bytes()), "{t}");
            if let Ok(e) = ours {
                read += 1;
                assert_eq!(e.to_json(), serde_json::to_string(&e).unwrap(), "{t}");
            }
        }
        assert!(read > 100, "{read} of {} read", texts.len());
    }

    #[test]
    fn a_syntax_error_is_serde_json_s() {
        for t in [
            "",
            "{",
            "[",
            "{\"event\"",
            "{\"event\":{\"id\":",
            "{\"event\":{\"id\":\"x\",\"event_type\":\"x\",\"resource_type\":\"x\",\"occurred_at\":\"x\"}} x",
            "\"\\q\"",
        ] {
            assert_eq!(read_envelope(t.as_bytes()), serde(t.as_bytes()), "{t}");
        }
        // The one difference: a text that is not JSON is a syntax error even where the derive
        // would have stopped earlier at a field it could not take.
        let t = b"{\"event\":{\"id\":\"E\"}";
        assert_eq!(
            serde(t).unwrap_err(),
            "missing field `event_type` at line 1 column 19"
        );
        assert_eq!(
            read_envelope(t).unwrap_err(),
            "EOF while parsing an object at line 1 column 19"
        );
    }
}
