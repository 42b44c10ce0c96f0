//! json_text and its readers (pages, webhook payloads, Events API answers, a request's secrets)
//! on hostile input (issue 17 review): nesting a million deep in every entry point, none of
//! which may overflow the stack; inputs of megabytes that must be read in linear time; webhook
//! payloads whose repeated keys must read as serde's derive reads them.

use pagerduty_core::events::parse_event_response;
use pagerduty_core::http::{Method, Request, Response};
use pagerduty_core::json_text;
use pagerduty_core::pagination::{Outline, Page};
use pagerduty_core::response_error::Api;
use pagerduty_core::webhook::{parse_event, WebhookEvent};
use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;
use std::time::{Duration, Instant};

const DEEP: usize = 1_000_000;

/// The payload as serde's derive reads it (webhook.rs's own `Envelope`, which is private).
#[derive(Deserialize)]
struct Envelope {
    event: WebhookEvent,
}

fn serde_event(body: &[u8]) -> Result<WebhookEvent, String> {
    serde_json::from_slice::<Envelope>(body)
        .map(|e| e.event)
        .map_err(|e| e.to_string())
}

/// `parse_event`'s result with the message serde's derive would give (the error's text ends
/// with `not a webhook v3 payload: <serde's message>`).
fn ours_event(body: &[u8]) -> Result<WebhookEvent, String> {
    parse_event(body).map_err(|e| {
        let text = e.to_string();
        let at = text
            .find("not a webhook v3 payload: ")
            .unwrap_or_else(|| panic!("{text}"));
        let message = &text[at + "not a webhook v3 payload: ".len()..];
        message.split("; body starts: ").next().unwrap().to_owned()
    })
}

fn same_as_serde(text: &[u8]) {
    let ours = json_text::parse(text).map_err(|e| e.to_string());
    let theirs = serde_json::from_slice::<Value>(text).map_err(|e| e.to_string());
    assert_eq!(ours, theirs);
    assert_eq!(
        json_text::check(text).map_err(|e| e.to_string()).err(),
        theirs.err()
    );
    let skim = json_text::skim(text).map_err(|e| e.to_string());
    let ignored = serde_json::from_slice::<IgnoredAny>(text)
        .map(drop)
        .map_err(|e| e.to_string());
    assert_eq!(skim, ignored);
    let object = json_text::parse_object(text).map_err(|e| e.to_string());
    let map =
        serde_json::from_slice::<serde_json::Map<String, Value>>(text).map_err(|e| e.to_string());
    assert_eq!(object, map);
    let s = std::str::from_utf8(text).unwrap();
    let elements = json_text::elements(text).map_err(|e| e.to_string());
    let raws = serde_json::from_str::<Vec<&RawValue>>(s)
        .map(|items| {
            items
                .iter()
                .map(|i| {
                    let start = i.get().as_ptr() as usize - s.as_ptr() as usize;
                    start..start + i.get().len()
                })
                .collect::<Vec<_>>()
        })
        .map_err(|e| e.to_string());
    assert_eq!(elements, raws);
}

fn page(body: &str) -> Result<Page, String> {
    Page::parse(Response::new(200, vec![], body), "incidents").map_err(|e| e.to_string())
}

fn event_request(body: String) -> Request {
    Request {
        method: Method::Post,
        url: "https://events.pagerduty.com/v2/enqueue".into(),
        headers: vec![],
        body: Some(body),
        timeout: None,
    }
}

/// A million `[` (or `{"a":`) through every reader: serde_json's answer, and no stack overflow.
#[test]
fn a_million_deep_everywhere() {
    let arrays = format!("{}{}", "[".repeat(DEEP), "]".repeat(DEEP));
    let objects = format!("{}1{}", "{\"a\":".repeat(DEEP), "}".repeat(DEEP));
    let unclosed = "[".repeat(DEEP);
    let mixed: String = (0..DEEP)
        .map(|i| if i % 2 == 0 { "[" } else { "{\"k\":" })
        .collect();
    for deep in [&arrays, &objects, &unclosed, &mixed] {
        same_as_serde(deep.as_bytes());
        let in_array = format!("[1,{deep},2]");
        same_as_serde(in_array.as_bytes());
        let in_object = format!("{{\"x\":{deep},\"y\":2}}");
        same_as_serde(in_object.as_bytes());

        // Pages: as an item, as a skipped member, as the one array of a fallback page.
        for body in [
            format!("{{\"incidents\":[{deep}],\"more\":false}}"),
            format!("{{\"other\":{deep},\"incidents\":[{{\"id\":\"P1\"}}]}}"),
            format!("{{\"things\":[{deep}]}}"),
            format!("{{\"offset\":{deep}}}"),
            format!("{{\"more\":{deep}}}"),
            format!("{{\"next_cursor\":{deep}}}"),
            format!("{{\"incidents\":{deep}}}"),
        ] {
            let _ = page(&body);
        }
        // Webhook payloads: errors both (json_text's a syntax error first, where the derive
        // may have complained earlier of a type), and no overflow.
        for body in [
            deep.clone(),
            format!("{{\"event\":{deep}}}"),
            format!("[{deep}]"),
            format!("{{\"event\":{{\"id\":\"E\",\"data\":{deep}}}}}"),
        ] {
            assert!(ours_event(body.as_bytes()).is_err());
            assert!(serde_event(body.as_bytes()).is_err());
        }
        // An Events API 2xx answer is success, however deep its body.
        let ok = parse_event_response(
            &Response::new(202, vec![], deep.as_bytes()),
            Api::EventsV2,
            None,
        );
        assert!(ok.is_ok());
        // Redaction reads the body; an unreadable body hides nothing it could have read.
        let _ = event_request(format!("{{\"routing_key\":\"R\",\"x\":{deep}}}")).secrets();
        assert!(Outline::from_json(deep).is_none());
    }
}

fn timed<T>(what: &str, limit: Duration, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    eprintln!("{what}: {took:?}");
    assert!(took < limit, "{what} took {took:?}");
    out
}

/// Megabytes of escapes, keys, whitespace and skipped values: linear time, serde's answers.
#[test]
fn big_inputs_in_linear_time() {
    let limit = Duration::from_secs(20);
    // 10 MB of `\u0041` escapes in one string.
    let escapes = format!("\"{}\"", "\\u0041".repeat(10 * 1024 * 1024 / 6));
    let v = timed("10 MB of \\u0041: parse", limit, || {
        json_text::parse(escapes.as_bytes()).unwrap()
    });
    assert_eq!(v.as_str().unwrap().len(), 10 * 1024 * 1024 / 6);
    timed("10 MB of \\u0041: skim", limit, || {
        json_text::skim(escapes.as_bytes()).unwrap()
    });
    // The same, unterminated: an error (its position counted once).
    let open = &escapes[..escapes.len() - 1];
    let err = timed("10 MB of \\u0041 unterminated", limit, || {
        json_text::parse(open.as_bytes()).unwrap_err().to_string()
    });
    assert_eq!(
        err,
        serde_json::from_str::<Value>(open).unwrap_err().to_string()
    );
    // 100k keys, in a page (skipped) and in a parsed object.
    let keys: String = (0..100_000)
        .map(|i| format!("\"k{i}\":[{i},{{\"a\":\"b\"}}],"))
        .collect();
    let body = format!("{{{keys}\"incidents\":[{{\"id\":\"P\"}}]}}");
    let p = timed("page of 100k keys", limit, || page(&body).unwrap());
    assert_eq!(p.len(), 1);
    let obj = timed("parse_object of 100k keys", limit, || {
        json_text::parse_object(body.as_bytes()).unwrap()
    });
    assert_eq!(obj.len(), 100_001);
    // 10 MB of whitespace between tokens.
    let spaces = " \n\t\r".repeat(10 * 1024 * 1024 / 4);
    let ws = format!(
        "{spaces}{{{spaces}\"incidents\"{spaces}:{spaces}[{spaces}1{spaces}]{spaces}}}{spaces}"
    );
    let p = timed("page in 50 MB of whitespace", limit, || page(&ws).unwrap());
    assert_eq!(p.item(0), Some("1"));
    // A member read around a skipped 10 MB value.
    let big = format!(
        "{{\"skipped\":[{}0],\"incidents\":[1,2]}}",
        "{\"a\":[1,2.5e3,\"x\",null]},".repeat(400_000)
    );
    let p = timed("page with a 10 MB skipped member", limit, || {
        page(&big).unwrap()
    });
    assert_eq!(p.len(), 2);
}

/// One event field the payload repeats many times with a large value last: each repetition
/// must not cost a copy of that value (a payload under the verifier's 1 MB cap read in
/// minutes was a denial of service).
#[test]
fn a_repeated_extra_field_is_read_in_linear_time() {
    let repeats = "\"zz\":1,".repeat(60_000);
    let big = format!("[{}0]", "1,".repeat(100_000));
    let body = format!(
        "{{\"event\":{{\"id\":\"E\",\"event_type\":\"t\",\"resource_type\":\"r\",\
         \"occurred_at\":\"o\",{repeats}\"zz\":{big}}}}}"
    );
    assert!(body.len() < 1024 * 1024);
    let e = timed(
        "webhook with 60k repeats of an extra field",
        Duration::from_secs(10),
        || ours_event(body.as_bytes()).unwrap(),
    );
    assert_eq!(e.extra["zz"].as_array().unwrap().len(), 100_001);
    assert_eq!(Ok(e), serde_event(body.as_bytes()));
}

/// Repeated and escaped keys in a webhook payload read as serde's derive reads them.
#[test]
fn webhook_repeated_keys_read_as_the_derive_reads_them() {
    let fields = "\"id\":\"E\",\"event_type\":\"t\",\"resource_type\":\"r\",\"occurred_at\":\"o\"";
    for body in [
        // A second `event` that is not an object: the repetition is the error.
        format!("{{\"event\":{{{fields}}},\"event\":1}}"),
        // Whitespace after a repeated key: serde_json's position is past it (where the map's
        // end is looked for once the visitor has failed).
        format!("{{\"event\":{{{fields}}},\"event\" \n\t:1}}"),
        format!("{{\"event\":{{{fields},\"id\"\n:\"F\"}}}}"),
        format!("[{{{fields},\"data\":1,\"data\"  :2}}]"),
        // The webhook fuzz target's find (fuzz/artifacts/webhook/crash-8fa2437b...).
        "{\"event\":{\"id\":\"01BWDWL3N?YY7LUFPZCC28QUCMK\",\"event_type\":\"incirityy_updated\",\"resourc2222222222222222222222222222222222222222222222222222222222222222222222222222222e_type\":\"incident\",\"occurred_at\"\n:\"2022-04-26T1_up`ated\",\"resource_type\":\"incident\",\"occurred_at\"\n:\"2022-04-26T1/7:36:27.458Z\",\"agent\":null,\"clienm\":null,\"data\":{\"id\":\"PGR0VU2{   \"}}  }   ".to_owned(),
        format!("{{\"event\":{{{fields}}},\"event\":[{{{fields}}}]}}"),
        format!("{{\"event\":{{{fields}}},\"ev\\u0065nt\":null}}"),
        // A second `event` that differs from the first.
        format!("{{\"event\":{{{fields},\"data\":1}},\"event\":{{{fields},\"data\":2}}}}"),
        format!("{{\"event\":{{\"id\":5}},\"event\":{{{fields}}}}}"),
        format!("{{\"event\":{{{fields}}},\"event\":{{\"id\":5}}}}"),
        format!("{{\"event\":1,\"event\":{{{fields}}}}}"),
        format!("{{\"event\":[1],\"event\":{{{fields}}}}}"),
        // Keys the same once unescaped; an extra field repeated with different values.
        format!("{{\"event\":{{{fields},\"\\u0069d\":\"F\"}}}}"),
        format!("{{\"event\":{{{fields},\"x\":1,\"\\u0078\":{{\"y\":2}}}}}}"),
        format!("{{\"event\":{{{fields},\"x\":[1],\"y\":0,\"x\":\"two\"}}}}"),
        format!("{{\"event\":{{\"event\":{{{fields}}},{fields}}}}}"),
        format!("{{\"event\":{{{fields},\"data\":{{\"event\":{{}}}}}}}}"),
        format!("\u{feff}{{\"event\":{{{fields}}}}}"),
        format!("{{\"event\":{{{fields}}}}}\u{feff}"),
    ] {
        assert_eq!(
            ours_event(body.as_bytes()),
            serde_event(body.as_bytes()),
            "{body}"
        );
    }
}

/// An event's integration key is a secret of its request however deep the rest of the body
/// nests: custom details that a binding reads (126 levels, under json_text's limit of 128)
/// sit two levels down in the body, which then no longer parses as a whole; the key must
/// still be found for redaction, and so must every value of a repeated key.
#[test]
fn an_events_key_is_a_secret_however_deep_its_details_nest() {
    use pagerduty_core::credentials::IntegrationKey;
    use pagerduty_core::events::{trigger_from_json, Events};
    use pagerduty_core::region::Endpoints;
    const KEY: &str = "R123456789abcdef0123456789abcdef";
    let depth = 126;
    let details = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let details = json_text::parse(details.as_bytes()).expect("a binding reads these details");
    let trigger = trigger_from_json(&serde_json::json!({
        "summary": "s", "source": "x", "severity": "info", "custom_details": details,
    }))
    .unwrap();
    let op = Events::new(Endpoints::default())
        .trigger(&IntegrationKey::new(KEY).unwrap(), &trigger, [7; 16])
        .unwrap();
    assert!(op.request.secrets().iter().any(|s| s == KEY));

    let deep = format!("{}{}", "[".repeat(DEEP), "]".repeat(DEEP));
    for (body, want) in [
        (
            format!("{{\"payload\":{deep},\"routing_key\":\"R-1\"}}"),
            &["R-1"][..],
        ),
        (
            format!("{{\"routing_key\":\"R-1\",\"payload\":{deep}}}"),
            &["R-1"],
        ),
        (
            "{\"routing_key\":\"R-1\",\"routing_key\":\"R-2\"}".to_owned(),
            &["R-1", "R-2"],
        ),
        (
            "{\"service_key\":\"S-1\",\"x\":1,\"service_key\":null}".to_owned(),
            &["S-1"],
        ),
    ] {
        assert_eq!(event_request(body.clone()).secrets(), want, "{body:.80}");
    }
}

/// Numbers at the edges of u64, i64 and f64, and of the exponent's i32: serde_json's kind,
/// bits or message, alone and inside arrays, objects and skipped members.
#[test]
fn numbers_at_the_edges() {
    let zeros = "0".repeat(400);
    let mut texts: Vec<String> = [
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "-18446744073709551616",
        "1.7976931348623157e308",
        "1.7976931348623158e308",
        "1.7976931348623159e308",
        "2.2250738585072014e-308",
        "2.2250738585072011e-308",
        "4.9e-324",
        "2.4e-324",
        "1e-400",
        "-1e-400",
        "1e400",
        "0e400",
        "-0e400",
        "0.0e-999999999999",
        "1e2147483647",
        "1e2147483648",
        "1e-2147483648",
        "1e-2147483649",
        "0e2147483648",
        "123456789012345678901234567890e-10",
        "0.123456789012345678901234567890",
        "-0",
        "-0.0",
        "9007199254740993",
        "9007199254740993.0",
        "1E+2",
        "1e+",
        "1e-",
        "1.",
        "-",
        "01",
        "-01",
        ".5",
        "1.5e",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    texts.push(format!("1{zeros}"));
    texts.push(format!("1{zeros}.5"));
    texts.push(format!("1{zeros}e-300"));
    texts.push(format!("0.{zeros}1"));
    texts.push(format!("0.{zeros}1e400"));
    texts.push(format!("1{zeros}.{zeros}1e-700"));
    let mut all = Vec::new();
    for t in &texts {
        all.push(t.clone());
        all.push(format!("[{t}]"));
        all.push(format!("{{\"a\":{t}}}"));
        all.push(format!("[{t},"));
    }
    for t in &all {
        same_as_serde(t.as_bytes());
        let body = format!("{{\"x\":{t},\"incidents\":[{t}],\"offset\":{t},\"total\":{t}}}");
        let _ = page(&body);
    }
}
