//! The simulator over real sockets: events, REST, keys and permissions, rate limits, faults,
//! inspection, TLS and CORS. The client here is a few lines of raw HTTP/1.1 so that a dropped
//! connection is seen as exactly that.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use pagerduty_mock::faults::Fault;
use pagerduty_mock::{keys, BackgroundMock, Config};
use serde_json::{json, Value};

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Sends a request and leaves the answer unread.
fn open(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> std::io::Result<TcpStream> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes())?;
    Ok(s)
}

fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> std::io::Result<Reply> {
    let mut s = open(addr, method, path, headers, body)?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let (mut reply, rest) = parse_head(&raw)?;
    reply.body = match reply.header("transfer-encoding") {
        Some("chunked") => dechunk(rest),
        _ => rest.to_vec(),
    };
    Ok(reply)
}

/// The status and headers of an answer (its body left empty), and the bytes after the head;
/// an error when the head is not all there.
fn parse_head(raw: &[u8]) -> std::io::Result<(Reply, &[u8])> {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "connection closed without an answer",
            )
        })?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let reply = Reply {
        status,
        headers,
        body: Vec::new(),
    };
    Ok((reply, &raw[split + 4..]))
}

/// The data of a chunked body, as far as its chunks are complete.
fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut data = Vec::new();
    while let Some(eol) = raw.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&raw[..eol])
            .ok()
            .and_then(|s| usize::from_str_radix(s.trim(), 16).ok());
        let start = eol + 2;
        match size {
            Some(n) if n > 0 && raw.len() >= start + n + 2 => {
                data.extend_from_slice(&raw[start..start + n]);
                raw = &raw[start + n + 2..];
            }
            _ => break,
        }
    }
    data
}

fn rest(addr: SocketAddr, key: &str, method: &str, path: &str, body: &str) -> Reply {
    let auth = format!("Token token={key}");
    send(
        addr,
        method,
        path,
        &[("Authorization", &auth), ("From", "ada@example.com")],
        body,
    )
    .unwrap()
}

fn event(addr: SocketAddr, body: Value) -> Reply {
    send(
        addr,
        "POST",
        "/v2/enqueue",
        &[("Content-Type", "application/json")],
        &body.to_string(),
    )
    .unwrap()
}

fn trigger(key: &str, dedup: Option<&str>) -> Value {
    let mut v = json!({"routing_key": key, "event_action": "trigger", "payload": {"summary": "Disk full", "source": "db-1", "severity": "critical"}});
    if let Some(d) = dedup {
        v["dedup_key"] = json!(d);
    }
    v
}

#[test]
fn events_create_alerts_and_move_them_along() {
    let mock = BackgroundMock::start(Config::default()).unwrap();
    let a = mock.addr();
    let r = event(a, trigger(keys::ROUTING_KEY_1, Some("disk/db-1")));
    assert_eq!(r.status, 202);
    assert_eq!(
        r.json(),
        json!({"status": "success", "message": "Event processed", "dedup_key": "disk/db-1"})
    );
    // Same key again: the open alert is updated, no second alert or incident.
    assert_eq!(
        event(a, trigger(keys::ROUTING_KEY_1, Some("disk/db-1"))).status,
        202
    );
    let alerts = send(a, "GET", "/_mock/alerts", &[], "").unwrap().json();
    assert_eq!(alerts["alerts"].as_array().unwrap().len(), 1);
    assert_eq!(alerts["alerts"][0]["triggers"], 2);
    let incident = alerts["alerts"][0]["incident"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let ack = json!({"routing_key": keys::ROUTING_KEY_1, "event_action": "acknowledge", "dedup_key": "disk/db-1"});
    assert_eq!(event(a, ack).status, 202);
    let inc = rest(
        a,
        keys::FULL_ACCESS,
        "GET",
        &format!("/incidents/{incident}"),
        "",
    )
    .json();
    assert_eq!(inc["incident"]["status"], "acknowledged");
    let resolve = json!({"routing_key": keys::ROUTING_KEY_1, "event_action": "resolve", "dedup_key": "disk/db-1"});
    assert_eq!(event(a, resolve).status, 202);
    let inc = rest(
        a,
        keys::FULL_ACCESS,
        "GET",
        &format!("/incidents/{incident}"),
        "",
    )
    .json();
    assert_eq!(inc["incident"]["status"], "resolved");
    // After a resolve, the same key opens a new alert.
    assert_eq!(
        event(a, trigger(keys::ROUTING_KEY_1, Some("disk/db-1"))).status,
        202
    );
    let c = send(a, "GET", "/_mock/counters", &[], "").unwrap().json();
    assert_eq!(
        (c["alerts_created"].as_u64(), c["events_accepted"].as_u64()),
        (Some(2), Some(5))
    );

    // A trigger without a dedup_key gets one from the simulator.
    let r = event(a, trigger(keys::ROUTING_KEY_2, None)).json();
    assert_eq!(r["dedup_key"].as_str().unwrap().len(), 32);
}

#[test]
fn events_are_validated_like_pagerduty() {
    let mock = BackgroundMock::start(Config::default()).unwrap();
    let a = mock.addr();
    let r = event(
        a,
        json!({"routing_key": keys::FULL_ACCESS, "event_action": "trigger", "payload": {"summary": "s", "source": "x", "severity": "loud"}}),
    );
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json(),
        json!({"status": "invalid event", "message": "Event object is invalid", "errors": [
            "Length of 'routing_key' is incorrect (should be 32 characters)",
            "'payload.severity' is invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')",
        ]})
    );
    let r = event(
        a,
        json!({"routing_key": keys::ROUTING_KEY_1, "event_action": "resolve"}),
    );
    assert_eq!(
        r.json()["errors"],
        json!(["'dedup_key' is missing or blank"])
    );
    let r = send(a, "POST", "/v2/enqueue", &[], "{not json").unwrap();
    assert_eq!(r.status, 400);
    let r = send(
        a,
        "POST",
        "/v2/change/enqueue",
        &[],
        &json!({"routing_key": keys::ROUTING_KEY_1, "payload": {"summary": "deploy"}}).to_string(),
    )
    .unwrap();
    assert_eq!(r.status, 202);
    let v1 = json!({"service_key": keys::ROUTING_KEY_2, "event_type": "trigger", "description": "CPU", "incident_key": "cpu/1"});
    let r = send(
        a,
        "POST",
        "/generic/2010-04-15/create_event.json",
        &[],
        &v1.to_string(),
    )
    .unwrap();
    assert_eq!(
        (r.status, r.json()["incident_key"].as_str()),
        (200, Some("cpu/1"))
    );
    let c = send(a, "GET", "/_mock/counters", &[], "").unwrap().json();
    assert_eq!(c["events_rejected"], 3);
}

#[test]
fn rest_keys_roles_and_from() {
    let mock = BackgroundMock::start(Config {
        incidents: 30,
        ..Config::default()
    })
    .unwrap();
    let a = mock.addr();
    // Unknown key, integration key on REST, no header.
    assert_eq!(
        rest(a, "nope_nope_nope_nope1", "GET", "/incidents", "").status,
        401
    );
    let r = rest(a, keys::ROUTING_KEY_1, "GET", "/incidents", "");
    assert_eq!(r.status, 401);
    assert!(r.json()["error"]["errors"][0]
        .as_str()
        .unwrap()
        .contains("integration key"));
    assert_eq!(send(a, "GET", "/incidents", &[], "").unwrap().status, 401);
    // Bearer is accepted.
    let bearer = format!("Bearer {}", keys::USER_TOKEN);
    assert_eq!(
        send(a, "GET", "/users/me", &[("Authorization", &bearer)], "")
            .unwrap()
            .json()["user"]["id"],
        "PUSER01"
    );

    let ack = r#"{"incident":{"type":"incident_reference","status":"acknowledged"}}"#;
    // Read-only key: reads yes, writes 403.
    assert_eq!(
        rest(a, keys::READ_ONLY, "GET", "/incidents", "").status,
        200
    );
    assert_eq!(
        rest(a, keys::READ_ONLY, "PUT", "/incidents/Q0000000000001", ack).status,
        403
    );
    // Observer user token: 403; responder user token: may ack, may not create services.
    assert_eq!(
        rest(
            a,
            keys::OBSERVER_TOKEN,
            "PUT",
            "/incidents/Q0000000000001",
            ack
        )
        .status,
        403
    );
    assert_eq!(
        rest(a, keys::USER_TOKEN, "PUT", "/incidents/Q0000000000001", ack).status,
        200
    );
    assert_eq!(
        rest(
            a,
            keys::USER_TOKEN,
            "POST",
            "/services",
            r#"{"service":{"name":"x"}}"#
        )
        .status,
        403
    );
    // From: required for account keys on the documented operations, code 2016.
    let auth = format!("Token token={}", keys::FULL_ACCESS);
    let r = send(
        a,
        "PUT",
        "/incidents/Q0000000000002",
        &[("Authorization", &auth)],
        ack,
    )
    .unwrap();
    assert_eq!(
        (r.status, r.json()["error"]["code"].as_u64()),
        (400, Some(2016))
    );
    let r = send(
        a,
        "PUT",
        "/incidents/Q0000000000002",
        &[("Authorization", &auth), ("From", "nobody@example.com")],
        ack,
    )
    .unwrap();
    assert_eq!(r.status, 400);
    assert_eq!(
        rest(
            a,
            keys::FULL_ACCESS,
            "PUT",
            "/incidents/Q0000000000002",
            ack
        )
        .json()["incident"]["status"],
        "acknowledged"
    );
    // A user token needs no From.
    let utok = format!("Token token={}", keys::USER_TOKEN);
    assert_eq!(
        send(
            a,
            "POST",
            "/incidents/Q0000000000002/notes",
            &[("Authorization", &utok)],
            r#"{"note":{"content":"on it"}}"#
        )
        .unwrap()
        .status,
        201
    );
    let notes = rest(
        a,
        keys::FULL_ACCESS,
        "GET",
        "/incidents/Q0000000000002/notes",
        "",
    )
    .json();
    assert_eq!(notes["notes"][0]["user"]["id"], "PUSER01");
}

#[test]
fn incident_lists_filter_and_paginate() {
    let mock = BackgroundMock::start(Config {
        incidents: 10_050,
        ..Config::default()
    })
    .unwrap();
    let a = mock.addr();
    let r = rest(
        a,
        keys::FULL_ACCESS,
        "GET",
        "/incidents?limit=100&offset=0&total=true",
        "",
    );
    let page = r.json();
    assert_eq!(page["incidents"].as_array().unwrap().len(), 100);
    assert_eq!(
        (page["more"].as_bool(), page["total"].as_u64()),
        (Some(true), Some(10_050))
    );
    assert!(r.header("ratelimit-remaining").is_some());
    // Default limit 25, cap at 100.
    assert_eq!(
        rest(a, keys::FULL_ACCESS, "GET", "/incidents", "").json()["limit"],
        25
    );
    assert_eq!(
        rest(a, keys::FULL_ACCESS, "GET", "/incidents?limit=500", "").json()["limit"],
        100
    );
    // The 10,000 cap.
    let r = rest(
        a,
        keys::FULL_ACCESS,
        "GET",
        "/incidents?limit=100&offset=9950",
        "",
    );
    assert_eq!(
        (r.status, r.json()["error"]["code"].as_u64()),
        (400, Some(2002))
    );
    assert_eq!(
        rest(
            a,
            keys::FULL_ACCESS,
            "GET",
            "/incidents?limit=100&offset=9900",
            ""
        )
        .status,
        200
    );
    // Filters.
    let q = "/incidents?statuses%5B%5D=triggered&service_ids%5B%5D=PSVC002&urgencies%5B%5D=high&total=true&limit=100";
    let page = rest(a, keys::FULL_ACCESS, "GET", q, "").json();
    for i in page["incidents"].as_array().unwrap() {
        assert_eq!(
            (
                i["status"].as_str(),
                i["service"]["id"].as_str(),
                i["urgency"].as_str()
            ),
            (Some("triggered"), Some("PSVC002"), Some("high"))
        );
    }
    assert!(page["total"].as_u64().unwrap() > 0);
    // Seeded incidents are dated back from the simulator's start: a window around the 100th.
    let all = rest(
        a,
        keys::FULL_ACCESS,
        "GET",
        "/incidents?limit=100&offset=100",
        "",
    )
    .json();
    let hundredth = all["incidents"][0]["created_at"]
        .as_str()
        .unwrap()
        .to_owned();
    let at =
        time::OffsetDateTime::parse(&hundredth, &time::format_description::well_known::Rfc3339)
            .unwrap();
    let fmt = |t: time::OffsetDateTime| {
        t.format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    };
    let (since, until) = (
        fmt(at - time::Duration::hours(1)),
        fmt(at + time::Duration::hours(1)),
    );
    let page = rest(
        a,
        keys::FULL_ACCESS,
        "GET",
        &format!("/incidents?team_ids[]=PTEAM01&since={since}&until={until}&total=true"),
        "",
    )
    .json();
    let found = page["incidents"].as_array().unwrap();
    assert!(!found.is_empty(), "{since}..{until}");
    for i in found {
        let created = i["created_at"].as_str().unwrap();
        assert!(
            created >= since.as_str() && created <= until.as_str(),
            "{created}"
        );
        assert_eq!(i["teams"][0]["id"], "PTEAM01");
    }
    assert!(
        rest(
            a,
            keys::FULL_ACCESS,
            "GET",
            "/incidents?since=yesterday",
            ""
        )
        .status
            == 400
    );
    // Cursor pagination on audit records.
    let mut cursor: Option<String> = None;
    let mut seen = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("/audit/records?limit=100&cursor={c}"),
            None => "/audit/records?limit=100".into(),
        };
        let page = rest(a, keys::FULL_ACCESS, "GET", &path, "").json();
        seen += page["records"].as_array().unwrap().len();
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen, 250);
}

#[test]
fn seeded_resources() {
    let mock = BackgroundMock::start(Config::default()).unwrap();
    let a = mock.addr();
    let get = |p: &str| rest(a, keys::FULL_ACCESS, "GET", p, "");
    assert_eq!(
        get("/services").json()["services"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        get("/services/PSVC001").json()["service"]["name"],
        "Checkout API"
    );
    assert_eq!(
        get("/users?query=grace").json()["users"][0]["role"],
        "admin"
    );
    assert_eq!(
        get("/users/PUSER01/contact_methods").json()["contact_methods"][0]["address"],
        "ada@example.com"
    );
    assert_eq!(
        get("/users/PUSER01/notification_rules?urgency=low").json()["notification_rules"][0]
            ["urgency"],
        "low"
    );
    assert_eq!(get("/teams").json()["teams"].as_array().unwrap().len(), 2);
    assert_eq!(
        get("/schedules/PSCHED1/users").json()["users"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(get("/schedules/PSCHED1/overrides").status, 400);
    assert_eq!(
        get("/escalation_policies/PESC002").json()["escalation_policy"]["name"],
        "Data on-call"
    );
    assert_eq!(
        get("/oncalls?user_ids[]=PUSER02").json()["oncalls"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        get("/priorities").json()["priorities"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
    assert_eq!(get("/tags").json()["tags"][0]["label"], "prod");
    assert_eq!(get("/abilities/teams").status, 204);
    assert_eq!(get("/abilities/nope").status, 402);
    assert_eq!(get("/nothing/here").status, 404);
}

#[test]
fn rate_limits_like_pagerduty() {
    let mut config = Config::default();
    config.rest_limit.limit = 3;
    let mock = BackgroundMock::start(config).unwrap();
    let a = mock.addr();
    let statuses: Vec<u16> = (0..5)
        .map(|_| rest(a, keys::FULL_ACCESS, "GET", "/priorities", "").status)
        .collect();
    assert_eq!(statuses, [200, 200, 200, 429, 429]);
    let r = rest(a, keys::FULL_ACCESS, "GET", "/priorities", "");
    assert_eq!(
        r.json(),
        json!({"error": {"message": "Rate Limit Exceeded", "code": 2020, "errors": []}})
    );
    assert_eq!(r.header("ratelimit-limit"), Some("3"));
    assert_eq!(r.header("ratelimit-remaining"), Some("0"));
    assert!(r.header("ratelimit-reset").unwrap().parse::<u64>().unwrap() >= 1);
    // Limits are per key.
    assert_eq!(
        rest(a, keys::READ_ONLY, "GET", "/priorities", "").status,
        200
    );
}

#[test]
fn faults_are_seeded_and_reproducible() {
    let rules = vec![Fault {
        route: "/v2/".into(),
        server_error: 0.2,
        rate_limit: 0.1,
        drop_before: 0.05,
        drop_after: 0.05,
        ..Default::default()
    }];
    let run = || {
        let mock = BackgroundMock::start(Config {
            seed: 7,
            faults: rules.clone(),
            ..Config::default()
        })
        .unwrap();
        let outcomes: Vec<String> = (0..200)
            .map(|i| {
                match send(
                    mock.addr(),
                    "POST",
                    "/v2/enqueue",
                    &[],
                    &trigger(keys::ROUTING_KEY_1, Some(&format!("k{i}"))).to_string(),
                ) {
                    Ok(r) => r.status.to_string(),
                    Err(_) => "dropped".into(),
                }
            })
            .collect();
        let alerts = mock.with_state(|s| s.alerts.len());
        (outcomes, alerts)
    };
    let (first, alerts) = run();
    let (second, _) = run();
    assert_eq!(first, second, "same seed, same faults");
    let count = |s: &str| first.iter().filter(|o| *o == s).count();
    assert!(
        count("202") > 100 && count("429") > 5 && count("dropped") > 5,
        "{first:?}"
    );
    assert!(first.iter().any(|o| o == "500" || o == "502" || o == "503"));
    // Dropped after processing: the alert exists although the client saw no answer.
    assert!(
        alerts > count("202"),
        "alerts {alerts} vs 202s {}",
        count("202")
    );
}

#[test]
fn malformed_bodies_latency_and_runtime_fault_changes() {
    let mock = BackgroundMock::start(Config::default()).unwrap();
    let a = mock.addr();
    let put = |rules: Value| send(a, "PUT", "/_mock/faults", &[], &rules.to_string()).unwrap();
    assert_eq!(
        put(json!([{"route": "/priorities", "html_502": 1.0}])).status,
        200
    );
    let r = rest(a, keys::FULL_ACCESS, "GET", "/priorities", "");
    assert_eq!(
        (r.status, r.header("content-type")),
        (502, Some("text/html"))
    );
    put(json!([{"route": "/priorities", "truncated_json": 1.0}]));
    let r = rest(a, keys::FULL_ACCESS, "GET", "/priorities", "");
    assert_eq!(r.status, 200);
    assert!(serde_json::from_slice::<Value>(&r.body).is_err());
    put(json!([{"route": "/teams", "latency_ms": 150}]));
    let t = std::time::Instant::now();
    assert_eq!(rest(a, keys::FULL_ACCESS, "GET", "/teams", "").status, 200);
    assert!(t.elapsed() >= Duration::from_millis(150));
    put(json!([{"route": "/users", "rate_limit_no_headers": 1.0}]));
    let r = rest(a, keys::FULL_ACCESS, "GET", "/users", "");
    assert_eq!(
        (
            r.status,
            r.header("retry-after"),
            r.header("ratelimit-reset")
        ),
        (429, None, None)
    );
    assert_eq!(put(json!([{"route": "/x", "nonsense": 1}])).status, 400);
    let c = send(a, "GET", "/_mock/counters", &[], "").unwrap().json();
    assert_eq!(c["faults"]["html_502"], 1);
    // Reset clears what was received.
    event(a, trigger(keys::ROUTING_KEY_1, None));
    assert_eq!(
        send(a, "POST", "/_mock/reset", &[], "{}").unwrap().status,
        200
    );
    assert_eq!(
        send(a, "GET", "/_mock/events", &[], "").unwrap().json()["events"],
        json!([])
    );
}

#[test]
fn cors_preflight_and_headers() {
    let mock = BackgroundMock::start(Config::default()).unwrap();
    let r = send(
        mock.addr(),
        "OPTIONS",
        "/incidents",
        &[
            ("Origin", "http://127.0.0.1:5173"),
            ("Access-Control-Request-Method", "GET"),
        ],
        "",
    )
    .unwrap();
    assert_eq!(r.status, 204);
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("http://127.0.0.1:5173")
    );
    assert!(r
        .header("access-control-allow-headers")
        .unwrap()
        .contains("Authorization"));
    assert!(r
        .header("access-control-expose-headers")
        .unwrap()
        .contains("x-request-id"));
}

#[test]
fn tls_serves_a_self_signed_certificate() {
    let mock = BackgroundMock::start(Config {
        tls: true,
        ..Config::default()
    })
    .unwrap();
    assert!(mock.url().starts_with("https://127.0.0.1:"));
    let pem = mock.cert_pem().unwrap();
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));
    // Plain HTTP to the TLS port gets no HTTP answer.
    assert!(send(mock.addr(), "GET", "/priorities", &[], "").is_err());
    // A TLS handshake succeeds (openssl is on these machines); the certificate is ours.
    let out = std::process::Command::new("openssl")
        .args([
            "s_client",
            "-connect",
            &mock.addr().to_string(),
            "-servername",
            "localhost",
        ])
        .stdin(std::process::Stdio::null())
        .output();
    if let Ok(out) = out {
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("BEGIN CERTIFICATE"), "{text}");
    }
}

#[test]
fn a_listed_incident_shows_its_changes_on_the_next_page() {
    // Pages come from a per-incident JSON cache: a change must not leave a stale copy behind.
    let mock = BackgroundMock::start(Config {
        incidents: 3,
        ..Config::default()
    })
    .unwrap();
    let a = mock.addr();
    let status = |a| {
        let page = rest(a, keys::FULL_ACCESS, "GET", "/incidents?limit=100", "").json();
        page["incidents"][0]["status"].as_str().unwrap().to_owned()
    };
    assert_eq!(status(a), "triggered");
    let ack = r#"{"incident":{"type":"incident_reference","status":"acknowledged"}}"#;
    assert_eq!(
        rest(
            a,
            keys::FULL_ACCESS,
            "PUT",
            "/incidents/Q0000000000001",
            ack
        )
        .status,
        200
    );
    assert_eq!(status(a), "acknowledged");
    rest(
        a,
        keys::FULL_ACCESS,
        "POST",
        "/incidents/Q0000000000001/notes",
        r#"{"note":{"content":"x"}}"#,
    );
    assert_eq!(status(a), "acknowledged");
}

fn put_faults(addr: SocketAddr, rules: Value) -> Reply {
    send(addr, "PUT", "/_mock/faults", &[], &rules.to_string()).unwrap()
}

fn counters(addr: SocketAddr) -> Value {
    send(addr, "GET", "/_mock/counters", &[], "")
        .unwrap()
        .json()
}

fn stray(addr: SocketAddr) -> Value {
    send(addr, "GET", "/_mock/stray", &[], "").unwrap().json()
}

/// `host:port` of an `http://host:port[/...]` URL.
fn url_addr(url: &str) -> SocketAddr {
    let rest = url.strip_prefix("http://").unwrap();
    rest.split('/').next().unwrap().parse().unwrap()
}

#[test]
fn redirects_point_at_the_stray_listener_which_records_what_follows() {
    let mock = BackgroundMock::start(Config::default()).unwrap();
    let a = mock.addr();
    let stray_url = mock.stray_url().to_owned();
    assert!(stray_url.starts_with("http://127.0.0.2:"), "{stray_url}");
    assert_eq!(
        stray(a),
        json!({"url": stray_url, "count": 0, "requests": []})
    );

    let rule = json!([{"route": "/v2/enqueue", "redirect": 1.0, "redirect_status": 307}]);
    assert_eq!(put_faults(a, rule).status, 200);
    let body = trigger(keys::ROUTING_KEY_1, Some("k1")).to_string();
    let headers = [("Content-Type", "application/json")];
    let r = send(a, "POST", "/v2/enqueue?from=test", &headers, &body).unwrap();
    assert_eq!(r.status, 307);
    let location = r.header("location").unwrap().to_owned();
    assert_eq!(location, format!("{stray_url}/v2/enqueue?from=test"));
    // Answered instead of processed.
    assert_eq!(mock.with_state(|s| s.events.len()), 0);

    // A client that follows it hands the whole request to the stray listener.
    let path = &location[stray_url.len()..];
    let r = send(url_addr(&location), "POST", path, &headers, &body).unwrap();
    assert_eq!(
        (r.status, r.json()),
        (
            200,
            json!({"status": "success", "message": "Event processed", "dedup_key": "stray"})
        )
    );
    let seen = stray(a);
    assert_eq!(seen["count"], 1);
    let req = &seen["requests"][0];
    assert_eq!(
        (&req["method"], &req["path"]),
        (&json!("POST"), &json!("/v2/enqueue?from=test"))
    );
    assert_eq!(req["headers"]["content-type"], "application/json");
    assert!(req["body"].as_str().unwrap().contains(keys::ROUTING_KEY_1));

    // Clearing, by DELETE and by reset.
    assert_eq!(
        send(a, "DELETE", "/_mock/stray", &[], "").unwrap().json()["count"],
        0
    );
    assert_eq!(stray(a)["count"], 0);
    send(url_addr(&stray_url), "GET", "/anything", &[], "").unwrap();
    assert_eq!(stray(a)["count"], 1);
    send(a, "POST", "/_mock/reset", &[], "{}").unwrap();
    assert_eq!(stray(a)["count"], 0);

    // Without a status, REST routes too, rotating through the four.
    put_faults(a, json!([{"route": "/priorities", "redirect": 1.0}]));
    let statuses: Vec<u16> = (0..5)
        .map(|_| rest(a, keys::FULL_ACCESS, "GET", "/priorities?limit=1", "").status)
        .collect();
    assert_eq!(statuses, [301, 302, 307, 308, 301]);
    assert_eq!(counters(a)["faults"]["redirect"], 5);
    // Only the four redirect statuses (or 0) are accepted.
    let bad = json!([{"route": "/priorities", "redirect": 1.0, "redirect_status": 303}]);
    assert_eq!(put_faults(a, bad).status, 400);
}

#[test]
fn echo_key_quotes_the_credential_back() {
    let mock = BackgroundMock::start(Config::default()).unwrap();
    let a = mock.addr();
    put_faults(a, json!([{"route": "", "echo_key": 1.0}]));

    let r = rest(a, keys::FULL_ACCESS, "GET", "/priorities", "");
    let auth = format!("Token token={}", keys::FULL_ACCESS);
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json(),
        json!({"error": {"message": format!("Invalid credential {auth}"), "code": 2006,
            "errors": [keys::FULL_ACCESS, format!("Authorization: {auth}")]}})
    );
    assert_eq!(r.header("x-request-id"), Some(auth.as_str()));

    let r = event(a, trigger(keys::ROUTING_KEY_2, Some("k")));
    let key = keys::ROUTING_KEY_2;
    assert_eq!(
        (r.status, r.json()),
        (
            400,
            json!({"status": "invalid event", "message": format!("routing key {key} is not valid"), "errors": [key]})
        )
    );
    assert_eq!(r.header("x-request-id"), Some(key));

    let v1 =
        json!({"service_key": keys::ROUTING_KEY_1, "event_type": "trigger", "description": "x"});
    let r = send(
        a,
        "POST",
        "/generic/2010-04-15/create_event.json",
        &[],
        &v1.to_string(),
    )
    .unwrap();
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json()["message"],
        format!("service key {} is not valid", keys::ROUTING_KEY_1)
    );
    assert_eq!(r.json()["errors"], json!([keys::ROUTING_KEY_1]));
    assert_eq!(counters(a)["faults"]["echo_key"], 3);
    assert_eq!(mock.with_state(|s| s.events.len()), 0);
}

#[test]
fn stall_never_answers_and_ends_when_the_client_leaves() {
    let mock = BackgroundMock::start(Config::default()).unwrap();
    let a = mock.addr();
    put_faults(a, json!([{"route": "/priorities", "stall": 1.0}]));
    let auth = format!("Token token={}", keys::FULL_ACCESS);
    let mut s = open(a, "GET", "/priorities", &[("Authorization", &auth)], "").unwrap();
    s.set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let mut buf = [0u8; 64];
    let err = s.read(&mut buf).expect_err("no answer, not even a close");
    assert!(
        matches!(
            err.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
        "{err:?}"
    );
    // Other connections are served meanwhile.
    assert_eq!(rest(a, keys::FULL_ACCESS, "GET", "/teams", "").status, 200);
    let c = counters(a);
    assert_eq!(
        (&c["open_stalls"], &c["faults"]["stall"]),
        (&json!(1), &json!(1))
    );
    // The client goes away: the held request ends with it.
    drop(s);
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while counters(a)["open_stalls"] != 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the stall outlived its client"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn drip_sends_the_headers_at_once_and_a_byte_a_second() {
    let mock = BackgroundMock::start(Config::default()).unwrap();
    let a = mock.addr();
    put_faults(a, json!([{"route": "/v2/", "drip": 1.0}]));
    let started = std::time::Instant::now();
    let body = trigger(keys::ROUTING_KEY_1, Some("k")).to_string();
    let mut s = open(a, "POST", "/v2/enqueue", &[], &body).unwrap();
    let mut raw = Vec::new();
    let mut buf = [0u8; 256];
    let head_len = loop {
        let n = s.read(&mut buf).unwrap();
        assert!(n > 0, "closed early");
        raw.extend_from_slice(&buf[..n]);
        if let Ok((reply, rest)) = parse_head(&raw) {
            assert_eq!(reply.status, 200);
            assert_eq!(reply.header("transfer-encoding"), Some("chunked"));
            assert_eq!(reply.header("content-length"), None);
            break raw.len() - rest.len();
        }
    };
    assert!(
        started.elapsed() < Duration::from_millis(900),
        "headers at once"
    );
    // For 2.5 s more: 2 bytes of body, give or take one.
    s.set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    while started.elapsed() < Duration::from_millis(2500) {
        if let Ok(n) = s.read(&mut buf) {
            raw.extend_from_slice(&buf[..n]);
        }
    }
    let got = dechunk(&raw[head_len..]);
    assert!((1..=3).contains(&got.len()), "{got:?}");
    assert!(b"{\"status\":\"dripping\"".starts_with(&got));
    assert_eq!(mock.with_state(|s| s.events.len()), 0);
}

#[test]
fn huge_body_streams_valid_json_of_n_mib() {
    let mock = BackgroundMock::start(Config::default()).unwrap();
    let a = mock.addr();
    put_faults(
        a,
        json!([{"route": "", "huge_body": 1.0, "huge_body_mb": 3}]),
    );
    let r = rest(a, keys::FULL_ACCESS, "GET", "/incidents", "");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.header("transfer-encoding"), Some("chunked"));
    assert_eq!(r.body.len(), 3 * 1024 * 1024);
    let page = r.json();
    assert_eq!(page["more"], false);
    assert!(page["incidents"].as_array().unwrap().len() > 40);
    // Events routes too.
    let r = event(a, trigger(keys::ROUTING_KEY_1, Some("k")));
    assert_eq!((r.status, r.body.len()), (200, 3 * 1024 * 1024));
    assert_eq!(counters(a)["faults"]["huge_body"], 2);
    assert_eq!(mock.with_state(|s| s.events.len()), 0);
}

#[test]
fn fail_streak_fails_an_event_n_times_then_accepts_it() {
    let mock = BackgroundMock::start(Config::default()).unwrap();
    let a = mock.addr();
    let rule = json!([{"route": "", "fail_streak": 3, "fail_streak_fraction": 1.0}]);
    assert_eq!(put_faults(a, rule).status, 200);
    let deliver = |dedup: Option<&str>| event(a, trigger(keys::ROUTING_KEY_1, dedup));
    let streak: Vec<Reply> = (0..3).map(|_| deliver(Some("disk/db-1"))).collect();
    let mut statuses: Vec<u16> = streak.iter().map(|r| r.status).collect();
    statuses.sort();
    assert!(
        statuses == [429, 502, 502] || statuses == [429, 429, 502],
        "{statuses:?}"
    );
    for r in streak.iter().filter(|r| r.status == 429) {
        assert_eq!(
            (r.header("retry-after"), r.header("ratelimit-reset")),
            (None, None)
        );
    }
    assert_eq!(
        mock.with_state(|s| s.events.len()),
        0,
        "nothing processed yet"
    );
    let r = deliver(Some("disk/db-1"));
    assert_eq!(
        (r.status, &r.json()["dedup_key"]),
        (202, &json!("disk/db-1"))
    );
    assert_eq!(deliver(Some("disk/db-1")).status, 202);
    assert_eq!(
        mock.with_state(|s| (s.events.len(), s.alerts.len())),
        (2, 1)
    );
    // Another key has a streak of its own; a trigger without a key has none.
    let other: Vec<u16> = (0..4).map(|_| deliver(Some("other")).status).collect();
    assert!(
        other[..3].iter().all(|s| [429, 502].contains(s)),
        "{other:?}"
    );
    assert_eq!(other[3], 202);
    assert_eq!(deliver(None).status, 202);
    assert_eq!(counters(a)["faults"]["fail_streak"], 6);

    // Events v1: keyed by incident_key; the throttle status there is 403.
    let v1 = json!({"service_key": keys::ROUTING_KEY_1, "event_type": "trigger", "description": "x", "incident_key": "v1-key"}).to_string();
    let path = "/generic/2010-04-15/create_event.json";
    let statuses: Vec<u16> = (0..4)
        .map(|_| send(a, "POST", path, &[], &v1).unwrap().status)
        .collect();
    assert!(
        statuses[..3].iter().all(|s| [403, 502].contains(s)),
        "{statuses:?}"
    );
    assert_eq!(statuses[3], 200);

    // With a fraction, the keys picked depend on the seed and the key, not on the order.
    put_faults(
        a,
        json!([{"route": "", "fail_streak": 1, "fail_streak_fraction": 0.5}]),
    );
    let picked = |order: Vec<usize>| {
        send(a, "POST", "/_mock/reset", &[], "{}").unwrap();
        let mut keys: Vec<usize> = order
            .into_iter()
            .filter(|i| deliver(Some(&format!("key-{i}"))).status != 202)
            .collect();
        keys.sort();
        keys
    };
    let forward = picked((0..40).collect());
    assert_eq!(forward, picked((0..40).rev().collect()));
    assert!(!forward.is_empty() && forward.len() < 40, "{forward:?}");
}

#[test]
fn the_binary_prints_its_url_then_the_stray_listener() {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_pagerduty-mock"))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(child.stdout.take().unwrap()));
    let first = lines.next().unwrap().unwrap();
    let second = lines.next().unwrap().unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        first.starts_with("pagerduty-mock listening on http://127.0.0.1:"),
        "{first}"
    );
    assert!(
        second.starts_with("  stray listener: http://127.0.0.2:"),
        "{second}"
    );
}
