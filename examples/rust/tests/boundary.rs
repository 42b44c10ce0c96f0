//! Issue 11 in Rust, through pagerduty-client's blocking transport (the one libpagerduty gives C
//! and Python) against the simulator playing a hostile or broken server: nothing reaches another
//! host, redirects are failures, secrets never come back in an error, timeouts hold, TLS and DNS
//! failures are named at once, oversized answers are refused while reading, and a call can be
//! cancelled.

use std::time::{Duration, Instant};

use pagerduty_client::blocking::Transport;
use pagerduty_client::{random_bytes, Settings};
use pagerduty_core::bindings::options::ClientOptions;
use pagerduty_core::credentials::{IntegrationKey, RestToken};
use pagerduty_core::events::{EventOp, Events, Severity, Trigger};
use pagerduty_core::http::Method;
use pagerduty_core::region::Endpoints;
use pagerduty_core::response_error::Api;
use pagerduty_core::rest::{json_text, Rest};
use pagerduty_core::retry::RetryPolicy;
use pagerduty_core::Error;
use pagerduty_mock::faults::Fault;
use pagerduty_mock::{keys, BackgroundMock, Config};

fn mock(faults: Vec<Fault>) -> BackgroundMock {
    BackgroundMock::start(Config {
        faults,
        ..Config::default()
    })
    .unwrap()
}

fn fast(attempts: u32) -> Settings {
    Settings {
        retry: RetryPolicy {
            max_attempts: attempts,
            deadline: Duration::from_secs(20),
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(5),
        },
        ..Settings::default()
    }
}

fn trigger(base: &str) -> EventOp {
    let key = IntegrationKey::new(keys::ROUTING_KEY_1).unwrap();
    Events::new(Endpoints::custom(base).unwrap())
        .trigger(
            &key,
            &Trigger::new("disk full", "db-1", Severity::Critical),
            random_bytes().unwrap(),
        )
        .unwrap()
}

fn send_event(http: &Transport, op: &EventOp) -> Result<(), Error> {
    op.parse(&http.send(op.request.clone(), op.api())?)
        .map(|_| ())
}

fn rest(base: &str) -> Rest {
    Rest::new(
        RestToken::general_access(keys::FULL_ACCESS).unwrap().into(),
        Endpoints::custom(base).unwrap(),
    )
}

fn get(http: &Transport, rest: &Rest, path: &str) -> Result<String, Error> {
    let response = http.send(rest.call(Method::Get, path).build()?, Api::Rest)?;
    json_text(&response).map(str::to_owned)
}

fn stray_count(m: &BackgroundMock) -> u64 {
    m.stray()["count"].as_u64().unwrap()
}

#[test]
fn redirects_are_failures_and_nothing_reaches_the_other_host() {
    for status in [301, 302, 307, 308] {
        let m = mock(vec![Fault {
            redirect: 1.0,
            redirect_status: status,
            ..Default::default()
        }]);
        let http = Transport::new(&fast(3)).unwrap();
        let e = send_event(&http, &trigger(&m.url())).unwrap_err();
        assert_eq!((e.code(), e.status()), ("http_error", Some(status)), "{e}");
        let e = get(&http, &rest(&m.url()), "/incidents").unwrap_err();
        assert_eq!((e.code(), e.status()), ("http_error", Some(status)), "{e}");
        assert_eq!(stray_count(&m), 0, "a {status} was followed");
    }
}

#[test]
fn a_server_quoting_the_key_back_never_gets_it_into_an_error() {
    let m = mock(vec![Fault {
        echo_key: 1.0,
        ..Default::default()
    }]);
    let http = Transport::new(&fast(1)).unwrap();
    let e = send_event(&http, &trigger(&m.url())).unwrap_err();
    let e2 = get(&http, &rest(&m.url()), "/incidents").unwrap_err();
    for e in [e, e2] {
        let all = format!("{e} {e:?} {:?}", e.request_id());
        assert!(!all.contains(keys::ROUTING_KEY_1), "{all}");
        assert!(!all.contains(keys::FULL_ACCESS), "{all}");
        assert!(all.contains("<redacted>"), "{all}");
    }
}

#[test]
fn each_event_attempt_keeps_the_timeout_not_the_retry_deadline() {
    let m = mock(vec![Fault {
        stall: 1.0,
        ..Default::default()
    }]);
    let settings = Settings {
        timeout: Duration::from_secs(2),
        ..fast(1)
    };
    let http = Transport::new(&settings).unwrap();
    let t0 = Instant::now();
    let e = send_event(&http, &trigger(&m.url())).unwrap_err();
    assert_eq!(e.code(), "timeout", "{e}");
    assert!(t0.elapsed() < Duration::from_secs(3), "{:?}", t0.elapsed());
}

#[test]
fn an_untrusted_certificate_fails_at_once_named_and_a_ca_option_trusts_it() {
    let m = BackgroundMock::start(Config {
        tls: true,
        ..Config::default()
    })
    .unwrap();
    let http = Transport::new(&Settings::default()).unwrap();
    let t0 = Instant::now();
    let e = send_event(&http, &trigger(&m.url())).unwrap_err();
    assert_eq!(e.code(), "transport");
    assert!(e.to_string().contains("certificate not trusted"), "{e}");
    assert!(
        t0.elapsed() < Duration::from_secs(2),
        "retried: {:?}",
        t0.elapsed()
    );

    let trusted = Transport::new(&Settings {
        ca_pem: m.cert_pem().map(str::to_owned),
        ..Settings::default()
    })
    .unwrap();
    send_event(&trusted, &trigger(&m.url())).unwrap();
    let bad = Transport::new(&Settings {
        ca_pem: Some("not a certificate".into()),
        ..Settings::default()
    })
    .unwrap_err();
    assert_eq!(bad.code(), "invalid_input");
}

#[test]
fn an_unknown_host_is_named_and_not_retried() {
    let http = Transport::new(&Settings::default()).unwrap();
    let t0 = Instant::now();
    let e = send_event(&http, &trigger("https://no-such-host.invalid")).unwrap_err();
    assert!(
        e.to_string()
            .contains("could not resolve host no-such-host.invalid"),
        "{e}"
    );
    assert!(t0.elapsed() < Duration::from_secs(5), "{:?}", t0.elapsed());
}

#[test]
fn an_oversized_answer_is_refused_while_reading() {
    let m = mock(vec![Fault {
        huge_body: 1.0,
        huge_body_mb: 50,
        ..Default::default()
    }]);
    let o =
        ClientOptions::from_json(&serde_json::json!({"max_response_bytes": 1_000_000})).unwrap();
    let http = Transport::new(&Settings::from_options(&o)).unwrap();
    let t0 = Instant::now();
    let e = get(&http, &rest(&m.url()), "/incidents").unwrap_err();
    assert_eq!((e.code(), e.status()), ("decode", Some(200)), "{e}");
    assert!(e.to_string().contains("1000000-byte cap"), "{e}");
    assert!(t0.elapsed() < Duration::from_secs(5));
}

#[test]
fn cancel_ends_a_call_in_a_retry_wait() {
    let m = mock(vec![Fault {
        rate_limit: 1.0,
        ..Default::default()
    }]);
    let http = Transport::new(&Settings::default()).unwrap();
    let other = http.clone();
    let op = trigger(&m.url());
    let call = std::thread::spawn(move || {
        let t0 = Instant::now();
        (send_event(&other, &op), t0.elapsed())
    });
    std::thread::sleep(Duration::from_millis(300));
    http.cancel();
    let (result, took) = call.join().unwrap();
    assert_eq!(result.unwrap_err().code(), "cancelled");
    assert!(took < Duration::from_secs(2), "{took:?}");
    // And every later call.
    let e = send_event(&http, &trigger(&m.url())).unwrap_err();
    assert_eq!(e.code(), "cancelled");
}

#[test]
fn eight_faults_in_a_row_do_not_lose_an_event() {
    let m = mock(vec![Fault {
        route: "/v2/enqueue".into(),
        fail_streak: 8,
        fail_streak_fraction: 1.0,
        ..Default::default()
    }]);
    let http = Transport::new(&Settings {
        retry: RetryPolicy {
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(10),
            ..RetryPolicy::default()
        },
        ..Settings::default()
    })
    .unwrap();
    for _ in 0..20 {
        send_event(&http, &trigger(&m.url())).unwrap();
    }
    assert_eq!(m.with_state(|s| s.alerts.len()), 20);
}
