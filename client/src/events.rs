//! The async events client: Events API v2 (trigger, acknowledge, resolve), change events and
//! the legacy Events API v1, for one integration (routing) key.

use std::fmt;
use std::sync::Arc;

use pagerduty_core::credentials::IntegrationKey;
use pagerduty_core::events::{
    Action, ChangeEvent, EventAccepted, EventOp, Events, Trigger, V1Event,
};
use pagerduty_core::Error;

use crate::options::Options;
use crate::transport::{random_bytes, Transport};

/// A failed event, with the dedup_key (v1: incident_key) it was sent with.
///
/// PagerDuty may have received an event although no answer came back: resend with
/// [`EventError::dedup_key`] (set it on the trigger) and no second alert opens. The key is
/// `None` only when the event was refused before one existed, and for change events.
#[derive(Debug, Clone, PartialEq)]
pub struct EventError {
    /// What went wrong.
    pub error: Error,
    /// The key the event carried.
    pub dedup_key: Option<String>,
}

impl EventError {
    fn new(error: Error, dedup_key: Option<&str>) -> EventError {
        EventError {
            error,
            dedup_key: dedup_key.map(str::to_owned),
        }
    }

    /// The key the event carried.
    pub fn dedup_key(&self) -> Option<&str> {
        self.dedup_key.as_deref()
    }
}

impl std::ops::Deref for EventError {
    type Target = Error;
    fn deref(&self) -> &Error {
        &self.error
    }
}

impl fmt::Display for EventError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.error.fmt(f)
    }
}

impl std::error::Error for EventError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

impl From<EventError> for Error {
    fn from(e: EventError) -> Error {
        e.error
    }
}

impl From<Error> for EventError {
    fn from(error: Error) -> EventError {
        EventError {
            error,
            dedup_key: None,
        }
    }
}

#[derive(Debug)]
pub(crate) struct EventsInner {
    pub(crate) events: Events,
    pub(crate) key: IntegrationKey,
}

/// Sends events with one integration key (async, tokio). Cheap to clone.
///
/// Events are retried on 429, 5xx and lost answers until the deadline (60 s by default) with
/// the same body, and a trigger without a dedup_key gets one generated before the first
/// attempt: a retried trigger never opens a second alert.
///
/// ```no_run
/// use pagerduty_client::{EventsClient, Severity, Trigger};
///
/// # async fn run() -> Result<(), pagerduty_client::EventError> {
/// let events = EventsClient::new(&std::env::var("PAGERDUTY_ROUTING_KEY").unwrap_or_default())?;
/// let dedup_key = events.trigger(&Trigger::new("Disk full on db-1", "db-1", Severity::Critical)).await?;
/// events.resolve(&dedup_key).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct EventsClient {
    inner: Arc<EventsInner>,
    transport: Transport,
}

impl EventsClient {
    /// A client for a 32-character integration (routing) key, in the US service region.
    pub fn new(routing_key: &str) -> Result<EventsClient, Error> {
        Self::with_options(routing_key, &Options::new())
    }

    /// A client for `routing_key` with these options.
    pub fn with_options(routing_key: &str, options: &Options) -> Result<EventsClient, Error> {
        let key = IntegrationKey::new(routing_key)?;
        let events = options.events()?;
        let transport = Transport::new(&options.settings()?)?;
        Ok(EventsClient {
            inner: Arc::new(EventsInner { events, key }),
            transport,
        })
    }

    pub(crate) fn from_shared(inner: Arc<EventsInner>, transport: Transport) -> EventsClient {
        EventsClient { inner, transport }
    }

    /// The transport.
    pub fn transport(&self) -> &Transport {
        &self.transport
    }

    /// Ends every call in flight on this client and its clones with `cancelled`, and makes
    /// later calls fail the same way.
    pub fn cancel(&self) {
        self.transport.cancel();
    }

    /// Builds a trigger without sending it: its [`EventOp::dedup_key`] is known before the
    /// first attempt (keep it where a resend can find it), then [`EventsClient::send`] it.
    pub fn prepare_trigger(&self, trigger: &Trigger) -> Result<EventOp, Error> {
        self.inner
            .events
            .trigger(&self.inner.key, trigger, random_bytes()?)
    }

    /// Sends an event built with [`EventsClient::prepare_trigger`] (or the core); PagerDuty's
    /// answer, or the error with the key the event carried.
    pub async fn send(&self, op: &EventOp) -> Result<EventAccepted, EventError> {
        let result = match self.transport.send(op.request.clone(), op.api()).await {
            Ok(response) => op.parse(&response),
            Err(e) => Err(e),
        };
        result.map_err(|e| EventError::new(e, op.dedup_key()))
    }

    /// Triggers an alert; the dedup_key in force (the trigger's, or one generated for it).
    pub async fn trigger(&self, trigger: &Trigger) -> Result<String, EventError> {
        let op = self
            .prepare_trigger(trigger)
            .map_err(|e| EventError::new(e, trigger.dedup_key.as_deref()))?;
        let accepted = self.send(&op).await?;
        Ok(accepted
            .dedup_key
            .or_else(|| op.dedup_key().map(str::to_owned))
            .unwrap_or_default())
    }

    /// Acknowledges the alert with this dedup_key.
    pub async fn acknowledge(&self, dedup_key: &str) -> Result<(), EventError> {
        self.follow_up(Action::Acknowledge, dedup_key).await
    }

    /// Resolves the alert with this dedup_key.
    pub async fn resolve(&self, dedup_key: &str) -> Result<(), EventError> {
        self.follow_up(Action::Resolve, dedup_key).await
    }

    async fn follow_up(&self, action: Action, dedup_key: &str) -> Result<(), EventError> {
        let op = self
            .inner
            .events
            .follow_up(&self.inner.key, action, dedup_key)
            .map_err(|e| EventError::new(e, Some(dedup_key)))?;
        self.send(&op).await.map(|_| ())
    }

    /// Sends a change event (a deploy, a config change: shown beside incidents).
    pub async fn change(&self, change: &ChangeEvent) -> Result<(), EventError> {
        let op = self.inner.events.change(&self.inner.key, change)?;
        self.send(&op).await.map(|_| ())
    }

    /// Sends a legacy Events API v1 event; the incident_key in force.
    pub async fn v1(&self, action: Action, event: &V1Event) -> Result<String, EventError> {
        let op = self
            .inner
            .events
            .v1(&self.inner.key, action, event, random_bytes()?)
            .map_err(|e| EventError::new(e, event.incident_key.as_deref()))?;
        let accepted = self.send(&op).await?;
        Ok(accepted
            .dedup_key
            .or_else(|| op.dedup_key().map(str::to_owned))
            .unwrap_or_default())
    }
}
