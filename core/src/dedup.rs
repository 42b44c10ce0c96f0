//! Safe creates and delivery confirmation: dedup keys built from named fields, the incident
//! behind a dedup key, and a bounded wait for it.
//!
//! - [`dedup_key`]: `dk1-` and the SHA-256 (hex) of the named fields, sorted by name, each
//!   written as `<len(name)>:<name>=<len(value)>:<value>;` (lengths in bytes, decimal). 68
//!   characters: always within the Events API's 255 and never empty; the same fields give the
//!   same key in every runtime and release (`dk1` names this format), and no two different
//!   sets of fields collide by concatenation (`a=bc` and `ab=c` differ).
//! - [`Rest::find_incident_by_key`](crate::rest::Rest::find_incident_by_key): `GET /incidents?incident_key=`,
//!   the incident whose key (or whose alert's dedup key) it is, or none. An empty key is
//!   refused: PagerDuty would answer with every open incident.
//! - [`DedupPoll`]: after an event's 202, asks until the incident shows up or the caller's
//!   deadline passes: the answer is "incident P123 (triggered)" or "not yet".
//! - A `POST /incidents` whose `incident_key` an open incident already has is refused by
//!   PagerDuty with a 400; the core reads that answer as [`Error::AlreadyExists`], and a
//!   binding asked to return the existing incident looks it up with the same key.
//!
//! ```
//! use std::time::Duration;
//! use pagerduty_core::{credentials::RestToken, region::Endpoints, rest::Rest, http::Response};
//! use pagerduty_core::dedup::{dedup_key, DedupPoll, PollStep};
//!
//! let key = dedup_key(&[("alertname", "DiskFull"), ("host", "db-1")])?;
//! assert!(key.starts_with("dk1-") && key.len() == 68);
//! let rest = Rest::new(RestToken::general_access("y_NbAkKc66ryYTWUXYEu")?.into(), Endpoints::default());
//! let mut poll = DedupPoll::new(&rest, &key, Duration::from_secs(10))?;
//! // The binding's loop: send poll.request(), hand the answer and the time since the start back.
//! let step = poll.handle(&Response::new(200, vec![], r#"{"incidents":[]}"#), Duration::ZERO)?;
//! assert_eq!(step, PollStep::Wait(Duration::from_millis(250)));
//! let body = r#"{"incidents":[{"id":"P123","status":"triggered"}]}"#;
//! let PollStep::Found(found) = poll.handle(&Response::new(200, vec![], body), Duration::from_millis(300))? else { panic!() };
//! assert_eq!(found.to_string(), "incident P123 (triggered)");
//! # Ok::<(), pagerduty_core::Error>(())
//! ```

use std::fmt;
use std::time::Duration;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::error::Error;
use crate::http::{Method, Request, Response};
use crate::operations::JsonOp;
use crate::query::Query;
use crate::rest::Rest;

/// The prefix of keys made by [`dedup_key`] (the format's version).
pub const DEDUP_KEY_PREFIX: &str = "dk1-";
/// The Events API's limit on a dedup key (and PagerDuty's on an `incident_key`).
pub const MAX_KEY_LEN: usize = 255;

/// A dedup key from named fields: `dk1-` and 64 hex digits (see the module doc for the exact
/// format). The order the fields are given in does not matter; a name given twice, an empty
/// name, or no field at all is refused.
pub fn dedup_key(fields: &[(&str, &str)]) -> Result<String, Error> {
    if fields.is_empty() {
        return Err(Error::invalid("fields", "name at least one field"));
    }
    let mut sorted: Vec<&(&str, &str)> = fields.iter().collect();
    // A handful of fields: a short sort (a name given twice is refused below).
    crate::short_sort::sort_short(&mut sorted, |a, b| a.0 < b.0);
    let mut h = Sha256::new();
    for (i, (name, value)) in sorted.iter().enumerate() {
        if name.is_empty() {
            return Err(Error::invalid("fields", "has a field with an empty name"));
        }
        if i > 0 && sorted[i - 1].0 == *name {
            return Err(Error::invalid(format!("fields.{name}"), "is given twice"));
        }
        h.update(format!("{}:{name}={}:", name.len(), value.len()).as_bytes());
        h.update(value.as_bytes());
        h.update(b";");
    }
    Ok(format!("{DEDUP_KEY_PREFIX}{}", hex::encode(h.finalize())))
}

/// [`dedup_key`] over a JSON object's members (strings, numbers and booleans, as their text);
/// for bindings. Another value is refused naming `fields.<name>`.
pub fn dedup_key_json(fields: &Value) -> Result<String, Error> {
    let Value::Object(map) = fields else {
        return Err(Error::invalid("fields", "must be an object of name: value"));
    };
    let mut pairs = Vec::with_capacity(map.len());
    for (k, v) in map {
        let text = match v {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => {
                return Err(Error::invalid(
                    format!("fields.{k}"),
                    "must be a string, a number or a boolean",
                ))
            }
        };
        pairs.push((k.as_str(), text));
    }
    let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    dedup_key(&refs)
}

/// Refuses a key PagerDuty would misread: empty (every open incident would match) or too long.
pub fn check_key(field: &str, key: &str) -> Result<(), Error> {
    if key.trim().is_empty() {
        return Err(Error::invalid(
            field,
            "is empty: GET /incidents with an empty incident_key answers with every open incident",
        ));
    }
    if key.len() > MAX_KEY_LEN {
        return Err(Error::invalid(
            field,
            format!("is {} bytes, over PagerDuty's {MAX_KEY_LEN}", key.len()),
        ));
    }
    Ok(())
}

impl Rest {
    /// `GET /incidents?incident_key=KEY`: the incident with this key, or whose alert has it as
    /// its dedup key; `null` when there is none (yet). An empty key is refused.
    pub fn find_incident_by_key(&self, incident_key: &str) -> Result<JsonOp, Error> {
        check_key("incident_key", incident_key)?;
        let mut q = Query::new();
        q.push("incident_key", incident_key.to_owned());
        let req = self.call(Method::Get, "/incidents").query(&q).build()?;
        Ok(JsonOp::first(req, "incidents"))
    }
}

/// The incident found for a dedup key.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundIncident {
    /// Its ID.
    pub id: String,
    /// Its status (`triggered`, `acknowledged`, `resolved`).
    pub status: String,
    /// The incident as PagerDuty sent it.
    pub incident: Value,
}

impl fmt::Display for FoundIncident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "incident {} ({})", self.id, self.status)
    }
}

/// What to do next in a [`DedupPoll`].
#[must_use]
#[derive(Debug, Clone, PartialEq)]
pub enum PollStep {
    /// Wait this long, then send [`DedupPoll::request`] again.
    Wait(Duration),
    /// Found.
    Found(FoundIncident),
    /// Not there before the deadline: "not yet" (the event may still become an incident, or
    /// its service may not create incidents for it).
    NotYet,
}

/// The first wait between lookups; each next doubles, up to [`POLL_MAX_WAIT`].
pub const POLL_FIRST_WAIT: Duration = Duration::from_millis(250);
/// The longest wait between lookups.
pub const POLL_MAX_WAIT: Duration = Duration::from_secs(2);

/// Looks up the incident of a dedup key until it shows up or `deadline` (from the first
/// lookup) passes. Time comes in as an argument: the binding measures it.
#[derive(Debug, Clone)]
pub struct DedupPoll {
    op: JsonOp,
    deadline: Duration,
    attempt: u32,
}

/// The wait after the `attempt`-th lookup (0-based) found nothing, `elapsed` after the first
/// was sent: 250 ms doubling up to 2 s, never past `deadline`; `None` once it has passed
/// ("not yet"). For bindings that run their own loop.
pub fn poll_wait(attempt: u32, elapsed: Duration, deadline: Duration) -> Option<Duration> {
    let left = deadline.saturating_sub(elapsed);
    if left.is_zero() {
        return None;
    }
    let wait = POLL_FIRST_WAIT
        .saturating_mul(1u32 << attempt.min(16))
        .min(POLL_MAX_WAIT);
    Some(wait.min(left))
}

impl DedupPoll {
    /// A poll for `key`, giving up after `deadline` (at most an hour).
    pub fn new(rest: &Rest, key: &str, deadline: Duration) -> Result<Self, Error> {
        check_key("dedup_key", key)?;
        if deadline > Duration::from_secs(3600) {
            return Err(Error::invalid("deadline_ms", "is over an hour"));
        }
        Ok(DedupPoll {
            op: rest.find_incident_by_key(key)?,
            deadline,
            attempt: 0,
        })
    }

    /// The lookup to send (the same each time).
    pub fn request(&self) -> &Request {
        &self.op.request
    }

    /// Reads a lookup's answer, `elapsed` after the first lookup was sent.
    pub fn handle(&mut self, response: &Response, elapsed: Duration) -> Result<PollStep, Error> {
        let v = self.op.parse(response)?;
        if let Some(found) = found(v) {
            return Ok(PollStep::Found(found));
        }
        let step = match poll_wait(self.attempt, elapsed, self.deadline) {
            Some(w) => PollStep::Wait(w),
            None => PollStep::NotYet,
        };
        self.attempt = self.attempt.saturating_add(1);
        Ok(step)
    }
}

/// The incident of a lookup's result (`null` → none).
pub fn found(v: Value) -> Option<FoundIncident> {
    let id = v.get("id")?.as_str()?.to_owned();
    let status = v
        .get("status")
        .and_then(Value::as_str)
        .unwrap_or("unknown")
        .to_owned();
    Some(FoundIncident {
        id,
        status,
        incident: v,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::RestToken;
    use crate::region::Endpoints;

    fn rest() -> Rest {
        Rest::new(
            RestToken::general_access("y_NbAkKc66ryYTWUXYEu")
                .unwrap()
                .into(),
            Endpoints::default(),
        )
    }

    #[test]
    fn dedup_keys_are_stable_ordered_and_unambiguous() {
        let a = dedup_key(&[("alertname", "DiskFull"), ("host", "db-1")]).unwrap();
        let b = dedup_key(&[("host", "db-1"), ("alertname", "DiskFull")]).unwrap();
        assert_eq!(a, b);
        // The format is a promise: this value must never change.
        assert_eq!(
            dedup_key(&[("a", "b")]).unwrap(),
            format!("dk1-{}", hex::encode(Sha256::digest(b"1:a=1:b;")))
        );
        assert_ne!(
            dedup_key(&[("a", "bc")]).unwrap(),
            dedup_key(&[("ab", "c")]).unwrap()
        );
        assert_ne!(
            dedup_key(&[("a", "")]).unwrap(),
            dedup_key(&[("a", ""), ("b", "")]).unwrap()
        );
        assert_eq!(a.len(), 68);
        assert!(dedup_key(&[]).is_err());
        assert!(dedup_key(&[("", "x")]).is_err());
        let e = dedup_key(&[("a", "1"), ("a", "2")]).unwrap_err();
        assert_eq!(e.to_string(), "invalid fields.a: is given twice");
        assert_eq!(
            dedup_key_json(&serde_json::json!({"host": "db-1", "alertname": "DiskFull"})).unwrap(),
            a
        );
        let e = dedup_key_json(&serde_json::json!({"x": null})).unwrap_err();
        assert!(e.to_string().starts_with("invalid fields.x"), "{e}");
    }

    #[test]
    fn an_empty_key_is_never_looked_up() {
        for k in ["", "  "] {
            let e = rest().find_incident_by_key(k).unwrap_err();
            assert_eq!(e.code(), "invalid_input");
            assert!(DedupPoll::new(&rest(), k, Duration::from_secs(1)).is_err());
        }
        assert!(rest().find_incident_by_key(&"k".repeat(256)).is_err());
        let op = rest().find_incident_by_key("a b").unwrap();
        assert_eq!(
            op.request.url,
            "https://api.pagerduty.com/incidents?incident_key=a+b"
        );
    }

    #[test]
    fn polling_is_bounded_by_the_deadline() {
        let mut p = DedupPoll::new(&rest(), "k", Duration::from_secs(3)).unwrap();
        let none = Response::new(200, vec![], r#"{"incidents":[],"more":false}"#);
        let mut elapsed = Duration::ZERO;
        let mut waits = vec![];
        loop {
            match p.handle(&none, elapsed).unwrap() {
                PollStep::Wait(w) => {
                    waits.push(w.as_millis());
                    elapsed += w;
                }
                PollStep::NotYet => break,
                PollStep::Found(_) => unreachable!(),
            }
        }
        assert_eq!(waits, [250, 500, 1000, 1250]);
        let e = p
            .handle(&Response::new(401, vec![], "{}"), Duration::ZERO)
            .unwrap_err();
        assert_eq!(e.code(), "unauthorized");
    }
}
