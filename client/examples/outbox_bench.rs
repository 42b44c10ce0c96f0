//! The outbox's figures on this machine's disk (scripts/bench-outbox.sh runs it): enqueue
//! latency and throughput with fsync, the same for a file per event (pdagent's design, which
//! is also how our `spool` hands events over), delivery throughput to the simulator with
//! pacing off, the journal's size per 10,000 events, and the time to reopen (replay) a journal
//! of 100,000 records. Prints figures; asserts nothing.
//!
//! `cargo run --release -p pagerduty-client --example outbox_bench -- [EVENTS] [DIR]`

use std::time::{Duration, Instant};

use pagerduty_client::outbox::{self, Outbox, OutboxOptions};
use pagerduty_client::{EventsClient, Options, RetryPolicy, Severity, Trigger};
use pagerduty_mock::{BackgroundMock, Config};

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn key(i: usize) -> String {
    format!("{}{:010}", pagerduty_mock::keys::EXTRA_KEY_PREFIX, i % 16)
}

fn trigger(i: usize) -> Trigger {
    let mut t = Trigger::new(&format!("bench event {i}"), "bench", Severity::Warning);
    t.custom_details = Some(serde_json::json!({"seq": i, "host": "db-1.example.com"}));
    t
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let base = args
        .next()
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::env::temp_dir().join(format!("pd-outbox-bench-{}", std::process::id()))
        });
    let _ = std::fs::remove_dir_all(&base);
    let mock = BackgroundMock::start(Config::default()).unwrap();
    let options = |pace: u32, fsync: bool| {
        Options::new()
            .region(&mock.url())
            .retry(RetryPolicy {
                base_delay: Duration::from_millis(5),
                max_delay: Duration::from_millis(50),
                ..RetryPolicy::default()
            })
            .outbox(OutboxOptions {
                rate_limit: pace,
                fsync,
                ..OutboxOptions::default()
            })
    };

    // 1. Enqueue with fsync: one append + fdatasync per event.
    let dir = base.join("journal");
    let outbox = Outbox::open(&dir, &options(0, true)).unwrap();
    let mut lat = Vec::with_capacity(n);
    let started = Instant::now();
    for i in 0..n {
        let t0 = Instant::now();
        outbox.trigger(&key(i), &trigger(i)).unwrap();
        lat.push(t0.elapsed().as_secs_f64() * 1e3);
    }
    let total = started.elapsed().as_secs_f64();
    lat.sort_by(f64::total_cmp);
    let size = std::fs::metadata(dir.join("journal")).unwrap().len();
    println!(
        "enqueue (journal, fsync)   median {:.3} ms  p99 {:.3} ms  {:>8.0} events/s  journal {:.1} KB per 10,000 events",
        percentile(&lat, 0.5),
        percentile(&lat, 0.99),
        n as f64 / total,
        size as f64 / n as f64 * 10_000.0 / 1024.0
    );

    // 2. A file per event (pdagent's queue; our spool): write, fsync, rename, fsync the dir.
    let spool_dir = base.join("spool");
    let events = EventsClient::with_options(&key(0), &options(0, true)).unwrap();
    let m = n.min(2_000);
    let mut lat = Vec::with_capacity(m);
    let started = Instant::now();
    for i in 0..m {
        let op = events.prepare_trigger(&trigger(i)).unwrap();
        let t0 = Instant::now();
        outbox::spool(&spool_dir, &op).unwrap();
        lat.push(t0.elapsed().as_secs_f64() * 1e3);
    }
    let total = started.elapsed().as_secs_f64();
    lat.sort_by(f64::total_cmp);
    let files: u64 = std::fs::read_dir(spool_dir.join("incoming"))
        .unwrap()
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len().div_ceil(4096) * 4096)
        .sum();
    println!(
        "a file per event (pdagent) median {:.3} ms  p99 {:.3} ms  {:>8.0} events/s  on disk {:.1} KB per 10,000 events (4 KB blocks)",
        percentile(&lat, 0.5),
        percentile(&lat, 0.99),
        m as f64 / total,
        files as f64 / m as f64 * 10_000.0 / 1024.0
    );

    // 3. Delivery to the simulator, pacing off (16 keys, 16 in flight).
    let started = Instant::now();
    let stats = outbox.flush(Duration::from_secs(600)).unwrap();
    let took = started.elapsed().as_secs_f64();
    println!(
        "delivery (pacing off)      {} events in {:.2} s  {:>8.0} events/s  (delivered {}, queued {})",
        n,
        took,
        n as f64 / took,
        stats.delivered,
        stats.queued
    );
    drop(outbox);

    // 4. Reopening a journal of 100,000 records: 75,000 events, 25,000 of them delivered (so
    // that no compaction is due), written by the core itself.
    let dir = base.join("replay");
    std::fs::create_dir_all(&dir).unwrap();
    let (records, queued) = {
        use pagerduty_client::core::http::Response;
        use pagerduty_client::core::outbox::{Config, Next, Outbox as Core};
        let builder = options(0, false).core().events();
        let config = Config {
            rate_limit: 0,
            max_in_flight: 1,
            ..Config::default()
        };
        let (mut core, _) = Core::open(builder.clone(), config, b"", 0).unwrap();
        let mut bytes = core.take_pending();
        let mut records = 1u64;
        for i in 0..75_000 {
            let k = pagerduty_client::core::credentials::IntegrationKey::new(&key(i)).unwrap();
            let op = builder.trigger(&k, &trigger(i), [i as u8; 16]).unwrap();
            core.enqueue(&op, 1).unwrap();
            records += 1;
        }
        for _ in 0..25_000 {
            let Next::Send(d) = core.poll(2) else {
                panic!("nothing to send")
            };
            core.handle_response(d.id, Response::new(202, vec![], "{}"), 2, 0)
                .unwrap();
            records += 1;
        }
        bytes.extend(core.take_pending());
        std::fs::write(dir.join("journal"), &bytes).unwrap();
        (records + 16, core.queued())
    };
    let bytes = std::fs::metadata(dir.join("journal")).unwrap().len();
    let mut times = Vec::new();
    for _ in 0..5 {
        let t0 = Instant::now();
        let o = Outbox::open(&dir, &options(0, false)).unwrap();
        times.push(t0.elapsed().as_secs_f64() * 1e3);
        drop(o);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "reopen (replay)            {} records ({:.1} MB, {} queued) in median {:.0} ms (min {:.0}, max {:.0})",
        records,
        bytes as f64 / 1e6,
        queued,
        percentile(&times, 0.5),
        times[0],
        times[times.len() - 1]
    );
    let _ = std::fs::remove_dir_all(&base);
}
