//! The blocking API against the simulator: nothing lost under faults from four threads sharing
//! one client, 10,000 incidents paged, a walk that moves between threads, typed operations, and
//! `cancel` from another thread.

mod common;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use pagerduty_client::blocking::{EventsClient, RestClient};
use pagerduty_client::{IncidentFilter, Method, OnCallFilter, Query, Severity, Trigger};
use pagerduty_mock::faults::Fault;
use pagerduty_mock::{BackgroundMock, Config};
use serde_json::{json, Value};

use common::*;

#[test]
fn two_thousand_triggers_from_four_threads_make_two_thousand_alerts_under_faults() {
    const N: usize = 2000;
    let m = BackgroundMock::start(Config {
        seed: 11,
        faults: event_faults(),
        ..Config::default()
    })
    .unwrap();
    let events = EventsClient::with_options(ROUTING_KEY_1, &options(&m.url())).unwrap();
    let sent: HashSet<String> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..4)
            .map(|w| {
                let events = &events;
                s.spawn(move || {
                    (0..N / 4)
                        .map(|i| {
                            let t = Trigger::new(
                                &format!("event {w}/{i}"),
                                "load-test",
                                Severity::Warning,
                            );
                            events.trigger(&t).unwrap()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    assert_eq!(sent.len(), N);
    let alerts: Vec<String> =
        m.with_state(|s| s.alerts.iter().map(|a| a.dedup_key.clone()).collect());
    assert_eq!(
        alerts.len(),
        N,
        "one alert per trigger: none lost, none doubled"
    );
    assert_eq!(alerts.into_iter().collect::<HashSet<_>>(), sent);
    assert!(m.with_state(|s| s.counters.events_accepted) > N as u64);
}

#[test]
fn ten_thousand_incidents_page_by_page_and_a_walk_may_change_threads() {
    let m = BackgroundMock::start(Config {
        incidents: 10_000,
        ..Config::default()
    })
    .unwrap();
    let rest = RestClient::with_options(FULL_ACCESS, &options(&m.url())).unwrap();
    let mut ids = HashSet::new();
    for incident in rest.list_incidents(&IncidentFilter::default()) {
        assert!(ids.insert(incident.unwrap().id));
    }
    assert_eq!(ids.len(), 10_000);

    // Half the pages on this thread, the rest on another: each page is fetched on the thread
    // that asks (with that thread's connections).
    let mut pages = rest.pages("/incidents", Query::new().push("limit", "100"));
    let mut count: usize = pages.by_ref().take(50).map(|p| p.unwrap().len()).sum();
    count += std::thread::spawn(move || pages.map(|p| p.unwrap().len()).sum::<usize>())
        .join()
        .unwrap();
    assert_eq!(count, 10_000);
}

#[test]
fn a_whole_history_of_thirty_thousand_incidents_past_the_cap_equals_the_simulators_set() {
    let m = BackgroundMock::start(Config {
        incidents: 30_000,
        ..Config::default()
    })
    .unwrap();
    let want: HashSet<String> =
        m.with_state(|s| s.incidents.iter().map(|i| i.id.clone()).collect());
    assert_eq!(want.len(), 30_000);
    let rest = RestClient::with_options(FULL_ACCESS, &options(&m.url())).unwrap();
    // The simulator's incidents reach 30,000 × 347 s (about 120 days) back from its start.
    let fmt = |t: time::OffsetDateTime| {
        t.format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    };
    let now = time::OffsetDateTime::now_utc();
    let since = fmt(now - time::Duration::days(125));
    let until = fmt(now + time::Duration::days(1));
    let mut got = Vec::new();
    for page in rest.history("/incidents", &Query::new(), &since, &until) {
        for item in page.unwrap().items() {
            let v: Value = serde_json::from_str(item).unwrap();
            got.push(v["id"].as_str().unwrap().to_owned());
        }
    }
    assert_eq!(got.len(), 30_000, "no duplicate");
    assert_eq!(got.into_iter().collect::<HashSet<_>>(), want);
    // A plain walk of the same stops at the cap, and says so.
    let mut q = Query::new();
    q.push("since", since.as_str())
        .push("until", until.as_str());
    let last = rest.pages("/incidents", &q).last().unwrap();
    assert_eq!(last.unwrap_err().code(), "truncated");
}

#[test]
fn typed_operations_block_until_done() {
    let m = BackgroundMock::start(Config {
        incidents: 5,
        ..Config::default()
    })
    .unwrap();
    let o = options(&m.url());
    let rest = RestClient::with_options(FULL_ACCESS, &o).unwrap();
    let events = EventsClient::with_options(ROUTING_KEY_1, &o).unwrap();
    let key = events
        .trigger(&Trigger::new("Disk full", "db-1", Severity::Error))
        .unwrap();
    let found: Vec<_> = rest
        .list_incidents(&IncidentFilter {
            incident_key: Some(key.clone()),
            ..Default::default()
        })
        .collect::<Result<_, _>>()
        .unwrap();
    let id = &found[0].id;
    assert_eq!(
        rest.acknowledge_incident(id).unwrap().status.as_deref(),
        Some("acknowledged")
    );
    rest.create_incident_note(id, "looking").unwrap();
    assert_eq!(rest.list_incident_notes(id).unwrap().len(), 1);
    assert_eq!(rest.get_incident(id).unwrap().id, *id);
    events.resolve(&key).unwrap();
    assert_eq!(
        rest.get_incident(id).unwrap().status.as_deref(),
        Some("resolved")
    );
    assert!(rest
        .list_oncalls(&OnCallFilter::default())
        .all(|o| o.is_ok()));
    assert_eq!(
        rest.op("get_user", &json!({"id": "PUSER01"})).unwrap()["id"],
        "PUSER01"
    );
    let teams: Vec<Value> = rest
        .pager("list_teams", &Value::Null)
        .items()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(!teams.is_empty());
    let v = rest
        .request(Method::Get, "/abilities", &Query::new(), None)
        .unwrap();
    assert!(v["abilities"].is_array());
    let e = rest.get_incident("PNOPE99").unwrap_err();
    assert_eq!(e.code(), "not_found");
    // An event refused before it is sent still names the key it was to carry.
    let e = events
        .trigger(&Trigger {
            dedup_key: Some("mine".into()),
            ..Trigger::new("", "db-1", Severity::Error)
        })
        .unwrap_err();
    assert_eq!((e.code(), e.dedup_key()), ("invalid_input", Some("mine")));
}

#[test]
fn cancel_from_another_thread_ends_a_walk_and_a_trigger() {
    let m = BackgroundMock::start(Config {
        incidents: 300,
        faults: vec![Fault {
            rate_limit: 1.0,
            ..Default::default()
        }],
        ..Config::default()
    })
    .unwrap();
    let o = options(&m.url());
    let rest = RestClient::with_options(FULL_ACCESS, &o).unwrap();
    let events = EventsClient::with_options(ROUTING_KEY_1, &o).unwrap();
    let (r2, e2) = (rest.clone(), events.clone());
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        r2.cancel();
        e2.cancel();
    });
    let t0 = Instant::now();
    let walk = std::thread::spawn(move || {
        rest.list_incidents(&IncidentFilter::default())
            .next()
            .unwrap()
            .unwrap_err()
    });
    let e = events
        .trigger(&Trigger::new("x", "y", Severity::Info))
        .unwrap_err();
    assert_eq!(e.code(), "cancelled");
    assert!(e.dedup_key().is_some());
    assert_eq!(walk.join().unwrap().code(), "cancelled");
    canceller.join().unwrap();
    assert!(t0.elapsed() < Duration::from_secs(2), "{:?}", t0.elapsed());
}
