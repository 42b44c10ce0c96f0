//! The system's certificate root store is read at most once per process, and never by clients
//! that only speak plain http (issue 17). Counted, not timed: `system_root_loads()` counts the
//! reads. One test in its own binary (its own process), so that nothing else reads the store
//! first.

mod common;

use pagerduty_client::blocking::{EventsClient, RestClient};
use pagerduty_client::{system_root_loads, Method, Query, Severity, Trigger};
use pagerduty_mock::{BackgroundMock, Config};

use common::*;

/// Each of `threads` threads makes a REST call and sends a trigger with its own pair of clients
/// and with the pair they all share, so that every client meets several threads.
fn calls_from_threads(options: &pagerduty_client::Options, threads: usize) {
    let rest = RestClient::with_options(FULL_ACCESS, options).unwrap();
    let events = EventsClient::with_options(ROUTING_KEY_1, options).unwrap();
    std::thread::scope(|s| {
        for t in 0..threads {
            let (rest, events) = (&rest, &events);
            s.spawn(move || {
                let own_rest = RestClient::with_options(FULL_ACCESS, options).unwrap();
                let own_events = EventsClient::with_options(ROUTING_KEY_1, options).unwrap();
                for (r, e) in [(rest, events), (&own_rest, &own_events)] {
                    r.request(Method::Get, "/incidents", &Query::new(), None)
                        .unwrap();
                    e.trigger(&Trigger::new(
                        &format!("t{t}"),
                        "root-store",
                        Severity::Info,
                    ))
                    .unwrap();
                }
            });
        }
    });
}

#[test]
fn the_root_store_is_read_once_per_process_and_never_for_plain_http() {
    let http = BackgroundMock::start(Config::default()).unwrap();
    calls_from_threads(&options(&http.url()), 8);
    // An async client too, on a runtime of its own.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let rest =
            pagerduty_client::RestClient::with_options(FULL_ACCESS, &options(&http.url())).unwrap();
        rest.request(Method::Get, "/incidents", &Query::new(), None)
            .await
            .unwrap();
    });
    assert_eq!(
        system_root_loads(),
        0,
        "plain-http clients on loopback must not read the system's certificate store"
    );

    let https = BackgroundMock::start(Config {
        tls: true,
        ..Config::default()
    })
    .unwrap();
    let pem = https.cert_pem().unwrap().to_owned();
    // With the simulator's CA added (ca_pem): each client has its own config, and still the
    // system's roots beside it are read once.
    calls_from_threads(&options(&https.url()).ca_pem(&pem), 8);
    assert_eq!(system_root_loads(), 1);

    // With the system's roots only: the self-signed certificate is not trusted (named, not
    // retried), and the store is not read again, from any thread or client.
    for _ in 0..3 {
        std::thread::spawn({
            let url = https.url();
            move || {
                let events = EventsClient::with_options(ROUTING_KEY_1, &options(&url)).unwrap();
                let e = events
                    .trigger(&Trigger::new("untrusted", "root-store", Severity::Info))
                    .unwrap_err();
                assert_eq!(e.error.code(), "transport", "{e}");
                assert!(e.to_string().contains("certificate not trusted"), "{e}");
            }
        })
        .join()
        .unwrap();
    }
    calls_from_threads(&options(&https.url()).ca_pem(&pem), 4);
    calls_from_threads(&options(&http.url()), 4);
    assert_eq!(system_root_loads(), 1, "read once per process");
}
