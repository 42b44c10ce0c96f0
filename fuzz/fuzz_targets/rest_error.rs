//! Error bodies and rate-limit headers of any shape: never a panic, always the status's variant.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pagerduty_core::http::Response;
use pagerduty_core::response_error::{error_from_response, Api};

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let status = 100 + u16::from_le_bytes([data[0], data[1]]) % 500;
    let api = [Api::Rest, Api::EventsV2, Api::EventsV1][data[2] as usize % 3];
    let rest = &data[3..];
    // The first line (up to a newline) doubles as a retry header value.
    let header = rest.split(|b| *b == b'\n').next().unwrap_or_default();
    let headers = vec![
        ("ratelimit-reset".to_string(), String::from_utf8_lossy(header).into_owned()),
        ("x-request-id".to_string(), "fuzz".to_string()),
    ];
    let response = Response::new(status, headers, rest.to_vec());
    let _ = response.retry_after();
    let err = error_from_response(&response, api);
    assert_eq!(err.status(), Some(status));
    let _ = err.to_string();
});
