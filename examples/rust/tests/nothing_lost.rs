//! End to end through a real socket: with the simulator injecting 5xx, 429s and connections
//! dropped after processing, every trigger becomes exactly one alert. This is the core's
//! retry machine plus its generated dedup_key doing their job.

use std::time::Duration;

use pagerduty_client::blocking::Transport;
use pagerduty_client::{random_bytes, Settings};
use pagerduty_core::credentials::IntegrationKey;
use pagerduty_core::events::{Events, Severity, Trigger};
use pagerduty_core::region::Endpoints;
use pagerduty_core::retry::RetryPolicy;
use pagerduty_mock::faults::Fault;
use pagerduty_mock::{keys, BackgroundMock, Config};

#[test]
fn every_trigger_lands_exactly_once_under_faults() {
    const N: usize = 1000;
    let faults = vec![Fault {
        route: "/v2/enqueue".into(),
        server_error: 0.20,
        rate_limit_no_headers: 0.095,
        rate_limit: 0.005,
        drop_after: 0.05,
        ..Default::default()
    }];
    let mock = BackgroundMock::start(Config {
        seed: 42,
        faults,
        ..Config::default()
    })
    .unwrap();
    let events = Events::new(Endpoints::custom(&mock.url()).unwrap());
    let key = IntegrationKey::new(keys::ROUTING_KEY_1).unwrap();
    // Short backoff so the test is quick; the server's own retry-after is still obeyed.
    let settings = Settings {
        retry: RetryPolicy {
            max_attempts: 12,
            deadline: Duration::from_secs(60),
            base_delay: Duration::from_millis(2),
            max_delay: Duration::from_millis(20),
        },
        ..Settings::default()
    };
    let http = Transport::new(&settings).unwrap();
    let mut keys_sent = std::collections::HashSet::new();
    for i in 0..N {
        let t = Trigger::new(&format!("event {i}"), "load-test", Severity::Warning);
        let op = events.trigger(&key, &t, random_bytes().unwrap()).unwrap();
        let accepted = op
            .parse(&http.send(op.request.clone(), op.api()).unwrap())
            .unwrap();
        assert_eq!(accepted.dedup_key.as_deref(), op.dedup_key());
        keys_sent.insert(op.dedup_key().unwrap().to_owned());
    }
    assert_eq!(keys_sent.len(), N);
    let (alerts, faults) = mock.with_state(|s| {
        (
            s.alerts
                .iter()
                .map(|a| a.dedup_key.clone())
                .collect::<Vec<_>>(),
            s.counters.events_accepted,
        )
    });
    let unique: std::collections::HashSet<_> = alerts.iter().cloned().collect();
    assert_eq!(
        alerts.len(),
        N,
        "one alert per trigger: none lost, none duplicated"
    );
    assert_eq!(unique, keys_sent);
    // The faults really happened: more events were processed than triggers were sent.
    assert!(faults > N as u64, "events processed {faults}");
}
