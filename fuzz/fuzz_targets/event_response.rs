//! Events API answers of any status and body: a 2xx is always the event accepted.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pagerduty_core::credentials::IntegrationKey;
use pagerduty_core::events::{Events, Severity, Trigger};
use pagerduty_core::http::Response;

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let status = 200 + u16::from(data[0]) * 2;
    let key = IntegrationKey::new("8f2a6b0c1d4e4f5a9b7c3d2e1f0a9b8c").unwrap();
    let events = Events::default();
    let trigger = events
        .trigger(&key, &Trigger::new("s", "x", Severity::Info), [data[1]; 16])
        .unwrap();
    let v1 = events
        .v1(
            &key,
            pagerduty_core::events::Action::Trigger,
            &pagerduty_core::events::V1Event { description: Some("d".into()), ..Default::default() },
            [0; 16],
        )
        .unwrap();
    for op in [trigger, v1] {
        match op.parse(&Response::new(status, vec![], data[2..].to_vec())) {
            // A 2xx answer, whatever its body, is the event accepted (never an error that
            // would have it resent or dropped).
            Err(e) if status < 300 => panic!("{status}: {e}"),
            Ok(a) => assert!(a.dedup_key.is_some()),
            Err(e) => assert_eq!(e.status(), Some(status)),
        }
    }
});
