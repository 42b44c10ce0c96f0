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
    serde_json::from_slice::<Envelope>(body)
        .map(|e| e.event)
        .map_err(|e| Error::decoding(None, body, None, format!("not a webhook v3 payload: {e}")))
}
