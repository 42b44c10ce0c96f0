//! Events API v2, change events and v1: every validation rule with the message a user sees,
//! the exact bodies, the retry-safe dedup_key, and the answers.

use std::time::Duration;

use pagerduty_core::credentials::{IntegrationKey, RestToken};
use pagerduty_core::events::{
    change_from_json, trigger_from_json, Action, ChangeEvent, EventOptions, Events, Image, Link,
    Severity, Trigger, V1Event,
};
use pagerduty_core::http::{Method, Response};
use pagerduty_core::region::Endpoints;
use pagerduty_core::response_error::Api;
use pagerduty_core::retry::{Retry, RetryPolicy, Step, TransportError};
use serde_json::{json, Value};

const KEY: &str = "8f2a6b0c1d4e4f5a9b7c3d2e1f0a9b8c";

fn key() -> IntegrationKey {
    IntegrationKey::new(KEY).unwrap()
}

fn body(op: &pagerduty_core::events::EventOp) -> Value {
    serde_json::from_str(op.request.body.as_deref().unwrap()).unwrap()
}

fn msg(r: Result<pagerduty_core::events::EventOp, pagerduty_core::Error>) -> String {
    r.unwrap_err().to_string()
}

#[test]
fn trigger_with_every_field() {
    let t = Trigger {
        summary: "Disk 95% full on db-1".into(),
        source: "db-1.prod".into(),
        severity: Some(Severity::Critical),
        timestamp: Some("2015-07-17T08:42:58.315+0000".into()),
        component: Some("postgres".into()),
        group: Some("prod-db".into()),
        class: Some("disk".into()),
        custom_details: Some(json!({"free": "5%"})),
        images: vec![Image {
            src: "https://example.com/chart.png".into(),
            href: Some("https://example.com".into()),
            alt: Some("chart".into()),
        }],
        links: vec![Link {
            href: "https://runbook.example.com/disk".into(),
            text: Some("Runbook".into()),
        }],
        dedup_key: Some("disk/db-1".into()),
        client: Some("Nagios".into()),
        client_url: Some("https://nagios.example.com".into()),
    };
    let op = Events::default().trigger(&key(), &t, [0; 16]).unwrap();
    assert_eq!(op.request.method, Method::Post);
    assert_eq!(op.request.url, "https://events.pagerduty.com/v2/enqueue");
    assert_eq!(op.request.header("content-type"), Some("application/json"));
    assert_eq!(op.request.header("authorization"), None);
    assert_eq!(op.api(), Api::EventsV2);
    assert_eq!(op.dedup_key(), Some("disk/db-1"));
    assert_eq!(
        body(&op),
        json!({
            "routing_key": KEY,
            "event_action": "trigger",
            "dedup_key": "disk/db-1",
            "payload": {
                "summary": "Disk 95% full on db-1",
                "source": "db-1.prod",
                "severity": "critical",
                "timestamp": "2015-07-17T08:42:58.315+0000",
                "component": "postgres",
                "group": "prod-db",
                "class": "disk",
                "custom_details": {"free": "5%"},
            },
            "images": [{"src": "https://example.com/chart.png", "href": "https://example.com", "alt": "chart"}],
            "links": [{"href": "https://runbook.example.com/disk", "text": "Runbook"}],
            "client": "Nagios",
            "client_url": "https://nagios.example.com",
        })
    );
    // The key never shows in Debug output of the op.
    assert!(!format!("{op:?}").contains(KEY));
}

#[test]
fn a_trigger_without_dedup_key_gets_one_before_the_first_attempt() {
    let t = Trigger::new("s", "src", Severity::Info);
    let op = Events::default().trigger(&key(), &t, [0xab; 16]).unwrap();
    let generated = op.dedup_key().unwrap().to_owned();
    assert_eq!(generated, "abababab-abab-4bab-abab-abababababab");
    assert_eq!(body(&op)["dedup_key"], generated);
    // Every retry resends the same key: a lost 202 cannot open a second alert.
    let mut retry = Retry::new(op.request.clone(), op.api(), RetryPolicy::default());
    let mut sent_keys = vec![];
    let mut now = Duration::ZERO;
    let mut step = retry.start(now);
    let mut answers = vec![
        Err(TransportError::Other("connection reset after send".into())),
        Ok(Response::new(503, vec![], "")),
        Ok(Response::new(
            429,
            vec![("retry-after".into(), "1".into())],
            "",
        )),
        Ok(Response::new(
            202,
            vec![],
            format!(
                r#"{{"status":"success","message":"Event processed","dedup_key":"{generated}"}}"#
            ),
        )),
    ]
    .into_iter();
    let result = loop {
        step = match step {
            Step::Send(req) => {
                let b: Value = serde_json::from_str(req.body.as_deref().unwrap()).unwrap();
                sent_keys.push(b["dedup_key"].as_str().unwrap().to_owned());
                match answers.next().unwrap() {
                    Ok(r) => retry.handle_response(r, now, 42),
                    Err(e) => retry.handle_transport_error(e, now, 42),
                }
            }
            Step::Wait(d) => {
                now += d;
                retry.resume(now)
            }
            Step::Done(r) => break r,
        };
    };
    let accepted = op.parse(&result.unwrap()).unwrap();
    assert_eq!(accepted.dedup_key.as_deref(), Some(generated.as_str()));
    assert_eq!(sent_keys, vec![generated.clone(); 4]);
    // Different random bytes, different key.
    let other = Events::default().trigger(&key(), &t, [1; 16]).unwrap();
    assert_ne!(other.dedup_key(), Some(generated.as_str()));
}

#[test]
fn acknowledge_and_resolve() {
    let ev = Events::default();
    let op = ev.acknowledge(&key(), "disk/db-1").unwrap();
    assert_eq!(
        body(&op),
        json!({"routing_key": KEY, "event_action": "acknowledge", "dedup_key": "disk/db-1"})
    );
    let op = ev.resolve(&key(), "disk/db-1").unwrap();
    assert_eq!(body(&op)["event_action"], "resolve");
    assert_eq!(
        msg(ev.resolve(&key(), "")),
        "invalid dedup_key: is required to resolve an alert (at most 255 characters)"
    );
    assert_eq!(
        msg(ev.acknowledge(&key(), &"k".repeat(256))),
        "invalid dedup_key: is required to acknowledge an alert (at most 255 characters)"
    );
    assert_eq!(
        msg(ev.follow_up(&key(), Action::Trigger, "k")),
        "invalid event_action: a trigger needs a payload: use trigger()"
    );
    assert_eq!(
        Action::parse("escalate").unwrap_err().to_string(),
        "invalid event_action: \"escalate\" is not one of trigger, acknowledge, resolve"
    );
}

#[test]
fn trigger_validation_messages() {
    let ev = Events::default();
    let base = Trigger::new("Disk full", "db-1", Severity::Error);
    let with = |f: &dyn Fn(&mut Trigger)| {
        let mut t = base.clone();
        f(&mut t);
        msg(ev.trigger(&key(), &t, [0; 16]))
    };
    assert_eq!(
        with(&|t| t.summary = "  ".into()),
        "invalid payload.summary: is required"
    );
    assert_eq!(
        with(&|t| t.summary = "é".repeat(1025)),
        "invalid payload.summary: is 1025 characters; PagerDuty allows at most 1024 (ask for truncate_summary to cut it instead)"
    );
    assert_eq!(
        with(&|t| t.source = String::new()),
        "invalid payload.source: is required"
    );
    assert_eq!(
        with(&|t| t.severity = None),
        "invalid payload.severity: is required: one of critical, error, warning, info"
    );
    assert_eq!(
        Severity::parse("high").unwrap_err().to_string(),
        "invalid payload.severity: \"high\" is not one of critical, error, warning, info"
    );
    assert_eq!(
        with(&|t| t.dedup_key = Some("x".repeat(256))),
        "invalid dedup_key: is 256 characters; PagerDuty allows at most 255"
    );
    assert_eq!(
        with(&|t| t.timestamp = Some("17/07/2015".into())),
        "invalid payload.timestamp: \"17/07/2015\" is not an ISO 8601 date and time such as 2026-11-23T16:42:17Z"
    );
    assert_eq!(
        with(&|t| t.images = vec![Image { src: "http://example.com/x.png".into(), ..Default::default() }]),
        "invalid images[0].src: must be an https:// URL (PagerDuty only shows images served over https)"
    );
    assert_eq!(
        with(&|t| t.links = vec![Link {
            href: "".into(),
            text: None
        }]),
        "invalid links[0].href: is required"
    );
    let big = with(&|t| t.custom_details = Some(json!({"blob": "x".repeat(600 * 1024)})));
    assert!(big.starts_with("invalid body: is 614"), "{big}");
    assert!(
        big.ends_with(" bytes; PagerDuty accepts events of at most 524288 bytes (512 KB)"),
        "{big}"
    );
    // 1024 characters exactly is fine, and truncation is there when asked for.
    let mut t = base.clone();
    t.summary = "é".repeat(1024);
    assert!(ev.trigger(&key(), &t, [0; 16]).is_ok());
    t.summary = "é".repeat(5000);
    let cut = Events::default()
        .with_options(EventOptions {
            truncate_summary: true,
        })
        .trigger(&key(), &t, [0; 16])
        .unwrap();
    assert_eq!(
        body(&cut)["payload"]["summary"]
            .as_str()
            .unwrap()
            .chars()
            .count(),
        1024
    );
}

#[test]
fn the_key_kind_is_checked_before_anything_is_built() {
    // A REST key is refused as an integration key, and an integration key as a REST key.
    assert_eq!(
        IntegrationKey::new("y_NbAkKc66ryYTWUXYEu")
            .unwrap_err()
            .code(),
        "wrong_key_kind"
    );
    assert_eq!(
        RestToken::general_access(KEY).unwrap_err().code(),
        "wrong_key_kind"
    );
}

#[test]
fn change_events() {
    let c = ChangeEvent {
        summary: "Deployed web v42".into(),
        source: Some("ci".into()),
        timestamp: Some("2026-11-23T16:00:00Z".into()),
        custom_details: Some(json!({"sha": "abc"})),
        links: vec![Link {
            href: "https://ci.example.com/42".into(),
            text: None,
        }],
    };
    let op = Events::default().change(&key(), &c).unwrap();
    assert_eq!(
        op.request.url,
        "https://events.pagerduty.com/v2/change/enqueue"
    );
    assert_eq!(op.dedup_key(), None);
    assert_eq!(
        body(&op),
        json!({
            "routing_key": KEY,
            "payload": {"summary": "Deployed web v42", "source": "ci", "timestamp": "2026-11-23T16:00:00Z", "custom_details": {"sha": "abc"}},
            "links": [{"href": "https://ci.example.com/42"}],
        })
    );
    let too_many = ChangeEvent {
        links: vec![
            Link {
                href: "https://x".into(),
                text: None
            };
            51
        ],
        ..c.clone()
    };
    assert_eq!(
        msg(Events::default().change(&key(), &too_many)),
        "invalid links: has 51 links; PagerDuty accepts at most 50"
    );
    assert_eq!(
        change_from_json(&json!({"summary": "s", "images": [{"src": "https://x"}]}))
            .unwrap_err()
            .to_string(),
        "invalid images: change events take links but no images"
    );
    assert_eq!(
        trigger_from_json(&json!({"summary": "s", "source": "x", "severity": "loud"}))
            .unwrap_err()
            .to_string(),
        "invalid payload.severity: \"loud\" is not one of critical, error, warning, info"
    );
    assert!(
        trigger_from_json(&json!({"summary": "s", "source": "x", "sevrity": "info"}))
            .unwrap_err()
            .to_string()
            .starts_with("invalid trigger: unknown field `sevrity`")
    );
}

#[test]
fn events_v1() {
    let ev = Events::new(Endpoints::parse("eu").unwrap());
    let e = V1Event {
        incident_key: None,
        description: Some("CPU on fire".into()),
        details: Some(json!({"cpu": 100})),
        client: Some("Zabbix".into()),
        client_url: Some("https://zabbix.example.com".into()),
        links: vec![Link {
            href: "https://x.example.com".into(),
            text: Some("x".into()),
        }],
        images: vec![Image {
            src: "https://x.example.com/a.png".into(),
            href: None,
            alt: None,
        }],
    };
    let op = ev.v1(&key(), Action::Trigger, &e, [9; 16]).unwrap();
    assert_eq!(
        op.request.url,
        "https://events.eu.pagerduty.com/generic/2010-04-15/create_event.json"
    );
    assert_eq!(op.api(), Api::EventsV1);
    let k = op.dedup_key().unwrap().to_owned();
    assert_eq!(
        body(&op),
        json!({
            "service_key": KEY,
            "event_type": "trigger",
            "incident_key": k,
            "description": "CPU on fire",
            "details": {"cpu": 100},
            "client": "Zabbix",
            "client_url": "https://zabbix.example.com",
            "contexts": [
                {"type": "link", "href": "https://x.example.com", "text": "x"},
                {"type": "image", "src": "https://x.example.com/a.png"},
            ],
        })
    );
    assert_eq!(
        msg(ev.v1(&key(), Action::Resolve, &V1Event::default(), [0; 16])),
        "invalid incident_key: is required to resolve an incident"
    );
    assert_eq!(
        msg(ev.v1(&key(), Action::Trigger, &V1Event::default(), [0; 16])),
        "invalid description: is required for a trigger"
    );
    let ok = op
        .parse(&Response::new(
            200,
            vec![],
            format!(r#"{{"status":"success","message":"Event processed","incident_key":"{k}"}}"#),
        ))
        .unwrap();
    assert_eq!(ok.dedup_key.as_deref(), Some(k.as_str()));
    // v1's 403 is a rate limit.
    assert_eq!(
        op.parse(&Response::new(403, vec![], ""))
            .unwrap_err()
            .code(),
        "rate_limited"
    );
}

#[test]
fn answers() {
    let op = Events::default()
        .trigger(&key(), &Trigger::new("s", "x", Severity::Info), [3; 16])
        .unwrap();
    let err = op
        .parse(&Response::new(
            400,
            vec![],
            r#"{"status":"invalid event","message":"Event object is invalid","errors":["'payload.severity' is invalid"]}"#,
        ))
        .unwrap_err();
    assert_eq!(err.code(), "invalid_event");
    assert_eq!(
        err.api().unwrap().errors,
        vec!["'payload.severity' is invalid"]
    );
    assert_eq!(
        err.to_string(),
        "invalid event: HTTP 400: Event object is invalid: 'payload.severity' is invalid"
    );
    assert_eq!(
        op.parse(&Response::new(429, vec![], ""))
            .unwrap_err()
            .code(),
        "rate_limited"
    );
    assert_eq!(
        op.parse(&Response::new(500, vec![], "<html/>"))
            .unwrap_err()
            .code(),
        "http_error"
    );
    // A 202 whose body is unreadable still means accepted, with our key.
    let ok = op.parse(&Response::new(202, vec![], "not json")).unwrap();
    assert_eq!(ok.dedup_key.as_deref(), op.dedup_key());
}

#[test]
fn a_custom_base_url_routes_events_too() {
    let ev = Events::new(Endpoints::custom("http://127.0.0.1:8080").unwrap());
    let op = ev.resolve(&key(), "k").unwrap();
    assert_eq!(op.request.url, "http://127.0.0.1:8080/v2/enqueue");
}

/// An image whose src the `url` crate read as an https URL (the check before issue 17) is still
/// accepted, as written: refusing it would refuse the whole event, and so lose it. Spaces, tabs,
/// a trailing dot, `..` segments, user info are all things the core's strict URL parser
/// refuses for keys' destinations, but an image src is only shown by PagerDuty.
#[test]
fn image_srcs_the_url_standard_reads_as_https_are_kept() {
    let srcs = [
        "https://example.com/x.png",
        "https://example.com/my chart.png",
        "https://b\u{fc}cher.example/x.png",
        "https://grafana.example.com./render/x.png",
        "https://example.com/a/../x.png",
        "https://example.com/a/%2e/x.png",
        "https://user@example.com/x.png",
        "HTTPS://EXAMPLE.COM/X.PNG",
        "https://127.1/x.png",
        "https:example.com/x.png",
        "https:\\\\example.com\\x.png",
        " https://example.com/x.png ",
        "https://exa\tmple.com/x.png",
        "https://example.com:443/x.png?a=\u{e9}#f",
        "https://[::ffff:127.0.0.1]/x.png",
        "https://xn--bcher-kva.example/x.png",
        "http://example.com/x.png",
        "https://",
        "https:///",
        "https://user@/x.png",
        "https://exa mple.com/x.png",
        "https://ex<ample.com/x.png",
        "https://example.com:99999/x.png",
        "https://[::1/x.png",
        "ftp://example.com/x.png",
        "data:image/png;base64,iVBORw0KGgo=",
        "javascript:alert(1)",
        "//example.com/x.png",
        "/x.png",
        "",
    ];
    let events = Events::new(Endpoints::default());
    let mut kept = 0;
    for src in srcs {
        let https = url::Url::parse(src).is_ok_and(|u| u.scheme() == "https");
        let t = Trigger {
            summary: "s".into(),
            source: "h".into(),
            severity: Some(Severity::Info),
            images: vec![Image {
                src: src.into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        let op = events.trigger(&key(), &t, [7; 16]);
        assert_eq!(op.is_ok(), https, "{src:?}: {op:?}");
        if let Ok(op) = op {
            assert_eq!(body(&op)["images"][0]["src"], json!(src));
            kept += 1;
        }
        let v1 = V1Event {
            description: Some("d".into()),
            images: vec![Image {
                src: src.into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        let op = events.v1(&key(), Action::Trigger, &v1, [7; 16]);
        assert_eq!(op.is_ok(), https, "v1 {src:?}: {op:?}");
    }
    assert!(kept >= 15, "{kept}");
}
