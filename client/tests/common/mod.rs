//! What the client's suites share: the simulator's keys, a short retry policy, the fault set.
#![allow(dead_code, unused_imports)]

use std::time::Duration;

use pagerduty_client::{Options, RetryPolicy};
use pagerduty_mock::faults::Fault;

pub use pagerduty_mock::keys::{FULL_ACCESS, READ_ONLY, ROUTING_KEY_1, ROUTING_KEY_2};

/// Retries as in production (deadline, no attempt cap) but with millisecond backoff, so that
/// thousands of faults cost seconds; the server's own retry-after is still obeyed.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: u32::MAX,
        deadline: Duration::from_secs(60),
        base_delay: Duration::from_millis(2),
        max_delay: Duration::from_millis(20),
    }
}

pub fn options(url: &str) -> Options {
    Options::new()
        .region(url)
        .from("ada@example.com")
        .retry(fast_retry())
}

/// 20% 5xx, 10% 429 (a twentieth of them with a 1 s retry-after), 5% answers lost after the
/// event was processed: what makes a naive client lose or duplicate alerts.
pub fn event_faults() -> Vec<Fault> {
    vec![Fault {
        route: "/v2/enqueue".into(),
        server_error: 0.20,
        rate_limit_no_headers: 0.095,
        rate_limit: 0.005,
        drop_after: 0.05,
        ..Default::default()
    }]
}

/// The simulator's counters (`GET /_mock/counters`), over a plain socket so that no client
/// under test is involved.
pub fn counters(url: &str) -> serde_json::Value {
    inspect(url, "GET", "counters", "")
}

/// `METHOD /_mock/WHAT` with `body`, over a plain socket.
pub fn inspect(url: &str, method: &str, what: &str, body: &str) -> serde_json::Value {
    use std::io::{Read, Write};
    let addr = url.trim_start_matches("http://").trim_end_matches('/');
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "{method} /_mock/{what} HTTP/1.0\r\nHost: {addr}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or("");
    serde_json::from_str(body).unwrap()
}
