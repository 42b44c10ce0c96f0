//! Success bodies through every reader: entity unwrap into typed models, whole-body JSON.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pagerduty_core::http::Response;
use pagerduty_core::models::{Incident, User};
use pagerduty_core::rest::{json_text, parse_entity, parse_json};

fuzz_target!(|data: &[u8]| {
    let response = Response::new(200, vec![], data.to_vec());
    // The text path must agree with the tree path on what is JSON.
    assert_eq!(parse_json(&response).is_ok(), json_text(&response).is_ok());
    let _ = parse_entity::<Incident>(&response, "incident");
    let _ = parse_entity::<Vec<User>>(&response, "users");
    if let Err(e) = parse_entity::<serde_json::Value>(&response, "incident") {
        assert!(e.to_string().len() < 2048, "error messages stay bounded");
    }
});
