//! wasm-bindgen-test: the module's exports driven from Rust, in Node and in headless Chromium
//! (`make test-wasm` runs this file in both). No network: the tests play the transport.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Reflect, JSON};
use pagerduty_wasm::events::EventsClient;
use pagerduty_wasm::exchange::Exchange;
use pagerduty_wasm::rest::RestClient;
use pagerduty_wasm::webhook::WebhookVerifier;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

fn obj(json: &str) -> JsValue {
    JSON::parse(json).unwrap()
}

fn get(v: &JsValue, path: &[&str]) -> JsValue {
    path.iter()
        .fold(v.clone(), |v, k| Reflect::get(&v, &(*k).into()).unwrap())
}

fn answer(ex: &mut Exchange, status: u16, body: &str) -> Result<JsValue, JsValue> {
    ex.response(
        status,
        "x-request-id\nR1\n",
        body.as_bytes().to_vec(),
        10.0,
        0.5,
    )
    .map(|s| obj(&s))
}

fn rest() -> RestClient {
    RestClient::new(
        "y_NbAkKc66ryYTWUXYEu",
        obj(r#"{"base_url": "http://127.0.0.1:9", "from": "a@example.com"}"#),
    )
    .unwrap()
}

#[wasm_bindgen_test]
fn a_rest_exchange_sends_the_right_request_and_reads_the_answer() {
    let mut ex = rest()
        .request(
            "GET",
            "/incidents",
            obj(r#"{"statuses": ["triggered"]}"#),
            JsValue::NULL,
        )
        .unwrap();
    let step = obj(&ex.start(0.0).unwrap());
    let url = get(&step, &["send", "url"]).as_string().unwrap();
    assert_eq!(url, "http://127.0.0.1:9/incidents?statuses%5B%5D=triggered");
    let headers: Vec<String> = Array::from(&get(&step, &["send", "headers"]))
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    assert!(headers
        .windows(2)
        .any(|w| w[0].eq_ignore_ascii_case("authorization")
            && w[1] == "Token token=y_NbAkKc66ryYTWUXYEu"));
    let done = answer(
        &mut ex,
        200,
        r#"{"incidents": [{"id": "P1"}], "more": false}"#,
    )
    .unwrap();
    assert_eq!(
        get(&done, &["done", "incidents"])
            .unchecked_into::<Array>()
            .length(),
        1
    );
}

#[wasm_bindgen_test]
fn errors_carry_code_status_and_request_id() {
    let mut ex = rest()
        .op("get_incident", obj(r#"{"id": "PNOPE00"}"#))
        .unwrap();
    ex.start(0.0).unwrap();
    let err = answer(
        &mut ex,
        404,
        r#"{"error": {"code": 2100, "message": "Not Found"}}"#,
    )
    .unwrap_err();
    assert!(err.is_instance_of::<js_sys::Error>());
    assert_eq!(get(&err, &["code"]).as_string().unwrap(), "not_found");
    assert_eq!(get(&err, &["status"]).as_f64().unwrap(), 404.0);
    assert_eq!(get(&err, &["requestId"]).as_string().unwrap(), "R1");
    assert_eq!(
        get(&err, &["details", "pagerdutyCode"]).as_f64().unwrap(),
        2100.0
    );
    let wrong = RestClient::new("R0123456789abcdef0123456789abcde", JsValue::UNDEFINED)
        .err()
        .unwrap();
    assert_eq!(
        get(&wrong, &["code"]).as_string().unwrap(),
        "wrong_key_kind"
    );
    assert!(!format!("{:?}", get(&wrong, &["message"])).contains("R0123456789abcdef"));
}

#[wasm_bindgen_test]
fn an_event_is_retried_after_a_5xx_with_the_same_body() {
    let events = EventsClient::new(
        "R0123456789abcdef0123456789abcde",
        obj(r#"{"region": "eu"}"#),
    )
    .unwrap();
    let mut ex = events
        .trigger(
            obj(r#"{"summary": "s", "source": "x", "severity": "info"}"#),
            &[7u8; 16],
        )
        .unwrap();
    let first = obj(&ex.start(0.0).unwrap());
    assert_eq!(
        get(&first, &["send", "url"]).as_string().unwrap(),
        "https://events.eu.pagerduty.com/v2/enqueue"
    );
    let wait = answer(&mut ex, 503, "").unwrap();
    assert!(get(&wait, &["wait"]).as_f64().unwrap() >= 0.0);
    let again = obj(&ex.resume(1000.0).unwrap());
    assert_eq!(
        get(&again, &["send", "body"]),
        get(&first, &["send", "body"])
    );
    let done = answer(&mut ex, 202, r#"{"status": "success", "dedup_key": "k1"}"#).unwrap();
    assert_eq!(get(&done, &["done"]).as_string().unwrap(), "k1");
    assert_eq!(ex.attempts(), 2);
}

#[wasm_bindgen_test]
fn a_pager_walks_pages_and_stops() {
    let pager = rest().pager("/incidents", obj(r#"{"limit": 2}"#)).unwrap();
    let mut ex = pager.next().unwrap().unwrap();
    ex.start(0.0).unwrap();
    let body =
        r#"{"incidents": [{"id": "P1"}, {"id": "P2"}], "limit": 2, "offset": 0, "more": true}"#;
    let page = answer(&mut ex, 200, body).unwrap();
    // A page answers with where its items lie in the body (JavaScript still holds it).
    let range = get(&page, &["items"]).unchecked_into::<Array>();
    let (start, end) = (
        range.get(0).as_f64().unwrap() as usize,
        range.get(1).as_f64().unwrap() as usize,
    );
    assert_eq!(&body[start..end], r#"[{"id": "P1"}, {"id": "P2"}]"#);
    let mut ex = pager.next().unwrap().unwrap();
    let step = obj(&ex.start(0.0).unwrap());
    assert!(get(&step, &["send", "url"])
        .as_string()
        .unwrap()
        .contains("offset=2"));
    answer(
        &mut ex,
        200,
        r#"{"incidents": [{"id": "P3"}], "limit": 2, "offset": 2, "more": false}"#,
    )
    .unwrap();
    assert!(pager.next().unwrap().is_none());
}

#[wasm_bindgen_test]
fn webhooks_verify_and_the_sans_io_layer_builds() {
    let body = br#"{"event":{"id":"01","event_type":"incident.triggered","resource_type":"incident","occurred_at":"2026-11-23T10:00:00Z","data":{}}}"#;
    let v = WebhookVerifier::new(vec!["secret".into()], 0.0).unwrap();
    let err = v.verify("v1=00", body).unwrap_err();
    assert_eq!(
        get(&err, &["code"]).as_string().unwrap(),
        "invalid_signature"
    );
    let built = pagerduty_wasm::plain::build(obj(r#"{"api": "events", "routing_key": "R0123456789abcdef0123456789abcde", "action": "resolve", "dedup_key": "k"}"#), &[1u8; 16]).unwrap();
    assert_eq!(get(&built, &["api"]).as_string().unwrap(), "events_v2");
    let parsed = pagerduty_wasm::plain::parse_reply(
        "events_v2",
        202,
        JsValue::NULL,
        br#"{"status":"success","dedup_key":"k"}"#,
    )
    .unwrap();
    assert_eq!(get(&parsed, &["dedup_key"]).as_string().unwrap(), "k");
}
