//! The durable outbox against the simulator: the crash test (a child process SIGKILLed at
//! random points at least 20 times, under 5xx, 429, lost answers and a full outage), order
//! (trigger + resolve pairs), pacing, torn journals, the lock, spooling, dead letters.
//!
//! The child is this test binary run again with `PD_OUTBOX_CHILD` set (see `child`).
//! `PD_SOAK=1` runs the crash test at full size (10,000 events, a 60 s outage).

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use pagerduty_client::outbox::{self, Outbox, OutboxOptions};
use pagerduty_client::{Options, Severity, Trigger};
use pagerduty_mock::faults::Fault;
use pagerduty_mock::{BackgroundMock, Config};
use serde_json::{json, Value};

use common::*;

fn extra_key(i: usize) -> String {
    format!("{}{:010}", pagerduty_mock::keys::EXTRA_KEY_PREFIX, i)
}

fn dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("pd-outbox-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn unpaced(url: &str) -> Options {
    options(url).outbox(OutboxOptions {
        rate_limit: 0,
        ..OutboxOptions::default()
    })
}

fn seq_trigger(seq: u64) -> Trigger {
    let mut t = Trigger::new(
        &format!("crash test {seq}"),
        "outbox-test",
        Severity::Warning,
    );
    t.custom_details = Some(json!({ "seq": seq }));
    t
}

/// Alerts per seq, from the simulator's state.
fn alerts_by_seq(url: &str) -> HashMap<u64, Vec<Value>> {
    let mut out: HashMap<u64, Vec<Value>> = HashMap::new();
    for a in inspect(url, "GET", "alerts", "")["alerts"]
        .as_array()
        .unwrap()
    {
        if let Some(seq) = a["body"]["custom_details"]["seq"].as_u64() {
            out.entry(seq).or_default().push(a.clone());
        }
    }
    out
}

/// The child: enqueue seqs `from..to` over 16 routing keys (printing `try N` before and
/// `ok N` after each enqueue returns) with a background sender, then flush until empty.
#[test]
fn child() {
    let Ok(dir) = std::env::var("PD_OUTBOX_CHILD") else {
        return;
    };
    let url = std::env::var("PD_URL").unwrap();
    let from: u64 = std::env::var("PD_FROM").unwrap().parse().unwrap();
    let to: u64 = std::env::var("PD_TO").unwrap().parse().unwrap();
    let outbox = loop {
        match Outbox::open(&dir, &unpaced(&url)) {
            Ok(o) => break o,
            Err(e) => {
                println!("open failed: {e}");
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    };
    println!("opened");
    outbox.start().unwrap();
    for seq in from..to {
        println!("try {seq}");
        outbox
            .trigger(&extra_key(seq as usize % 16), &seq_trigger(seq))
            .unwrap();
        println!("ok {seq}");
    }
    while outbox.flush(Duration::from_secs(1)).unwrap().queued > 0 {}
    println!("done");
}

#[test]
fn crash_test_every_returned_enqueue_opens_exactly_one_alert() {
    let soak = std::env::var("PD_SOAK").is_ok();
    let (total, outage) = if soak {
        (10_000u64, Duration::from_secs(60))
    } else {
        (1_000, Duration::from_secs(4))
    };
    let mock = BackgroundMock::start(Config::default()).unwrap();
    let url = mock.url();
    let faults = vec![Fault {
        route: "/v2/enqueue".into(),
        server_error: 0.20,
        rate_limit: 0.10,
        drop_after: 0.05,
        ..Default::default()
    }];
    mock.set_faults(faults.clone());
    let d = dir("crash");
    let exe = std::env::current_exe().unwrap();
    let mut next = 0u64;
    let mut returned: Vec<u64> = Vec::new();
    let mut tried: Vec<u64> = Vec::new();
    let mut kills = 0;
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    let mut rand = move |n: u64| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng % n
    };
    let started = Instant::now();
    // A full outage in the middle (while the kills go on): every event answered 503.
    let outage_thread = {
        let (url, faults) = (url.clone(), faults.clone());
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs(2));
            inspect(
                &url,
                "PUT",
                "faults",
                r#"[{"route":"/v2/enqueue","server_error":1.0}]"#,
            );
            std::thread::sleep(outage);
            inspect(
                &url,
                "PUT",
                "faults",
                &serde_json::to_string(&faults).unwrap(),
            );
        })
    };
    loop {
        let mut child = Command::new(&exe)
            .args(["--exact", "child", "--nocapture", "--test-threads=1"])
            .env("PD_OUTBOX_CHILD", &d)
            .env("PD_URL", &url)
            .env("PD_FROM", next.to_string())
            .env("PD_TO", total.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let (tx, rx) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let killing = kills < 20;
        // Kill while it enqueues, while it sends, or between a send and its record.
        let kill_at = Instant::now() + Duration::from_millis(50 + rand(500));
        let mut done = false;
        loop {
            let timeout = if killing {
                kill_at.saturating_duration_since(Instant::now())
            } else {
                Duration::from_secs(300)
            };
            match rx.recv_timeout(timeout) {
                Ok(line) => {
                    if let Some(n) = line.strip_prefix("try ") {
                        tried.push(n.parse().unwrap());
                    } else if let Some(n) = line.strip_prefix("ok ") {
                        returned.push(n.parse().unwrap());
                    } else if line == "done" {
                        done = true;
                        break;
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) if killing => break,
                Err(_) => break,
            }
        }
        if !done {
            child.kill().unwrap(); // SIGKILL
            kills += 1;
        }
        child.wait().unwrap();
        reader.join().unwrap();
        while let Ok(line) = rx.try_recv() {
            if let Some(n) = line.strip_prefix("ok ") {
                returned.push(n.parse().unwrap());
            } else if let Some(n) = line.strip_prefix("try ") {
                tried.push(n.parse().unwrap());
            }
        }
        next = tried.last().map_or(0, |t| t + 1);
        if done {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(if soak { 3600 } else { 240 }));
    }
    outage_thread.join().unwrap();
    let alerts = alerts_by_seq(&url);
    assert!(kills >= 20, "{kills} kills");
    for seq in &returned {
        let n = alerts.get(seq).map_or(0, Vec::len);
        assert_eq!(n, 1, "seq {seq}: {n} alerts");
    }
    for (seq, list) in &alerts {
        assert_eq!(list.len(), 1, "seq {seq} opened {} alerts", list.len());
    }
    assert!(
        returned.len() as u64 >= total - 30,
        "{} returned",
        returned.len()
    );
    let (stats, dead, spooled) = outbox::inspect(&d).unwrap();
    assert_eq!(
        (stats.queued, stats.dead, dead.len(), spooled),
        (0, 0, 0, 0)
    );
    eprintln!(
        "crash test: {} enqueues returned, {} alerts, {kills} kills, {:.1} s, faults {}",
        returned.len(),
        alerts.len(),
        started.elapsed().as_secs_f64(),
        counters(&url)["faults"]
    );
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn trigger_and_resolve_pairs_end_resolved_under_faults() {
    let mock = BackgroundMock::start(Config {
        seed: 3,
        faults: event_faults(),
        ..Config::default()
    })
    .unwrap();
    let d = dir("pairs");
    let outbox = Outbox::open(&d, &unpaced(&mock.url())).unwrap();
    for i in 0..500 {
        let key = extra_key(i % 32);
        let mut t = Trigger::new(&format!("pair {i}"), "outbox-test", Severity::Error);
        t.dedup_key = Some(format!("pair-{i}"));
        outbox.trigger(&key, &t).unwrap();
        outbox.resolve(&key, &format!("pair-{i}")).unwrap();
    }
    let stats = outbox.flush(Duration::from_secs(120)).unwrap();
    assert_eq!((stats.queued, stats.delivered, stats.dead), (0, 1000, 0));
    let alerts = inspect(&mock.url(), "GET", "alerts", "");
    let alerts = alerts["alerts"].as_array().unwrap();
    assert_eq!(alerts.len(), 500);
    assert!(alerts.iter().all(|a| a["status"] == "resolved"));
    assert_eq!(counters(&mock.url())["open_alerts"], 0);
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn a_burst_is_paced_to_the_limit_without_a_429() {
    let mock = BackgroundMock::start(Config::default()).unwrap();
    // 30 events per 3 s window per key in the simulator (600 a minute); the outbox paced at
    // the same figure.
    inspect(
        &mock.url(),
        "PUT",
        "rate_limits",
        r#"{"events":{"limit":30,"window_secs":3}}"#,
    );
    let d = dir("pace");
    let outbox = Outbox::open(
        &d,
        &options(&mock.url()).outbox(OutboxOptions {
            rate_limit: 30,
            rate_window: Duration::from_secs(3),
            ..OutboxOptions::default()
        }),
    )
    .unwrap();
    for i in 0..90 {
        outbox
            .trigger(
                ROUTING_KEY_1,
                &Trigger::new(&format!("burst {i}"), "t", Severity::Info),
            )
            .unwrap();
    }
    let started = Instant::now();
    let stats = outbox.flush(Duration::from_secs(60)).unwrap();
    let took = started.elapsed().as_secs_f64();
    assert_eq!((stats.queued, stats.delivered), (0, 90));
    assert_eq!(counters(&mock.url())["rate_limited"], 0);
    // 90 at 30 per 3 s: the fastest schedule starts its last 30 after 2 full windows (6 s);
    // ours within 10% of that.
    assert!((6.0..6.6).contains(&took), "{took:.2} s");
    eprintln!("pacing: 90 events at 30 per 3 s in {took:.2} s (the minimum is 6.0 s)");
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn the_journal_is_private_the_lock_is_exclusive_and_a_torn_tail_is_repaired() {
    let mock = BackgroundMock::start(Config::default()).unwrap();
    let d = dir("lock");
    let outbox = Outbox::open(&d, &unpaced(&mock.url())).unwrap();
    for i in 0..5 {
        outbox
            .trigger(
                ROUTING_KEY_1,
                &Trigger::new(&format!("e{i}"), "t", Severity::Info),
            )
            .unwrap();
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(d.join("journal"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let mode = std::fs::metadata(&d).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }
    let e = Outbox::open(&d, &unpaced(&mock.url())).unwrap_err();
    assert_eq!(e.code(), "invalid_input");
    assert!(e.to_string().contains("owned by another process"), "{e}");
    // Another process spools instead; the owner takes it in.
    let op = pagerduty_client::EventsClient::with_options(ROUTING_KEY_2, &options(&mock.url()))
        .unwrap()
        .prepare_trigger(&Trigger::new("spooled", "t", Severity::Info))
        .unwrap();
    outbox::spool(&d, &op).unwrap();
    drop(outbox);
    // A torn append: half of a record's bytes at the end.
    let journal = d.join("journal");
    let mut bytes = std::fs::read(&journal).unwrap();
    let whole = bytes.len();
    let copy = bytes[whole - 40..whole - 10].to_vec();
    bytes.extend_from_slice(&copy);
    std::fs::write(&journal, &bytes).unwrap();
    let outbox = Outbox::open(&d, &unpaced(&mock.url())).unwrap();
    assert_eq!(outbox.stats().unwrap().queued, 6);
    let stats = outbox.flush(Duration::from_secs(30)).unwrap();
    assert_eq!((stats.queued, stats.delivered), (0, 6));
    let text = String::from_utf8_lossy(&std::fs::read(&journal).unwrap()).into_owned();
    assert_eq!(text.matches(ROUTING_KEY_2).count(), 1);
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn refused_events_become_dead_letters_and_can_be_retried() {
    let mock = BackgroundMock::start(Config::default()).unwrap();
    let d = dir("dead");
    let outbox = Outbox::open(&d, &unpaced(&mock.url())).unwrap();
    // A well-formed key that belongs to no integration: PagerDuty answers 400.
    let unknown = "R0123456789ABCDEF0123456789ABCDE";
    outbox
        .trigger(
            unknown,
            &Trigger::new("nobody listens", "t", Severity::Info),
        )
        .unwrap();
    outbox
        .trigger(ROUTING_KEY_1, &Trigger::new("fine", "t", Severity::Info))
        .unwrap();
    let stats = outbox.flush(Duration::from_secs(30)).unwrap();
    assert_eq!((stats.queued, stats.delivered, stats.dead), (0, 1, 1));
    let dead = outbox.dead_letters().unwrap();
    assert_eq!(dead[0].code, "invalid_event");
    assert_eq!(dead[0].status, Some(400));
    assert!(!dead[0].errors.is_empty());
    assert_eq!(dead[0].key, outbox::fingerprint(unknown));
    assert!(!format!("{dead:?}").contains(unknown));
    assert_eq!(outbox.retry_dead(None).unwrap(), 1);
    let stats = outbox.flush(Duration::from_secs(30)).unwrap();
    assert_eq!((stats.queued, stats.dead), (0, 1));
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn a_flush_that_times_out_keeps_the_event_and_a_background_sender_delivers_it() {
    let mock = BackgroundMock::start(Config::default()).unwrap();
    mock.set_faults(vec![Fault {
        route: "/v2/enqueue".into(),
        server_error: 1.0,
        ..Default::default()
    }]);
    let d = dir("bg");
    let outbox = Outbox::open(&d, &unpaced(&mock.url())).unwrap();
    outbox
        .trigger(ROUTING_KEY_1, &Trigger::new("later", "t", Severity::Info))
        .unwrap();
    let stats = outbox.flush(Duration::from_millis(300)).unwrap();
    assert_eq!(stats.queued, 1);
    assert!(stats.keys[0]
        .last_error
        .as_deref()
        .unwrap_or("")
        .contains("50"));
    outbox.start().unwrap();
    mock.set_faults(vec![]);
    let stats = outbox.flush(Duration::from_secs(20)).unwrap();
    assert_eq!((stats.queued, stats.delivered), (0, 1));
    outbox.close();
    assert_eq!(outbox.stats().unwrap_err().code(), "cancelled");
    drop(outbox);
    // Closed and dropped: the directory is free again.
    Outbox::open(&d, &unpaced(&mock.url())).unwrap();
    std::fs::remove_dir_all(&d).ok();
}
