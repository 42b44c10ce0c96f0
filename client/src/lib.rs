//! # pagerduty-client
//!
//! PagerDuty for Rust programs: the REST API v2, Events API v2, change events, the legacy
//! Events API v1 and webhooks v3, with the rules of `pagerduty-core` (keys that only go to the
//! API they work with, retries that never open a second alert, pagination that never stops
//! silently at 10,000 records, no key in any error) driven over HTTP by reqwest (rustls, the
//! system's roots plus any CA you add, proxies from the environment, connection reuse, no
//! redirects followed).
//!
//! Two APIs with the same methods, one implementation:
//! - **async** ([`RestClient`], [`EventsClient`]; lists are a [`futures_core::Stream`]) for
//!   tokio programs;
//! - **blocking** ([`blocking::RestClient`], [`blocking::EventsClient`]; lists are an
//!   [`Iterator`]) for scripts, CLIs and threads: each call runs the async one to completion on
//!   a current-thread runtime of the calling thread.
//!
//! Trigger, list and verify, against the local simulator (`pagerduty-mock`):
//!
//! ```
//! # let mock = pagerduty_mock::BackgroundMock::start(pagerduty_mock::Config { incidents: 3, ..Default::default() })?;
//! # let (url, token, routing_key) = (mock.url(), "pdmock_full_access_1", "pdmockintegrationkey000000000001");
//! use pagerduty_client::blocking::{EventsClient, RestClient};
//! use pagerduty_client::{IncidentFilter, Options, Severity, Trigger};
//!
//! let options = Options::new().region(&url);                // "us", "eu", or a base URL
//! let events = EventsClient::with_options(routing_key, &options)?;
//! let dedup_key = events.trigger(&Trigger::new("Disk full on db-1", "db-1", Severity::Critical))?;
//! let rest = RestClient::with_options(token, &options)?;
//! let open = rest.list_incidents(&IncidentFilter::default()).collect::<Result<Vec<_>, _>>()?;
//! # assert!(!dedup_key.is_empty());
//! # assert_eq!(open.len(), 4);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The same with the async API:
//!
//! ```
//! use futures::TryStreamExt;
//! use pagerduty_client::{EventsClient, IncidentFilter, Options, RestClient, Severity, Trigger};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let mock = pagerduty_mock::start(pagerduty_mock::Config::default()).await?;
//! # let (url, token, routing_key) = (mock.url(), "pdmock_full_access_1", "pdmockintegrationkey000000000001");
//! let options = Options::new().region(&url).from("ada@example.com");
//! let events = EventsClient::with_options(routing_key, &options)?;
//! let dedup_key = events.trigger(&Trigger::new("Disk full on db-1", "db-1", Severity::Critical)).await?;
//! let rest = RestClient::with_options(token, &options)?;
//! let mut incidents = rest.list_incidents(&IncidentFilter::default());
//! while let Some(incident) = incidents.try_next().await? {
//!     if incident.incident_key.as_deref() == Some(dedup_key.as_str()) {
//!         rest.acknowledge_incident(&incident.id).await?;
//!     }
//! }
//! events.resolve(&dedup_key).await?;
//! # Ok(()) }
//! ```
//!
//! Verifying a webhook needs no client ([`webhook::WebhookVerifier`], from the core):
//!
//! ```
//! use pagerduty_client::webhook::WebhookVerifier;
//! # let body = br#"{"event":{"id":"01","event_type":"incident.triggered","resource_type":"incident","occurred_at":"2026-11-30T00:00:00Z","data":{}}}"#;
//! # let signature = "v1=a10f55ef124baa61fa8a2c4d76e216dde0be0e4f5fee86dacdfed21bc663d239";
//! let verifier = WebhookVerifier::new(&["the-webhook-secret"])?;
//! let event = verifier.verify_and_parse(signature, body)?;  // else code "invalid_signature"
//! assert_eq!(event.event_type, "incident.triggered");
//! # Ok::<(), pagerduty_client::Error>(())
//! ```
//!
//! Everything else the core offers is reachable: [`RestClient::op`] and [`RestClient::pager`]
//! call any of the registry's operations by name with JSON arguments (docs/operations.md),
//! [`RestClient::core`] gives the core's typed helpers (send what they build with
//! [`RestClient::send`], walk their pagers with [`RestClient::walk`]), and
//! [`RestClient::request`] reaches any path.
//!
//! ## Errors
//!
//! One [`Error`] type (the core's) with a stable [`Error::code`]: `invalid_input`,
//! `wrong_key_kind`, `unauthorized`, `forbidden`, `not_found`, `rate_limited`, `invalid_event`,
//! `http_error`, `transport`, `timeout`, `decode`, `invalid_signature`, `cancelled`,
//! `truncated`. Events fail with an [`EventError`]: the same error plus the dedup_key the event
//! was sent with, so that a resend never opens a second alert. [`is_transient`] tells a call
//! that gave up after retries from one PagerDuty refused.
//!
//! ## Cancellation
//!
//! Dropping a call's future cancels it: the connection in flight is closed and nothing more is
//! sent (a retry wait simply ends). [`RestClient::cancel`] / [`EventsClient::cancel`] end every
//! call of a client from anywhere, blocking calls included.
//!
//! ## Tracing
//!
//! Each request is a `tracing` span `pagerduty.request` (`method`, `path` as the spec's template
//! such as `/incidents/{id}`, `api`, and at the end `status`, `attempts`, `request_id`, `error`
//! as a code) with one `pagerduty.attempt` span per attempt (`attempt`, `status`,
//! `request_id`, `error`, `wait_ms` before a retry). Never a key, a query string or a body.
//! Nothing is recorded unless the program installs a subscriber.

#![deny(missing_docs)]

pub mod blocking;
mod dedup;
mod events;
mod options;
pub mod outbox;
mod pages;
mod rest;
mod tls;
mod trace;
mod transport;

pub use events::{EventError, EventsClient};
pub use options::{Options, TokenKind};
pub use pages::{Items, Pages};
pub use rest::RestClient;
#[doc(hidden)]
pub use tls::system_root_loads;
pub use transport::{is_transient, random_bytes, Settings, Transport};

/// The core, for everything not re-exported here.
pub use pagerduty_core as core;

pub use pagerduty_core::events::{
    Action, ChangeEvent, EventAccepted, EventOp, Image, Link, Severity, Trigger, V1Event,
};
pub use pagerduty_core::http::Method;
pub use pagerduty_core::models::{Incident, Note, OnCall, Reference, Service, User};
pub use pagerduty_core::operations::incidents::{
    IncidentFilter, IncidentStatus, IncidentUpdate, NewIncident, Urgency,
};
pub use pagerduty_core::operations::oncalls::OnCallFilter;
pub use pagerduty_core::operations::ListFilter;
pub use pagerduty_core::pagination::Page;
pub use pagerduty_core::query::Query;
pub use pagerduty_core::ratelimit::RateLimit;
pub use pagerduty_core::region::Endpoints;
pub use pagerduty_core::retry::RetryPolicy;
pub use pagerduty_core::{Error, ErrorCode};

/// Webhooks v3: signatures checked against one or more secrets (rotation), in constant time,
/// and payloads parsed with unknown fields kept. The core's, re-exported.
pub mod webhook {
    pub use pagerduty_core::webhook::{
        parse_event, WebhookEvent, WebhookVerifier, DEFAULT_MAX_BODY, SIGNATURE_HEADER,
    };
}
