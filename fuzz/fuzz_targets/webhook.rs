//! Webhook signature headers and payloads: the header is the first line, the body the rest.
//! A payload that is JSON reads as serde's derive reads it: the same event or the same
//! message (for one that is not, json_text's syntax error comes first, where the derive may
//! have skipped the bad part or stopped earlier).
#![no_main]
use libfuzzer_sys::fuzz_target;
use pagerduty_core::webhook::{parse_event, WebhookEvent, WebhookVerifier};
use pagerduty_core::Error;

#[derive(serde::Deserialize)]
struct Envelope {
    event: WebhookEvent,
}

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|b| *b == b'\n').unwrap_or(data.len());
    let header = String::from_utf8_lossy(&data[..split]);
    let body = data.get(split + 1..).unwrap_or_default();
    let verifier = WebhookVerifier::new(&["secret-one", "secret-two"]).unwrap().with_max_body(64 * 1024);
    // A random header essentially never matches; what matters is that nothing panics.
    let _ = verifier.verify(&header, body);
    let ours = parse_event(body).map_err(|e| match e {
        Error::Decode { reason, .. } => reason,
        other => panic!("{other:?}"),
    });
    let theirs = serde_json::from_slice::<Envelope>(body)
        .map(|e| e.event)
        .map_err(|e| format!("not a webhook v3 payload: {e}"));
    if pagerduty_core::json_text::check(body).is_ok() {
        assert_eq!(ours, theirs, "{:?}", String::from_utf8_lossy(body));
    }
});
