//! OAuth client credentials and rate limits against the simulator's identity endpoint: the token
//! fetched lazily, refreshed before expiry, fetched once more after a 401 with the request
//! replayed, a dropped scope a typed error naming it, no secret in any error; and the rate-limit
//! budget of the last REST answer.

mod common;

use std::time::Duration;

use pagerduty_client::blocking::RestClient;
use pagerduty_client::{Method, Options, Query};
use pagerduty_mock::keys::{OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, OAUTH_SUBDOMAIN};
use pagerduty_mock::{BackgroundMock, Config};
use serde_json::json;

use common::*;

fn mock() -> BackgroundMock {
    BackgroundMock::start(Config::default()).unwrap()
}

fn oauth_client(url: &str, scopes: &[&str], secret: &str) -> RestClient {
    let options = options(url).client_credentials(OAUTH_CLIENT_ID, secret, scopes, OAUTH_SUBDOMAIN);
    RestClient::with_options("", &options).unwrap()
}

fn list(rest: &RestClient) -> Result<serde_json::Value, pagerduty_client::Error> {
    rest.request(Method::Get, "/incidents", &Query::new(), None)
}

fn count(url: &str, what: &str) -> u64 {
    counters(url)[what].as_u64().unwrap()
}

#[test]
fn oauth_token_is_fetched_lazily_and_reused() {
    let m = mock();
    let rest = oauth_client(&m.url(), &["incidents.read"], OAUTH_CLIENT_SECRET);
    assert_eq!(count(&m.url(), "token_requests"), 0);
    list(&rest).unwrap();
    list(&rest).unwrap();
    assert_eq!(count(&m.url(), "token_requests"), 1);
}

#[test]
fn oauth_token_is_refreshed_before_expiry() {
    let m = mock();
    inspect(&m.url(), "PUT", "oauth", r#"{"expires_in": 3}"#);
    let rest = oauth_client(&m.url(), &["incidents.read"], OAUTH_CLIENT_SECRET);
    list(&rest).unwrap();
    // Inside the 10% margin (0.3 s of 3 s), before the simulator's expiry.
    std::thread::sleep(Duration::from_millis(2800));
    list(&rest).unwrap();
    assert_eq!(count(&m.url(), "token_requests"), 2);
    assert_eq!(count(&m.url(), "expired_tokens"), 0);
}

#[test]
fn oauth_401_fetches_a_new_token_once_and_replays_the_request() {
    let m = mock();
    let rest = oauth_client(&m.url(), &["incidents.read"], OAUTH_CLIENT_SECRET);
    list(&rest).unwrap();
    inspect(&m.url(), "POST", "oauth/expire", "");
    list(&rest).unwrap();
    assert_eq!(count(&m.url(), "token_requests"), 2);
    assert_eq!(count(&m.url(), "expired_tokens"), 1);
    // Tokens that expire at once: one replay, then the 401 is the answer.
    inspect(&m.url(), "PUT", "oauth", r#"{"expires_in": 0}"#);
    inspect(&m.url(), "POST", "oauth/expire", "");
    let e = list(&rest).unwrap_err();
    assert_eq!(e.code(), "unauthorized");
    assert_eq!(count(&m.url(), "token_requests"), 3);
}

#[test]
fn oauth_dropped_scope_is_a_typed_error_naming_it() {
    let m = mock();
    let rest = oauth_client(
        &m.url(),
        &["incidents.read", "incidents.wirte"],
        OAUTH_CLIENT_SECRET,
    );
    let e = list(&rest).unwrap_err();
    assert_eq!(e.code(), "scope_not_granted");
    assert!(e.to_string().contains("incidents.wirte"), "{e}");
    assert!(!e.to_string().contains("incidents.read "), "{e}");
    // A scope granted but not enough for the call: PagerDuty's 403.
    let rest = oauth_client(&m.url(), &["services.read"], OAUTH_CLIENT_SECRET);
    assert_eq!(list(&rest).unwrap_err().code(), "forbidden");
    // No subdomain and no as_account scope: refused before any I/O.
    let e = Options::from_json(&json!({"region": m.url(), "oauth": {
        "client_id": OAUTH_CLIENT_ID, "client_secret": OAUTH_CLIENT_SECRET, "scopes": ["read"]}}))
    .unwrap_err();
    assert!(e.to_string().contains("oauth.subdomain"), "{e}");
}

#[test]
fn oauth_secret_and_token_never_in_errors() {
    let m = mock();
    let wrong = "pdmock-wrong-secret-77";
    let e = list(&oauth_client(&m.url(), &["read"], wrong)).unwrap_err();
    assert_eq!(e.code(), "unauthorized");
    assert!(!format!("{e} {e:?}").contains(wrong));
    let rest = oauth_client(&m.url(), &["read"], OAUTH_CLIENT_SECRET);
    list(&rest).unwrap();
    m.set_faults(vec![pagerduty_mock::faults::Fault {
        route: "/incidents".into(),
        echo_key: 1.0,
        ..Default::default()
    }]);
    let e = list(&rest).unwrap_err();
    let text = format!("{e} {e:?}");
    assert!(text.contains("<redacted>"), "{text}");
    assert!(!text.contains("pdmock_oauth_"), "{text}");
}

#[test]
fn rate_limit_is_the_last_rest_answers_budget() {
    let m = mock();
    inspect(
        &m.url(),
        "PUT",
        "rate_limits",
        r#"{"rest": {"limit": 50, "window_secs": 60}}"#,
    );
    let rest = RestClient::with_options(FULL_ACCESS, &options(&m.url())).unwrap();
    assert_eq!(rest.rate_limit(), None);
    list(&rest).unwrap();
    let first = rest.rate_limit().unwrap();
    assert_eq!((first.limit, first.remaining), (Some(50), Some(49)));
    assert!(first.reset_ms.unwrap() > 0);
    list(&rest).unwrap();
    assert_eq!(rest.rate_limit().unwrap().remaining, Some(48));
}
