//! Typed helpers for the common REST operations.
//!
//! Each helper returns either an [`Op`] (one request plus the knowledge of how to read its
//! response) or a [`Pager`](crate::pagination::Pager) for list endpoints. Every other path of
//! the API is reachable through [`Rest::call`](crate::rest::Rest::call).
//!
//! ```
//! use pagerduty_core::{rest::Rest, credentials::RestToken, region::Endpoints, http::Response};
//! use pagerduty_core::operations::incidents::{IncidentUpdate, IncidentStatus};
//!
//! let rest = Rest::new(RestToken::general_access("y_NbAkKc66ryYTWUXYEu")?.into(), Endpoints::default())
//!     .with_default_from("oncall@example.com")?;
//! let op = rest.update_incident("PABC123", &IncidentUpdate { status: Some(IncidentStatus::Acknowledged), ..Default::default() })?;
//! assert_eq!(op.request.url, "https://api.pagerduty.com/incidents/PABC123");
//! // ... send op.request, then:
//! let incident = op.parse(&Response::new(200, vec![], r#"{"incident":{"id":"PABC123","status":"acknowledged"}}"#))?;
//! assert_eq!(incident.status.as_deref(), Some("acknowledged"));
//! # Ok::<(), pagerduty_core::Error>(())
//! ```

use std::fmt;
use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::Error;
use crate::http::{Request, Response};
use crate::query::Query;
use crate::rest::{check_status, entity_json, parse_body, parse_entity};
use crate::timestamp;

pub mod abilities;
pub mod change_events;
pub mod escalation_policies;
pub mod incidents;
pub mod oncalls;
pub mod priorities;
pub mod schedules;
pub mod services;
pub mod tags;
pub mod teams;
pub mod users;

/// How an operation's response is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reader {
    /// `{"<entity>": ...}` → the inside.
    Entity(&'static str),
    /// The whole body.
    Body,
    /// Nothing to read (204).
    Empty,
    /// 2xx → true, 402 (not in the account's plan) → false.
    Ability,
    /// `{"<list>": [first, ...]}` → the first, or `null` for an empty list.
    First(&'static str),
}

/// One REST request and the type its response decodes to.
#[must_use]
pub struct Op<T> {
    /// The request to send (through [`crate::retry`]).
    pub request: Request,
    reader: Reader,
    _out: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for Op<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Op")
            .field("request", &self.request)
            .field("reader", &self.reader)
            .finish()
    }
}

impl<T> Clone for Op<T> {
    fn clone(&self) -> Self {
        Op {
            request: self.request.clone(),
            reader: self.reader,
            _out: PhantomData,
        }
    }
}

impl<T: DeserializeOwned> Op<T> {
    fn new(request: Request, reader: Reader) -> Self {
        Op {
            request,
            reader,
            _out: PhantomData,
        }
    }

    pub(crate) fn entity(request: Request, entity: &'static str) -> Self {
        Self::new(request, Reader::Entity(entity))
    }

    pub(crate) fn body(request: Request) -> Self {
        Self::new(request, Reader::Body)
    }

    pub(crate) fn empty(request: Request) -> Self {
        Self::new(request, Reader::Empty)
    }

    pub(crate) fn first(request: Request, list: &'static str) -> Self {
        Self::new(request, Reader::First(list))
    }

    pub(crate) fn ability(request: Request) -> Self {
        Self::new(request, Reader::Ability)
    }

    /// Reads the response to [`Op::request`].
    pub fn parse(&self, response: &Response) -> Result<T, Error> {
        match self.reader {
            Reader::Entity(name) => parse_entity(response, name),
            Reader::Body => parse_body(response),
            _ => from_value(response, self.reader.read_json(response)?),
        }
    }
}

impl Reader {
    /// The result as JSON, for the readers that build it from parts of the body.
    fn read_json(self, response: &Response) -> Result<Value, Error> {
        match self {
            Reader::Entity(name) => entity_json(response, name),
            Reader::Body => body_json(response),
            Reader::Empty => {
                check_status(response)?;
                Ok(Value::Null)
            }
            Reader::First(list) => {
                let mut v = body_json(response)?;
                match v.get_mut(list) {
                    Some(Value::Array(items)) if !items.is_empty() => Ok(items.swap_remove(0)),
                    Some(Value::Array(_)) => Ok(Value::Null),
                    _ => Err(Error::decode(
                        response,
                        format!("expected a \"{list}\" list"),
                    )),
                }
            }
            Reader::Ability => {
                if response.status == 402 {
                    return Ok(Value::Bool(false));
                }
                check_status(response)?;
                Ok(Value::Bool(true))
            }
        }
    }
}

impl JsonOp {
    /// [`Op::parse`] for a JSON result: the same answer, the JSON as read (not decoded into a
    /// `Value` a second time, which kept serde_json's `Value` deserializer out of the wasm).
    pub fn parse_json(&self, response: &Response) -> Result<Value, Error> {
        self.reader.read_json(response)
    }
}

/// An operation whose result is PagerDuty's JSON as is (the entity inside its wrapper, `true` /
/// `false` for abilities, `null` for deletions): what bindings hand across, with no typed
/// decode and re-encode in between (which also kept every model's serde code out of the wasm).
pub type JsonOp = Op<Value>;

impl<T> Op<T> {
    /// This operation with its result as JSON.
    pub fn into_json_op(self) -> JsonOp {
        Op {
            request: self.request,
            reader: self.reader,
            _out: PhantomData,
        }
    }
}

/// The whole body of a successful response as JSON (read by `json_text`, not serde_json's
/// generic parser).
fn body_json(response: &Response) -> Result<Value, Error> {
    check_status(response)?;
    crate::json_text::parse(&response.body).map_err(|e| Error::decode(response, e))
}

fn from_value<T: DeserializeOwned>(response: &Response, v: Value) -> Result<T, Error> {
    serde_json::from_value(v).map_err(|e| Error::decode(response, e))
}

/// `since` / `until` in a query, checked as an ISO 8601 date and time (the spec's `date-time`;
/// a bare date would be refused by the endpoints that declare the format).
pub(crate) fn push_time(q: &mut Query, name: &str, value: &Option<String>) -> Result<(), Error> {
    if let Some(v) = value {
        timestamp::check_date_time(name, v)?;
        q.push(name, v.clone());
    }
    Ok(())
}

/// A query holding the `since` / `until` window, each checked as in [`push_time`].
pub(crate) fn window(since: Option<String>, until: Option<String>) -> Result<Query, Error> {
    let mut q = Query::new();
    push_time(&mut q, "since", &since)?;
    push_time(&mut q, "until", &until)?;
    Ok(q)
}

/// `/{base}/{id}{rest}` with the ID checked.
pub(crate) fn path(base: &str, id_field: &str, id: &str, rest: &str) -> Result<String, Error> {
    crate::rest::check_id(id_field, id)?;
    Ok(format!("{base}/{id}{rest}"))
}

/// The filters most list endpoints share. Empty fields are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFilter {
    /// Name filter (`query=`).
    pub query: Option<String>,
    /// Only these teams.
    pub team_ids: Vec<String>,
    /// Extra resources to include.
    pub include: Vec<String>,
    /// Page size, 1 to 100.
    pub limit: Option<u32>,
}

impl ListFilter {
    /// The query string.
    pub fn to_query(&self) -> Query {
        let mut q = Query::new();
        q.push_opt("query", self.query.clone());
        q.push_array("team_ids", self.team_ids.iter().cloned());
        q.push_array("include", self.include.iter().cloned());
        q.push_opt("limit", self.limit.map(|l| l.to_string()));
        q
    }
}
