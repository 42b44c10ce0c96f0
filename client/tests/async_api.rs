//! The async API against the simulator: nothing lost under faults with 16 events in flight,
//! 10,000 incidents paged, every typed operation, cancellation by dropping the future or by
//! `cancel`, and the tracing spans (which never hold a key).

mod common;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::{StreamExt, TryStreamExt};
use pagerduty_client::{
    Action, ChangeEvent, EventsClient, IncidentFilter, IncidentStatus, Method, OnCallFilter, Query,
    RestClient, Severity, Trigger, V1Event,
};
use pagerduty_mock::faults::Fault;
use pagerduty_mock::Config;
use serde_json::{json, Value};

use common::*;

async fn mock(config: Config) -> pagerduty_mock::Mock {
    pagerduty_mock::start(config).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_triggers_sixteen_in_flight_make_two_thousand_alerts_under_faults() {
    const N: usize = 2000;
    let m = mock(Config {
        seed: 7,
        faults: event_faults(),
        ..Config::default()
    })
    .await;
    let events = EventsClient::with_options(ROUTING_KEY_1, &options(&m.url())).unwrap();
    let sent: Vec<String> = futures::stream::iter(0..N)
        .map(|i| {
            let events = events.clone();
            async move {
                let t = Trigger::new(&format!("event {i}"), "load-test", Severity::Warning);
                events.trigger(&t).await
            }
        })
        .buffer_unordered(16)
        .try_collect()
        .await
        .unwrap();
    let sent: HashSet<String> = sent.into_iter().collect();
    assert_eq!(sent.len(), N);
    let (alerts, processed) = m.with_state(|s| {
        (
            s.alerts
                .iter()
                .map(|a| a.dedup_key.clone())
                .collect::<Vec<_>>(),
            s.counters.events_accepted,
        )
    });
    assert_eq!(
        alerts.len(),
        N,
        "one alert per trigger: none lost, none doubled"
    );
    assert_eq!(alerts.into_iter().collect::<HashSet<_>>(), sent);
    assert!(
        processed > N as u64,
        "the faults happened: {processed} processed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_incidents_stream_in_order_and_the_walk_ends() {
    let m = mock(Config {
        incidents: 10_000,
        ..Config::default()
    })
    .await;
    let rest = RestClient::with_options(FULL_ACCESS, &options(&m.url())).unwrap();
    let mut ids = HashSet::new();
    let mut stream = rest.list_incidents(&IncidentFilter::default());
    while let Some(incident) = stream.try_next().await.unwrap() {
        assert!(ids.insert(incident.id), "no incident twice");
    }
    assert_eq!(ids.len(), 10_000);
    // Pages as they came: 100 of 100.
    let pages: Vec<_> = rest
        .pages("/incidents", Query::new().push("limit", "100"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 100);
    assert!(pages.iter().all(|p| p.len() == 100));
}

#[tokio::test(flavor = "current_thread")]
async fn dropping_a_call_closes_its_connection_and_sends_nothing_more() {
    // In flight: the server holds the request; dropping the future must close the connection.
    let m = mock(Config {
        faults: vec![Fault {
            route: "/v2/enqueue".into(),
            stall: 1.0,
            ..Default::default()
        }],
        ..Config::default()
    })
    .await;
    let events = EventsClient::with_options(ROUTING_KEY_1, &options(&m.url())).unwrap();
    let t = Trigger::new("disk full", "db-1", Severity::Critical);
    let call = tokio::time::timeout(Duration::from_millis(300), events.trigger(&t));
    assert!(call.await.is_err(), "the call was still waiting");
    let url = m.url();
    let open = |url: String| async move {
        tokio::task::spawn_blocking(move || counters(&url)["open_stalls"].as_u64().unwrap())
            .await
            .unwrap()
    };
    let t0 = Instant::now();
    while open(url.clone()).await != 0 {
        assert!(
            t0.elapsed() < Duration::from_secs(3),
            "the connection stayed open"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // In a retry wait (the server asked for 1 s): dropping it means no second attempt.
    m.set_faults(vec![Fault {
        route: "/v2/enqueue".into(),
        rate_limit: 1.0,
        ..Default::default()
    }]);
    let before = m.with_state(|s| s.counters.events_received);
    let call = tokio::time::timeout(Duration::from_millis(300), events.trigger(&t));
    assert!(call.await.is_err());
    let after_drop = m.with_state(|s| s.counters.events_received);
    tokio::time::sleep(Duration::from_millis(1300)).await;
    let later = m.with_state(|s| s.counters.events_received);
    assert_eq!(
        later, after_drop,
        "a dropped call sent again ({before} before)"
    );
    // And the client is still usable.
    m.set_faults(vec![]);
    events.trigger(&t).await.unwrap();
}

#[tokio::test(flavor = "current_thread")]
async fn cancel_ends_calls_in_flight_and_every_later_one() {
    let m = mock(Config {
        faults: vec![Fault {
            rate_limit: 1.0,
            ..Default::default()
        }],
        ..Config::default()
    })
    .await;
    let events = EventsClient::with_options(ROUTING_KEY_1, &options(&m.url())).unwrap();
    let other = events.clone();
    let canceller = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(200)).await;
        other.cancel();
    });
    let t0 = Instant::now();
    let e = events
        .trigger(&Trigger::new("x", "y", Severity::Info))
        .await
        .unwrap_err();
    canceller.await.unwrap();
    assert_eq!(e.code(), "cancelled");
    assert!(e.dedup_key().is_some(), "the key that was sent comes back");
    assert!(t0.elapsed() < Duration::from_secs(1));
    let e = events.resolve("k").await.unwrap_err();
    assert_eq!(e.code(), "cancelled");
}

#[tokio::test(flavor = "current_thread")]
async fn typed_operations_reach_the_simulator() {
    let m = mock(Config {
        incidents: 30,
        ..Config::default()
    })
    .await;
    let o = options(&m.url());
    let rest = RestClient::with_options(FULL_ACCESS, &o).unwrap();
    let events = EventsClient::with_options(ROUTING_KEY_1, &o).unwrap();

    // Events v2, change, v1.
    let key = events
        .trigger(&Trigger {
            dedup_key: Some("disk-db-1".into()),
            ..Trigger::new("Disk full on db-1", "db-1", Severity::Critical)
        })
        .await
        .unwrap();
    assert_eq!(key, "disk-db-1");
    events.acknowledge(&key).await.unwrap();
    events
        .change(&ChangeEvent {
            summary: "deployed v2".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let v1 = events
        .v1(
            Action::Trigger,
            &V1Event {
                description: Some("v1 trigger".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(!v1.is_empty());

    // The incident our trigger opened, found through the filtered stream.
    let filter = IncidentFilter {
        incident_key: Some(key.clone()),
        ..Default::default()
    };
    let found: Vec<_> = rest.list_incidents(&filter).try_collect().await.unwrap();
    assert_eq!(found.len(), 1);
    let id = found[0].id.clone();
    let incident = rest.get_incident(&id).await.unwrap();
    assert_eq!(incident.status.as_deref(), Some("acknowledged"));
    let note = rest.create_incident_note(&id, "freed 20 GB").await.unwrap();
    let notes = rest.list_incident_notes(&id).await.unwrap();
    assert!(notes.iter().any(|n| n.id == note.id));
    let resolved = rest.resolve_incident(&id).await.unwrap();
    assert_eq!(resolved.status.as_deref(), Some("resolved"));

    // Triggered ones only.
    let triggered: Vec<_> = rest
        .list_incidents(&IncidentFilter {
            statuses: vec![IncidentStatus::Triggered],
            ..Default::default()
        })
        .try_collect()
        .await
        .unwrap();
    assert!(triggered
        .iter()
        .all(|i| i.status.as_deref() == Some("triggered")));
    let acked = rest.acknowledge_incident(&triggered[0].id).await.unwrap();
    assert_eq!(acked.status.as_deref(), Some("acknowledged"));

    // On-calls, the registry by name, any path.
    let oncalls: Vec<_> = rest
        .list_oncalls(&OnCallFilter::default())
        .try_collect()
        .await
        .unwrap();
    assert!(oncalls.iter().any(|o| o.user.is_some()));
    let service = rest
        .op("get_service", &json!({"id": "PSVC001"}))
        .await
        .unwrap();
    assert_eq!(service["id"], "PSVC001");
    let users: Vec<Value> = rest
        .pager("list_users", &Value::Null)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert!(!users.is_empty());
    let text = rest
        .request_text(Method::Get, "/services/PSVC002", &Query::new(), None)
        .await
        .unwrap();
    assert!(text.contains("PSVC002"));
    let body = json!({"note": {"content": "via request"}});
    let v = rest
        .request(
            Method::Post,
            &format!("/incidents/{id}/notes"),
            &Query::new(),
            Some(&body),
        )
        .await
        .unwrap();
    assert_eq!(v["note"]["content"], "via request");
    let users = rest.send(rest.core().list_contact_methods("PUSER01").unwrap());
    assert!(users.await.is_ok());

    // Errors keep their codes; bad input is refused before any I/O.
    let requests = m.with_state(|s| s.counters.requests);
    let e = rest.get_incident("../users").await.unwrap_err();
    assert_eq!(e.code(), "invalid_input");
    let e = rest.op("no_such_op", &Value::Null).await.unwrap_err();
    assert_eq!(e.code(), "invalid_input");
    let e = rest
        .list_incidents(&IncidentFilter {
            since: Some("yesterday".into()),
            ..Default::default()
        })
        .try_next()
        .await
        .unwrap_err();
    assert_eq!(e.code(), "invalid_input");
    assert_eq!(m.with_state(|s| s.counters.requests), requests);
    let e = rest.get_incident("PNOPE99").await.unwrap_err();
    assert_eq!((e.code(), e.status()), ("not_found", Some(404)));
    let e = RestClient::with_options(ROUTING_KEY_1, &o).unwrap_err();
    assert_eq!(e.code(), "wrong_key_kind");
    let ro = RestClient::with_options(READ_ONLY, &o).unwrap();
    let e = ro.resolve_incident(&id).await.unwrap_err();
    assert_eq!(e.code(), "forbidden");
}

/// A `tracing` subscriber that writes into a buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

#[test]
fn spans_name_the_template_status_and_attempts_and_never_a_key() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(captured.clone())
        .finish();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    tracing::subscriber::with_default(subscriber, || {
        runtime.block_on(async {
            let m = mock(Config {
                incidents: 3,
                faults: vec![Fault {
                    route: "/v2/enqueue".into(),
                    fail_streak: 1,
                    fail_streak_fraction: 1.0,
                    ..Default::default()
                }],
                ..Config::default()
            })
            .await;
            let o = options(&m.url());
            let events = EventsClient::with_options(ROUTING_KEY_2, &o).unwrap();
            events
                .trigger(&Trigger::new("x", "y", Severity::Info))
                .await
                .unwrap();
            let rest = RestClient::with_options(FULL_ACCESS, &o).unwrap();
            rest.get_incident("Q0000000000001").await.unwrap();
            // A server that quotes the key back, in the body and in x-request-id.
            m.set_faults(vec![Fault {
                route: "/services".into(),
                echo_key: 1.0,
                ..Default::default()
            }]);
            let e = rest.get_service("PSVC001").await.unwrap_err();
            assert_eq!(e.code(), "http_error");
            m.set_faults(vec![Fault {
                route: "/v2/enqueue".into(),
                echo_key: 1.0,
                ..Default::default()
            }]);
            assert!(events.resolve("k").await.is_err());
        })
    });
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("path=\"/incidents/{id}\""), "{log}");
    assert!(log.contains("path=\"/services/{id}\""), "{log}");
    assert!(log.contains("path=\"/v2/enqueue\""), "{log}");
    assert!(
        log.contains("attempt=2"),
        "the retry is an attempt span: {log}"
    );
    assert!(log.contains("wait_ms="), "{log}");
    assert!(
        log.contains("status=202") && log.contains("attempts=2"),
        "{log}"
    );
    assert!(log.contains("status=200"), "{log}");
    assert!(log.contains("status=400"), "{log}");
    assert!(log.contains("request_id=\"<redacted>\""), "{log}");
    for secret in [FULL_ACCESS, ROUTING_KEY_2] {
        assert!(!log.contains(secret), "a key in the spans: {log}");
    }
    assert!(
        !log.contains("Q0000000000001"),
        "IDs stay out of the path: {log}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn safe_creates_and_the_incident_of_a_dedup_key() {
    let m = mock(Config::default()).await;
    let o = options(&m.url());
    let rest = RestClient::with_options(FULL_ACCESS, &o).unwrap();
    let events = EventsClient::with_options(ROUTING_KEY_1, &o).unwrap();

    // create_incident_once: the same incident both times, created once.
    let args = json!({"title": "Disk full", "service_id": "PSVC001",
        "incident_key": "rust-safe-create-1"});
    let (first, created) = rest.create_incident_once(&args).await.unwrap();
    assert!(created);
    let (again, created) = rest.create_incident_once(&args).await.unwrap();
    assert!(!created);
    assert_eq!(first["id"], again["id"]);
    let e = rest
        .create_incident_once(&json!({"title": "t", "service_id": "PSVC001"}))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("incident_key"), "{e}");

    // After a trigger's 202, the incident of its dedup key.
    let key = events
        .trigger(&Trigger {
            dedup_key: Some("rust-dedup-found".into()),
            ..Trigger::new("Disk full on db-2", "db-2", Severity::Critical)
        })
        .await
        .unwrap();
    let found = rest
        .find_incident_for_dedup_key(&key, Duration::from_secs(5))
        .await
        .unwrap()
        .expect("the trigger's incident");
    assert_eq!(found.status, "triggered");
    let none = rest
        .find_incident_for_dedup_key("rust-no-such-key", Duration::from_millis(300))
        .await
        .unwrap();
    assert!(none.is_none());
    let e = rest
        .find_incident_for_dedup_key("", Duration::from_millis(300))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "invalid_input");

    // A cancel ends the poll's waits at once.
    let other = rest.clone();
    let canceller = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        other.cancel();
    });
    let t0 = Instant::now();
    let e = rest
        .find_incident_for_dedup_key("rust-never-shows", Duration::from_secs(30))
        .await
        .unwrap_err();
    canceller.await.unwrap();
    assert_eq!(e.code(), "cancelled");
    assert!(t0.elapsed() < Duration::from_secs(2), "{:?}", t0.elapsed());
}
