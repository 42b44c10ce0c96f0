//! Safe creates and the incident of a dedup key, over the core's [`DedupPoll`] and the
//! registry: one definition for the async [`crate::RestClient`] and, through `block_on`, the
//! blocking one (and so libpagerduty's `pd_rest_create_incident_once` /
//! `pd_rest_find_incident_for_dedup_key`).

use std::time::{Duration, Instant};

use serde_json::Value;

use pagerduty_core::bindings::registry;
use pagerduty_core::dedup::{DedupPoll, FoundIncident, PollStep};
use pagerduty_core::response_error::Api;
use pagerduty_core::rest::Rest;
use pagerduty_core::Error;

use crate::Transport;

/// After an event's 202: the incident of `dedup_key`, looked up until it shows up or
/// `deadline` passes (the core's [`DedupPoll`]: 250 ms doubling to 2 s); `None` is "not yet".
/// The waits end early, with `cancelled`, when the transport is cancelled.
pub(crate) async fn find_incident_for_dedup_key(
    rest: &Rest,
    transport: &Transport,
    dedup_key: &str,
    deadline: Duration,
) -> Result<Option<FoundIncident>, Error> {
    let mut poll = DedupPoll::new(rest, dedup_key, deadline)?;
    let start = Instant::now();
    loop {
        let response = transport.send(poll.request().clone(), Api::Rest).await?;
        match poll.handle(&response, start.elapsed())? {
            PollStep::Found(f) => return Ok(Some(f)),
            PollStep::NotYet => return Ok(None),
            PollStep::Wait(d) => transport.wait(d).await?,
        }
    }
}

/// `create_incident` (the registry's arguments, with an `incident_key`) made safe to retry:
/// when PagerDuty answers that an open incident already has the key
/// ([`Error::AlreadyExists`]), that incident is returned instead. The flag says whether this
/// call created it.
pub(crate) async fn create_incident_once(
    rest: &Rest,
    transport: &Transport,
    args: &Value,
) -> Result<(Value, bool), Error> {
    let op = registry::op(rest, "create_incident", args)?;
    let key = args
        .get("incident_key")
        .and_then(Value::as_str)
        .unwrap_or("");
    pagerduty_core::dedup::check_key("args.incident_key", key)?;
    let response = transport.send(op.request.clone(), Api::Rest).await?;
    match op.parse(&response) {
        Ok(v) => Ok((v, true)),
        Err(e @ Error::AlreadyExists(_)) => {
            let find = rest.find_incident_by_key(key)?;
            let answer = transport.send(find.request.clone(), Api::Rest).await?;
            let existing = find.parse(&answer)?;
            if existing.is_null() {
                // Resolved between the two calls: report what PagerDuty said.
                return Err(e);
            }
            Ok((existing, false))
        }
        Err(e) => Err(e),
    }
}
