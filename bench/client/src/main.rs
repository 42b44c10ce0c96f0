//! pagerduty-client (async, and blocking for reference) vs raw reqwest vs pagerduty-rs 0.1.6,
//! against one simulator: 2,000 events one at a time and 16 in flight, and a walk through
//! 10,000 incidents. Medians of ROUNDS rounds; prints figures, asserts nothing.
//!
//! Usage: bench-client BASE_URL [ROUNDS]   (scripts/bench-client.sh sets it all up)

use std::time::{Duration, Instant};

use futures::{StreamExt, TryStreamExt};
use pagerduty_client::{
    EventsClient, IncidentFilter, Options, Query, RestClient, RetryPolicy, Severity, Trigger,
};
use serde_json::{json, Value};

const ROUTING_KEY: &str = "pdmockintegrationkey000000000001";
const TOKEN: &str = "pdmock_full_access_1";
const EVENTS: usize = 2000;
const INCIDENTS: usize = 10_000;

/// The simulator back to a known state: `incidents` seeded, no alerts.
async fn reset(http: &reqwest::Client, url: &str, incidents: usize) {
    http.post(format!("{url}/_mock/reset"))
        .body(json!({ "incidents": incidents }).to_string())
        .send()
        .await
        .and_then(|r| r.error_for_status())
        .expect("reset the simulator");
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

async fn client_events(events: &EventsClient, n: usize, in_flight: usize) {
    futures::stream::iter(0..n)
        .map(|i| async move {
            let t = Trigger::new(&format!("bench {i}"), "bench", Severity::Warning);
            events.trigger(&t).await
        })
        .buffer_unordered(in_flight)
        .try_for_each(|_| async { Ok(()) })
        .await
        .expect("every event accepted");
}

async fn raw_events(http: &reqwest::Client, url: &str, n: usize, in_flight: usize) {
    let endpoint = format!("{url}/v2/enqueue");
    futures::stream::iter(0..n)
        .map(|i| {
            let body = json!({
                "routing_key": ROUTING_KEY,
                "event_action": "trigger",
                "payload": {"summary": format!("bench {i}"), "source": "bench", "severity": "warning"},
            })
            .to_string();
            let req = http
                .post(&endpoint)
                .header("content-type", "application/json")
                .body(body);
            async move {
                let r = req.send().await?;
                assert_eq!(r.status().as_u16(), 202);
                r.bytes().await.map(|_| ())
            }
        })
        .buffer_unordered(in_flight)
        .try_for_each(|_| async { Ok(()) })
        .await
        .expect("every event accepted");
}

#[cfg(feature = "pdrs")]
async fn pdrs_events(events: &pagerduty_rs::eventsv2async::EventsV2, n: usize, in_flight: usize) {
    use pagerduty_rs::types::{AlertTrigger, AlertTriggerPayload, Event, Severity};
    futures::stream::iter(0..n)
        .map(|i| async move {
            events
                .event(Event::AlertTrigger(AlertTrigger::<()> {
                    payload: AlertTriggerPayload {
                        severity: Severity::Warning,
                        summary: format!("bench {i}"),
                        source: "bench".into(),
                        timestamp: None,
                        component: None,
                        group: None,
                        class: None,
                        custom_details: None,
                    },
                    dedup_key: None,
                    images: None,
                    links: None,
                    client: None,
                    client_url: None,
                }))
                .await
        })
        .buffer_unordered(in_flight)
        .try_for_each(|_| async { Ok(()) })
        .await
        .expect("every event accepted");
}

/// The typed stream: each incident decoded into the core's `Incident`.
async fn client_incidents(rest: &RestClient) -> usize {
    let items: Vec<_> = rest
        .list_incidents(&IncidentFilter::default())
        .try_collect()
        .await
        .expect("walk");
    items.len()
}

/// The pages as they come: items are slices of the body (what a proxy or an exporter wants).
async fn client_pages(rest: &RestClient) -> usize {
    let pages: Vec<_> = rest
        .pages("/incidents", &Query::new())
        .try_collect()
        .await
        .expect("walk");
    pages.iter().map(|p| p.len()).sum()
}

/// What one writes by hand: offset/limit, `more`, each page parsed into a `serde_json::Value`.
async fn raw_incidents(http: &reqwest::Client, url: &str) -> usize {
    let mut offset = 0;
    let mut count = 0;
    loop {
        let body = http
            .get(format!("{url}/incidents?limit=100&offset={offset}"))
            .header("authorization", format!("Token token={TOKEN}"))
            .header("accept", "application/vnd.pagerduty+json;version=2")
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .expect("page")
            .bytes()
            .await
            .expect("body");
        let page: Value = serde_json::from_slice(&body).expect("JSON");
        let n = page["incidents"].as_array().map_or(0, Vec::len);
        count += n;
        offset += n;
        if page["more"] != true {
            return count;
        }
    }
}

/// A contender's times for one workload.
type Times = (&'static str, Vec<Duration>);

/// Every measurement, by workload and contender, in the order first seen.
#[derive(Default)]
struct Table(Vec<(&'static str, Vec<Times>)>);

impl Table {
    fn add(&mut self, workload: &'static str, who: &'static str, d: Duration) {
        let at = match self.0.iter().position(|(w, _)| *w == workload) {
            Some(i) => i,
            None => {
                self.0.push((workload, vec![]));
                self.0.len() - 1
            }
        };
        let rows = &mut self.0[at].1;
        match rows.iter_mut().find(|(c, _)| *c == who) {
            Some((_, ds)) => ds.push(d),
            None => rows.push((who, vec![d])),
        }
    }

    fn print(&self) {
        for (workload, rows) in &self.0 {
            println!("{workload}");
            let raw = rows
                .iter()
                .find(|(c, _)| c.starts_with(RAW))
                .map(|(_, ds)| median(ds.clone()));
            for (who, ds) in rows {
                let m = median(ds.clone());
                let ratio = match raw {
                    Some(r) if !who.starts_with(RAW) => {
                        format!("{:.2}x raw", m.as_secs_f64() / r.as_secs_f64())
                    }
                    _ => String::new(),
                };
                println!("  {who:<44} {:>8.0} ms  {ratio}", m.as_secs_f64() * 1000.0);
            }
        }
    }
}

const RAW: &str = "raw reqwest";
const CLIENT: &str = "pagerduty-client (async)";

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    // On a worker, as a server's requests run (not on the thread that blocks on main).
    tokio::spawn(run()).await.expect("the bench");
}

async fn run() {
    let args: Vec<String> = std::env::args().collect();
    let url = args
        .get(1)
        .expect("usage: bench-client BASE_URL [ROUNDS]")
        .clone();
    let rounds: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(5);
    let options = Options::new().region(&url).retry(RetryPolicy::default());
    let events = EventsClient::with_options(ROUTING_KEY, &options).expect("client");
    let rest = RestClient::with_options(TOKEN, &options).expect("client");
    let blocking = pagerduty_client::blocking::EventsClient::with_options(ROUTING_KEY, &options)
        .expect("client");
    let http = reqwest::Client::new();
    // The same guarantee as the client's: no attempt outlives 30 s (a timer per request).
    let http_timeout = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    #[cfg(feature = "pdrs")]
    let pdrs = pagerduty_rs::eventsv2async::EventsV2::new(ROUTING_KEY.into(), None).expect("pdrs");

    // Warm-up: connections open, code paged in.
    reset(&http, &url, 0).await;
    client_events(&events, 50, 1).await;
    raw_events(&http, &url, 50, 1).await;
    raw_events(&http_timeout, &url, 50, 1).await;
    #[cfg(feature = "pdrs")]
    pdrs_events(&pdrs, 50, 1).await;

    let mut table = Table::default();
    for _ in 0..rounds {
        for (workload, in_flight) in [
            ("2,000 events, one at a time", 1),
            ("2,000 events, 16 in flight", 16),
        ] {
            reset(&http, &url, 0).await;
            let t = Instant::now();
            client_events(&events, EVENTS, in_flight).await;
            table.add(workload, CLIENT, t.elapsed());

            if in_flight == 1 {
                reset(&http, &url, 0).await;
                let b = blocking.clone();
                let took = tokio::task::spawn_blocking(move || {
                    let t = Instant::now();
                    for i in 0..EVENTS {
                        let t = Trigger::new(&format!("bench {i}"), "bench", Severity::Warning);
                        b.trigger(&t).expect("accepted");
                    }
                    t.elapsed()
                })
                .await
                .expect("thread");
                table.add(workload, "pagerduty-client (blocking, own thread)", took);
            }

            reset(&http, &url, 0).await;
            let t = Instant::now();
            raw_events(&http, &url, EVENTS, in_flight).await;
            table.add(workload, RAW, t.elapsed());

            reset(&http, &url, 0).await;
            let t = Instant::now();
            raw_events(&http_timeout, &url, EVENTS, in_flight).await;
            table.add(workload, "raw reqwest with a 30 s timeout", t.elapsed());

            #[cfg(feature = "pdrs")]
            {
                reset(&http, &url, 0).await;
                let t = Instant::now();
                pdrs_events(&pdrs, EVENTS, in_flight).await;
                table.add(workload, "pagerduty-rs 0.1.6", t.elapsed());
            }
        }

        let workload = "10,000 incidents (100 pages)";
        reset(&http, &url, INCIDENTS).await;
        // One walk unmeasured: the simulator renders each incident's JSON once.
        raw_incidents(&http, &url).await;
        let t = Instant::now();
        assert_eq!(client_pages(&rest).await, INCIDENTS);
        table.add(
            workload,
            "pagerduty-client, pages (items as JSON text)",
            t.elapsed(),
        );
        let t = Instant::now();
        assert_eq!(client_incidents(&rest).await, INCIDENTS);
        table.add(
            workload,
            "pagerduty-client, typed (core's Incident)",
            t.elapsed(),
        );
        let t = Instant::now();
        assert_eq!(raw_incidents(&http, &url).await, INCIDENTS);
        table.add(
            workload,
            "raw reqwest, each page a serde_json::Value",
            t.elapsed(),
        );
    }
    println!("medians of {rounds} rounds; raw = reqwest 0.13 by hand (no retries, no checks)");
    table.print();
    #[cfg(not(feature = "pdrs"))]
    println!("(pagerduty-rs 0.1.6 was not built: see above)");
}
