//! Webhook signature headers and payloads: the header is the first line, the body the rest.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pagerduty_core::webhook::{parse_event, WebhookVerifier};

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|b| *b == b'\n').unwrap_or(data.len());
    let header = String::from_utf8_lossy(&data[..split]);
    let body = data.get(split + 1..).unwrap_or_default();
    let verifier = WebhookVerifier::new(&["secret-one", "secret-two"]).unwrap().with_max_body(64 * 1024);
    // A random header essentially never matches; what matters is that nothing panics.
    let _ = verifier.verify(&header, body);
    let _ = parse_event(body);
});
