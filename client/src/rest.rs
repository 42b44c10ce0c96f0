//! The async REST API v2 client.

use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_json::Value;

use pagerduty_core::bindings::registry;
use pagerduty_core::http::{Method, Request, Response};
use pagerduty_core::models::{Incident, Note, OnCall, Service, User};
use pagerduty_core::operations::incidents::{
    IncidentFilter, IncidentStatus, IncidentUpdate, NewIncident,
};
use pagerduty_core::operations::oncalls::OnCallFilter;
use pagerduty_core::operations::{ListFilter, Op};
use pagerduty_core::pagination::Pager;
use pagerduty_core::query::Query;
use pagerduty_core::response_error::Api;
use pagerduty_core::rest::{json_text, parse_json, Rest};
use pagerduty_core::Error;

use crate::options::Options;
use crate::pages::{Items, Pages};
use crate::transport::Transport;

/// A REST API v2 client (async, tokio). Cheap to clone; clones share the connection pool.
///
/// Every call retries by the core's rules (429 always; 5xx and lost answers for GET, PUT and
/// DELETE; never another 4xx) until the deadline, and fails with a [`pagerduty_core::Error`]
/// whose [`code`](Error::code) is stable (`unauthorized`, `not_found`, `rate_limited`, ...).
///
/// ```no_run
/// use futures::TryStreamExt;
/// use pagerduty_client::{IncidentFilter, IncidentStatus, Options, RestClient};
///
/// # async fn run() -> Result<(), pagerduty_client::Error> {
/// let token = std::env::var("PAGERDUTY_TOKEN").unwrap_or_default();
/// let rest = RestClient::with_options(&token, &Options::new().from("me@example.com"))?;
/// let filter = IncidentFilter { statuses: vec![IncidentStatus::Triggered], ..Default::default() };
/// let mut incidents = rest.list_incidents(&filter);
/// while let Some(incident) = incidents.try_next().await? {
///     rest.acknowledge_incident(&incident.id).await?;
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct RestClient {
    rest: Arc<Rest>,
    transport: Transport,
}

impl RestClient {
    /// A client for a general access REST API key, in the US service region.
    pub fn new(token: &str) -> Result<RestClient, Error> {
        Self::with_options(token, &Options::new())
    }

    /// A client for `token` with these options (region, `From`, token kind, timeouts, ...).
    pub fn with_options(token: &str, options: &Options) -> Result<RestClient, Error> {
        let rest = options.rest(token)?;
        let transport = Transport::new(&options.settings()?)?;
        if let Some(source) = options.token_source()? {
            transport.use_token_source(source)?;
        }
        Ok(Self::from_parts(rest, transport))
    }

    /// The last rate-limit budget PagerDuty reported (`ratelimit-*` / `X-RateLimit-*` headers
    /// of the latest REST answer, any status), or `None` before any: slow down before a 429.
    pub fn rate_limit(&self) -> Option<pagerduty_core::ratelimit::RateLimit> {
        self.transport.rate_limit()
    }

    /// A client from the core's request builder and a transport.
    pub fn from_parts(rest: Rest, transport: Transport) -> RestClient {
        RestClient {
            rest: Arc::new(rest),
            transport,
        }
    }

    pub(crate) fn from_shared(rest: Arc<Rest>, transport: Transport) -> RestClient {
        RestClient { rest, transport }
    }

    /// The core's request builder, with its typed helpers (`core().list_services(..)`,
    /// `core().get_schedule(..)`, ...): send what they build with [`RestClient::send`] and
    /// walk their pagers with [`RestClient::walk`].
    pub fn core(&self) -> &Rest {
        &self.rest
    }

    /// The transport.
    pub fn transport(&self) -> &Transport {
        &self.transport
    }

    /// Ends every call in flight on this client and its clones (retry waits included) with
    /// `cancelled`, and makes later calls fail the same way.
    pub fn cancel(&self) {
        self.transport.cancel();
    }

    // The generic layer: any request, any typed helper of the core, any registry operation.

    /// Sends one of the core's typed operations and decodes its answer.
    pub async fn send<T: DeserializeOwned>(&self, op: Op<T>) -> Result<T, Error> {
        let response = self.transport.send(op.request.clone(), Api::Rest).await?;
        op.parse(&response)
    }

    /// Sends a request built with the core; the final response, any status (a raw escape
    /// hatch: parse it yourself).
    pub async fn send_request(&self, request: Request) -> Result<Response, Error> {
        self.transport.send(request, Api::Rest).await
    }

    /// Walks one of the core's pagers.
    pub fn walk(&self, pager: Pager) -> Pages {
        Pages::new(Ok(pager), self.transport.clone())
    }

    /// One of the registry's operations by name (`"get_service"`, `"snooze_incident"`, ...;
    /// see docs/operations.md) with its arguments as a JSON object, checked before anything is
    /// sent. The result is PagerDuty's JSON (the entity inside its wrapper).
    pub async fn op(&self, name: &str, args: &Value) -> Result<Value, Error> {
        let op = registry::op(&self.rest, name, args)?;
        self.send(op).await
    }

    /// One of the registry's list operations by name (`"list_users"`, ...) with its filters.
    pub fn pager(&self, name: &str, args: &Value) -> Pages {
        Pages::new(
            registry::pager(&self.rest, name, args),
            self.transport.clone(),
        )
    }

    /// Walks any list path (`/incidents`, `/audit/records`, ...) with these filters (`limit`
    /// sets the page size, at most 100); classic or cursor pagination from the spec.
    pub fn pages(&self, path: &str, query: &Query) -> Pages {
        Pages::new(
            Pager::new(&self.rest, path, query.clone()),
            self.transport.clone(),
        )
    }

    /// Walks a whole history past PagerDuty's 10,000-record cap: `path` (`/incidents`,
    /// `/log_entries`, ...) from `since` up to `until` (ISO 8601), windows split (by their
    /// `total`) until each fits, walked in time order, with no gap and no duplicate at the
    /// edges ([`Pager::history`]). `query` holds the other filters.
    pub fn history(&self, path: &str, query: &Query, since: &str, until: &str) -> Pages {
        Pages::new(
            Pager::history(&self.rest, path, query.clone(), since, until),
            self.transport.clone(),
        )
    }

    fn build(
        &self,
        method: Method,
        path: &str,
        query: &Query,
        body: Option<&str>,
    ) -> Result<Request, Error> {
        let mut call = self.rest.call(method, path).query(query);
        if let Some(body) = body {
            call = call.json_text(body);
        }
        call.build()
    }

    /// Any REST call: `path` (`/incidents/P1`, or a full URL on the configured host), query
    /// parameters (arrays as `name[]`), an optional JSON body. The answer as JSON (`null` for
    /// an empty one).
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        query: &Query,
        body: Option<&Value>,
    ) -> Result<Value, Error> {
        let body = body.map(Value::to_string);
        let request = self.build(method, path, query, body.as_deref())?;
        parse_json(&self.send_request(request).await?)
    }

    /// As [`RestClient::request`] with the body as JSON text, and the answer's JSON text as
    /// PagerDuty sent it (checked, not rebuilt; `null` for an empty one).
    pub async fn request_text(
        &self,
        method: Method,
        path: &str,
        query: &Query,
        body: Option<&str>,
    ) -> Result<String, Error> {
        let request = self.build(method, path, query, body)?;
        let response = self.send_request(request).await?;
        json_text(&response).map(str::to_owned)
    }

    // Typed helpers for the common operations.

    /// The incidents matching `filter`, page by page.
    pub fn list_incidents(&self, filter: &IncidentFilter) -> Items<Incident> {
        Pages::new(self.rest.list_incidents(filter), self.transport.clone()).items()
    }

    /// One incident.
    pub async fn get_incident(&self, id: &str) -> Result<Incident, Error> {
        self.send(self.rest.get_incident(id)?).await
    }

    /// Opens an incident (needs `From` unless the token is a user token).
    pub async fn create_incident(&self, incident: &NewIncident) -> Result<Incident, Error> {
        self.send(self.rest.create_incident(incident)?).await
    }

    /// Changes an incident: status, title, urgency, assignees, ... (needs `From` unless the
    /// token is a user token).
    pub async fn update_incident(
        &self,
        id: &str,
        update: &IncidentUpdate,
    ) -> Result<Incident, Error> {
        self.send(self.rest.update_incident(id, update)?).await
    }

    /// Acknowledges an incident.
    pub async fn acknowledge_incident(&self, id: &str) -> Result<Incident, Error> {
        self.set_status(id, IncidentStatus::Acknowledged).await
    }

    /// Resolves an incident.
    pub async fn resolve_incident(&self, id: &str) -> Result<Incident, Error> {
        self.set_status(id, IncidentStatus::Resolved).await
    }

    async fn set_status(&self, id: &str, status: IncidentStatus) -> Result<Incident, Error> {
        let update = IncidentUpdate {
            status: Some(status),
            ..Default::default()
        };
        self.update_incident(id, &update).await
    }

    /// An incident's notes.
    pub async fn list_incident_notes(&self, id: &str) -> Result<Vec<Note>, Error> {
        self.send(self.rest.list_incident_notes(id)?).await
    }

    /// Adds a note to an incident (needs `From` unless the token is a user token).
    pub async fn create_incident_note(&self, id: &str, content: &str) -> Result<Note, Error> {
        self.send(self.rest.create_incident_note(id, content)?)
            .await
    }

    /// After an event's 202: the incident of `dedup_key`, asked again (250 ms doubling to 2 s)
    /// until it shows up or `deadline` passes; `None` is "not yet". An empty key is refused.
    pub async fn find_incident_for_dedup_key(
        &self,
        dedup_key: &str,
        deadline: std::time::Duration,
    ) -> Result<Option<pagerduty_core::dedup::FoundIncident>, Error> {
        crate::dedup::find_incident_for_dedup_key(&self.rest, &self.transport, dedup_key, deadline)
            .await
    }

    /// `create_incident` (the registry's arguments, with an `incident_key`) made safe to
    /// retry: when an open incident already has the key, that incident instead. The flag says
    /// whether this call created it.
    pub async fn create_incident_once(&self, args: &Value) -> Result<(Value, bool), Error> {
        crate::dedup::create_incident_once(&self.rest, &self.transport, args).await
    }

    /// Who is on call, by escalation policy and level.
    pub fn list_oncalls(&self, filter: &OnCallFilter) -> Items<OnCall> {
        Pages::new(self.rest.list_oncalls(filter), self.transport.clone()).items()
    }

    /// The services.
    pub fn list_services(&self, filter: &ListFilter) -> Items<Service> {
        Pages::new(self.rest.list_services(filter), self.transport.clone()).items()
    }

    /// One service.
    pub async fn get_service(&self, id: &str) -> Result<Service, Error> {
        self.send(self.rest.get_service(id)?).await
    }

    /// The users.
    pub fn list_users(&self, filter: &ListFilter) -> Items<User> {
        Pages::new(self.rest.list_users(filter), self.transport.clone()).items()
    }

    /// One user.
    pub async fn get_user(&self, id: &str) -> Result<User, Error> {
        self.send(self.rest.get_user(id)?).await
    }

    /// The user a user token belongs to.
    pub async fn current_user(&self) -> Result<User, Error> {
        self.send(self.rest.current_user()?).await
    }
}
