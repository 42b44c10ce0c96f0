//! `pagerduty event … --queue DIR` and `pagerduty queue …` against the simulator: the round
//! trip, dead letters and retry, and the crash test (the `queue run` sender SIGKILLed at
//! random points at least 20 times while separate `event trigger --queue` processes enqueue,
//! under 5xx, 429, lost answers and an outage): every event whose command exited 0 opens
//! exactly one alert.

use std::path::{Path, PathBuf};
use std::process::{Command as Std, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use pagerduty_mock::faults::Fault;
use pagerduty_mock::keys::{EXTRA_KEY_PREFIX, ROUTING_KEY_1};
use pagerduty_mock::{BackgroundMock, Config};
use serde_json::Value;

const UNKNOWN_KEY: &str = "R0123456789ABCDEF0123456789ABCDE";

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin!("pagerduty").to_path_buf()
}

fn dir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("queue-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

struct Run {
    code: i32,
    out: String,
    err: String,
}

/// Runs `pagerduty` with the simulator's settings and `key`; no key may appear in what it
/// printed.
fn pd(m: &BackgroundMock, key: &str, args: &[&str]) -> Run {
    let o = Command::new(bin())
        .env_clear()
        .env("PAGERDUTY_BASE_URL", m.url())
        .env("PAGERDUTY_ROUTING_KEY", key)
        .args(args)
        .output()
        .unwrap();
    let r = Run {
        code: o.status.code().unwrap_or(-1),
        out: String::from_utf8(o.stdout).unwrap(),
        err: String::from_utf8(o.stderr).unwrap(),
    };
    for k in [key, ROUTING_KEY_1, UNKNOWN_KEY] {
        assert!(
            !r.out.contains(k) && !r.err.contains(k),
            "{args:?} printed a key: {} {}",
            r.out,
            r.err
        );
    }
    r
}

fn json(r: &Run) -> Value {
    serde_json::from_str(&r.out).unwrap_or_else(|e| panic!("{e}: {:?} {:?}", r.out, r.err))
}

fn alerts(m: &BackgroundMock) -> Vec<Value> {
    m.with_state(|s| s.alerts.iter().map(|a| s.alert_json(a)).collect())
}

#[test]
fn queued_events_wait_on_disk_until_a_flush_sends_them() {
    let m = BackgroundMock::start(Config::default()).unwrap();
    let d = dir("round");
    let ds = d.to_str().unwrap();
    let r = pd(
        &m,
        ROUTING_KEY_1,
        &[
            "event",
            "trigger",
            "--summary",
            "disk full",
            "--source",
            "db-1",
            "--severity",
            "critical",
            "--queue",
            ds,
        ],
    );
    assert_eq!(r.code, 0, "{}", r.err);
    let dedup = r.out.trim().to_owned();
    assert_eq!(dedup.len(), 36, "a generated dedup_key: {dedup}");
    assert!(alerts(&m).is_empty(), "nothing is sent by --queue");
    let status = json(&pd(&m, ROUTING_KEY_1, &["--json", "queue", "status", ds]));
    assert_eq!(status["spooled"], 1);
    let r = pd(&m, ROUTING_KEY_1, &["--json", "queue", "flush", ds]);
    assert_eq!(r.code, 0, "{}", r.err);
    assert_eq!(json(&r)["delivered"], 1);
    assert_eq!(alerts(&m)[0]["alert_key"], dedup.as_str());
    let r = pd(
        &m,
        ROUTING_KEY_1,
        &[
            "--json",
            "event",
            "resolve",
            "--dedup-key",
            &dedup,
            "--queue",
            ds,
        ],
    );
    assert_eq!(json(&r)["status"], "queued");
    assert_eq!(pd(&m, ROUTING_KEY_1, &["queue", "flush", ds]).code, 0);
    assert_eq!(alerts(&m)[0]["status"], "resolved");
    let text = pd(&m, ROUTING_KEY_1, &["queue", "status", ds]).out;
    assert!(
        text.starts_with("queued 0  in flight 0  delivered 2  dead 0"),
        "{text}"
    );
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn refused_events_are_listed_as_dead_letters_and_can_be_retried() {
    let m = BackgroundMock::start(Config::default()).unwrap();
    let d = dir("dead");
    let ds = d.to_str().unwrap();
    let r = pd(
        &m,
        UNKNOWN_KEY,
        &[
            "event",
            "trigger",
            "--summary",
            "x",
            "--source",
            "y",
            "--severity",
            "info",
            "--queue",
            ds,
        ],
    );
    assert_eq!(r.code, 0, "{}", r.err);
    assert_eq!(pd(&m, UNKNOWN_KEY, &["queue", "flush", ds]).code, 0);
    let dead = json(&pd(&m, UNKNOWN_KEY, &["--json", "queue", "dead", ds]));
    assert_eq!(dead[0]["code"], "invalid_event");
    assert_eq!(dead[0]["status"], 400);
    let table = pd(&m, UNKNOWN_KEY, &["queue", "dead", ds]).out;
    assert!(table.starts_with("ID  KEY"), "{table}");
    assert!(table.contains("invalid_event"), "{table}");
    assert_eq!(
        pd(&m, UNKNOWN_KEY, &["queue", "retry", ds]).out.trim(),
        "1 queued again"
    );
    // A queue flush that cannot empty the queue says so: exit 4.
    m.set_faults(vec![Fault {
        route: "/v2/enqueue".into(),
        server_error: 1.0,
        ..Default::default()
    }]);
    let r = pd(&m, ROUTING_KEY_1, &["queue", "flush", ds, "--timeout", "1"]);
    assert_eq!(r.code, 4, "{} {}", r.out, r.err);
    assert!(r.err.contains("still queued"), "{}", r.err);
    std::fs::remove_dir_all(&d).ok();
}

fn spawn_runner(m: &BackgroundMock, d: &Path) -> std::process::Child {
    Std::new(bin())
        .env_clear()
        .env("PAGERDUTY_BASE_URL", m.url())
        .args(["queue", "run", d.to_str().unwrap(), "--rate-limit", "0"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn the_sender_killed_twenty_times_loses_nothing_and_opens_one_alert_per_event() {
    let total = if std::env::var("PD_SOAK").is_ok() {
        2_000
    } else {
        200
    };
    let faults = vec![Fault {
        route: "/v2/enqueue".into(),
        server_error: 0.20,
        rate_limit: 0.10,
        drop_after: 0.05,
        ..Default::default()
    }];
    let m = BackgroundMock::start(Config {
        faults: faults.clone(),
        ..Config::default()
    })
    .unwrap();
    let d = dir("crash");
    let mut runner = spawn_runner(&m, &d);
    let mut kills = 0;
    let mut rng = 0x9E37_79B9_7F4A_7C15u64;
    let mut next_kill = Instant::now() + Duration::from_millis(100);
    let mut queued = Vec::new();
    let started = Instant::now();
    for seq in 0..total {
        if seq == total / 3 {
            m.set_faults(vec![Fault {
                route: "/v2/enqueue".into(),
                server_error: 1.0,
                ..Default::default()
            }]);
        }
        if seq == total / 2 {
            m.set_faults(faults.clone());
        }
        let key = format!("{EXTRA_KEY_PREFIX}{:010}", seq % 8);
        let details = format!("{{\"seq\":{seq}}}");
        let r = pd(
            &m,
            &key,
            &[
                "event",
                "trigger",
                "--summary",
                &format!("crash {seq}"),
                "--source",
                "t",
                "--severity",
                "warning",
                "--custom-details",
                &details,
                "--queue",
                d.to_str().unwrap(),
            ],
        );
        assert_eq!(r.code, 0, "{}", r.err);
        queued.push(seq);
        if Instant::now() >= next_kill && kills < 20 {
            runner.kill().unwrap(); // SIGKILL: during a send, between a send and its record…
            runner.wait().unwrap();
            kills += 1;
            runner = spawn_runner(&m, &d);
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            next_kill = Instant::now() + Duration::from_millis(20 + rng % 150);
        }
    }
    while kills < 20 {
        std::thread::sleep(Duration::from_millis(50 + (kills as u64 * 7) % 100));
        runner.kill().unwrap();
        runner.wait().unwrap();
        kills += 1;
        runner = spawn_runner(&m, &d);
    }
    runner.kill().unwrap();
    runner.wait().unwrap();
    let r = pd(
        &m,
        ROUTING_KEY_1,
        &[
            "--json",
            "queue",
            "flush",
            d.to_str().unwrap(),
            "--timeout",
            "120",
            "--rate-limit",
            "0",
        ],
    );
    assert_eq!(r.code, 0, "{} {}", r.out, r.err);
    let mut per_seq = std::collections::HashMap::new();
    for a in alerts(&m) {
        let seq = a["body"]["custom_details"]["seq"].as_u64().unwrap();
        *per_seq.entry(seq).or_insert(0) += 1;
    }
    for seq in &queued {
        assert_eq!(per_seq.get(seq), Some(&1), "seq {seq}");
    }
    assert_eq!(per_seq.len(), queued.len());
    eprintln!(
        "cli crash test: {} events, {kills} kills of `queue run`, {:.1} s",
        queued.len(),
        started.elapsed().as_secs_f64()
    );
    std::fs::remove_dir_all(&d).ok();
}
