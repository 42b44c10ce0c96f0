//! Events API v2, change events and v1, validated the way PagerDuty documents them.

use serde_json::{json, Value};

use crate::reply::Reply;
use crate::state::{Alert, ReceivedEvent, State};

const MAX_BODY: usize = 512 * 1024;
const SEVERITIES: [&str; 4] = ["critical", "error", "warning", "info"];

fn now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn text<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter()
        .try_fold(v, |v, k| v.get(k))?
        .as_str()
        .filter(|s| !s.trim().is_empty())
}

fn record(
    state: &mut State,
    api: &'static str,
    action: &str,
    dedup: Option<String>,
    service: Option<String>,
    accepted: bool,
) {
    state.counters.events_received += 1;
    if accepted {
        state.counters.events_accepted += 1;
    } else {
        state.counters.events_rejected += 1;
    }
    state.events.push(ReceivedEvent {
        api,
        action: action.into(),
        dedup_key: dedup,
        service_id: service,
        accepted,
        at: now(),
    });
}

/// Parses the body or explains why not.
fn parse(body: &[u8]) -> Result<Value, Vec<String>> {
    if body.len() > MAX_BODY {
        return Err(vec![format!(
            "Event object is too large ({} bytes; the limit is {MAX_BODY})",
            body.len()
        )]);
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(v) if v.is_object() => Ok(v),
        _ => Err(vec!["Event object is not valid JSON".into()]),
    }
}

/// The service of the body's `routing_key`, and what is wrong with the key.
fn routing(state: &State, v: &Value) -> (Option<String>, Vec<String>) {
    let key = v.get("routing_key").and_then(Value::as_str).unwrap_or("");
    let service = state.service_by_key(key).map(|s| s.id.clone());
    let mut errors = Vec::new();
    if key.len() != 32 {
        errors.push("Length of 'routing_key' is incorrect (should be 32 characters)".to_string());
    } else if service.is_none() {
        errors.push("'routing_key' does not belong to any integration".to_string());
    }
    (service, errors)
}

/// `POST /v2/enqueue`.
pub fn enqueue(state: &mut State, body: &[u8]) -> Reply {
    let v = match parse(body) {
        Ok(v) => v,
        Err(errors) => {
            record(state, "v2", "", None, None, false);
            return Reply::invalid_event(errors);
        }
    };
    let (service, mut errors) = routing(state, &v);
    let action = v.get("event_action").and_then(Value::as_str).unwrap_or("");
    let mut dedup = v
        .get("dedup_key")
        .and_then(Value::as_str)
        .map(str::to_owned);
    match action {
        "trigger" => {
            if text(&v, &["payload", "summary"]).is_none() {
                errors.push("'payload.summary' is missing or blank".into());
            }
            if text(&v, &["payload", "source"]).is_none() {
                errors.push("'payload.source' is missing or blank".into());
            }
            match text(&v, &["payload", "severity"]) {
                Some(s) if SEVERITIES.contains(&s) => {}
                _ => errors.push("'payload.severity' is invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')".into()),
            }
            if let Some(images) = v.get("images").and_then(Value::as_array) {
                if images.iter().any(|i| !i.get("src").and_then(Value::as_str).is_some_and(|s| s.starts_with("https://"))) {
                    errors.push("'images[].src' must be an https URL".into());
                }
            }
        }
        "acknowledge" | "resolve" => {
            if dedup.as_deref().is_none_or(|d| d.trim().is_empty()) {
                errors.push("'dedup_key' is missing or blank".into());
            }
        }
        "" => errors.push("'event_action' is missing or blank".into()),
        _ => errors.push("'event_action' is invalid (must be one of the following: 'trigger', 'acknowledge' or 'resolve')".into()),
    }
    if dedup.as_ref().is_some_and(|d| d.chars().count() > 255) {
        errors.push("'dedup_key' is too long (maximum is 255 characters)".into());
    }
    if !errors.is_empty() {
        record(state, "v2", action, dedup, service, false);
        return Reply::invalid_event(errors);
    }
    let service = service.unwrap_or_default();
    if dedup.is_none() {
        dedup = Some(state.rng.hex32());
    }
    let dedup = dedup.unwrap_or_default();
    // PagerDuty cuts long summaries rather than refusing them.
    let summary: String = text(&v, &["payload", "summary"])
        .unwrap_or("")
        .chars()
        .take(1024)
        .collect();
    let severity = text(&v, &["payload", "severity"]).unwrap_or("").to_owned();
    apply(
        state,
        "v2",
        action,
        &service,
        &dedup,
        &summary,
        &severity,
        v.get("payload").cloned().unwrap_or(Value::Null),
    );
    Reply::json(
        202,
        &json!({"status": "success", "message": "Event processed", "dedup_key": dedup}),
    )
}

/// Moves the alert (and its incident) for one accepted event.
#[allow(clippy::too_many_arguments)]
fn apply(
    state: &mut State,
    api: &'static str,
    action: &str,
    service: &str,
    dedup: &str,
    summary: &str,
    severity: &str,
    body: Value,
) {
    record(
        state,
        api,
        action,
        Some(dedup.to_owned()),
        Some(service.to_owned()),
        true,
    );
    let open = state
        .open_alerts
        .get(&(service.to_owned(), dedup.to_owned()))
        .copied();
    match (action, open) {
        ("trigger", Some(i)) => state.alerts[i].triggers += 1,
        ("trigger", None) => {
            let created = now();
            let incident = state.create_incident(
                service,
                summary,
                if severity == "info" || severity == "warning" {
                    "low"
                } else {
                    "high"
                },
                dedup,
                created.clone(),
            );
            let id = format!("PALRT{:08}", state.alerts.len() + 1);
            state.update_incident(&incident, |i| i.alert_ids.push(id.clone()));
            state.alerts.push(Alert {
                id,
                incident_id: incident,
                service_id: service.into(),
                dedup_key: dedup.into(),
                status: "triggered".into(),
                severity: severity.into(),
                summary: summary.into(),
                created_at: created,
                body,
                triggers: 1,
            });
            state.counters.alerts_created += 1;
            state.open_alerts.insert(
                (service.to_owned(), dedup.to_owned()),
                state.alerts.len() - 1,
            );
        }
        ("acknowledge", Some(i)) | ("resolve", Some(i)) => {
            let status = if action == "resolve" {
                "resolved"
            } else {
                "acknowledged"
            };
            state.alerts[i].status = status.into();
            let incident = state.alerts[i].incident_id.clone();
            if action == "resolve" {
                state
                    .open_alerts
                    .remove(&(service.to_owned(), dedup.to_owned()));
            }
            let at = now();
            state.update_incident(&incident, |inc| {
                if inc.status != "resolved" {
                    inc.status = status.into();
                    inc.log_entries.push(json!({"type": format!("{}_log_entry", if action == "resolve" { "resolve" } else { "acknowledge" }), "summary": status, "created_at": at}));
                }
            });
        }
        // PagerDuty accepts an acknowledge or resolve for an unknown key and does nothing.
        _ => {}
    }
}

/// `POST /v2/change/enqueue`.
pub fn change(state: &mut State, body: &[u8]) -> Reply {
    let v = match parse(body) {
        Ok(v) => v,
        Err(errors) => {
            record(state, "change", "change", None, None, false);
            return Reply::invalid_event(errors);
        }
    };
    let (service, mut errors) = routing(state, &v);
    if text(&v, &["payload", "summary"]).is_none() {
        errors.push("'payload.summary' is missing or blank".into());
    }
    if v.get("links")
        .and_then(Value::as_array)
        .is_some_and(|l| l.len() > 50)
    {
        errors.push("'links' has more than 50 entries".into());
    }
    let accepted = errors.is_empty();
    record(state, "change", "change", None, service, accepted);
    if !accepted {
        return Reply::invalid_event(errors);
    }
    Reply::json(
        202,
        &json!({"status": "success", "message": "Change event processed"}),
    )
}

/// `POST /generic/2010-04-15/create_event.json` (Events API v1).
pub fn v1(state: &mut State, body: &[u8]) -> Reply {
    let v = match parse(body) {
        Ok(v) => v,
        Err(errors) => {
            record(state, "v1", "", None, None, false);
            return Reply::invalid_event(errors);
        }
    };
    let mut errors = Vec::new();
    let key = v.get("service_key").and_then(Value::as_str).unwrap_or("");
    let service = state.service_by_key(key).map(|s| s.id.clone());
    if service.is_none() {
        errors.push(
            "Service key is the wrong length (should be 32 characters) or unknown".to_string(),
        );
    }
    let action = v
        .get("event_type")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let mut incident_key = v
        .get("incident_key")
        .and_then(Value::as_str)
        .map(str::to_owned);
    match action.as_str() {
        "trigger" => {
            if text(&v, &["description"]).is_none() {
                errors.push("Event object must contain a 'description'".into());
            }
        }
        "acknowledge" | "resolve" => {
            if incident_key.is_none() {
                errors.push("Event object must contain an 'incident_key'".into());
            }
        }
        _ => errors.push("Event type must be one of 'trigger', 'acknowledge' or 'resolve'".into()),
    }
    if !errors.is_empty() {
        record(state, "v1", &action, incident_key, service, false);
        return Reply::invalid_event(errors);
    }
    let service = service.unwrap_or_default();
    if incident_key.is_none() {
        incident_key = Some(state.rng.hex32());
    }
    let incident_key = incident_key.unwrap_or_default();
    let summary: String = text(&v, &["description"])
        .unwrap_or("")
        .chars()
        .take(1024)
        .collect();
    apply(
        state,
        "v1",
        &action,
        &service,
        &incident_key,
        &summary,
        "error",
        v.get("details").cloned().unwrap_or(Value::Null),
    );
    Reply::json(
        200,
        &json!({"status": "success", "message": "Event processed", "incident_key": incident_key}),
    )
}
