//! Events API v2 (alerts), change events, and the legacy Events API v1.
//!
//! Every rule PagerDuty would answer with a 400 is checked here first, naming the field:
//! action, severity, summary (at most 1024 characters: refused, or cut when
//! [`EventOptions::truncate_summary`] asks for it), dedup_key (at most 255), the whole body (at
//! most 512 KB), https image sources, ISO 8601 timestamps, links on change events (at most 50,
//! and no images).
//!
//! **Retry-safe triggers.** A trigger without a dedup_key gets one before the first attempt,
//! made from caller-supplied random bytes (a UUID v4), so a retry after a lost response lands
//! on the same alert instead of opening a second one. [`EventOp::dedup_key`] always says which
//! key is in force. Drive [`EventOp::request`] through [`crate::retry::Retry`] with
//! [`EventOp::api`]: events are idempotent, so 429, 5xx and lost answers are all retried.
//!
//! ```
//! use pagerduty_core::events::{Events, Trigger, Severity};
//! use pagerduty_core::credentials::IntegrationKey;
//! use pagerduty_core::http::Response;
//!
//! let key = IntegrationKey::new("8f2a6b0c1d4e4f5a9b7c3d2e1f0a9b8c")?;
//! let events = Events::default();
//! let trigger = Trigger::new("Disk 95% full on db-1", "db-1", Severity::Critical);
//! let op = events.trigger(&key, &trigger, [7; 16])?;          // random bytes from the caller
//! assert_eq!(op.dedup_key(), Some("07070707-0707-4707-8707-070707070707"));
//! assert_eq!(op.request.url, "https://events.pagerduty.com/v2/enqueue");
//! let accepted = op.parse(&Response::new(202, vec![], r#"{"status":"success","message":"Event processed","dedup_key":"07070707-0707-4707-8707-070707070707"}"#))?;
//! assert_eq!(accepted.dedup_key.as_deref(), op.dedup_key());
//! # Ok::<(), pagerduty_core::Error>(())
//! ```

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::credentials::IntegrationKey;
use crate::error::Error;
use crate::http::{Method, Request, Response};
use crate::read_value::{any, option, seq, string, unit_variant, Read, Shape};
use crate::region::Endpoints;
use crate::response_error::{error_from_response, Api};
use crate::timestamp::check_date_time;

/// Longest summary (v2) or description (v1), in characters.
pub const MAX_SUMMARY: usize = 1024;
/// Longest dedup_key / incident_key, in characters.
pub const MAX_DEDUP_KEY: usize = 255;
/// Largest event body, in bytes.
pub const MAX_BODY: usize = 512 * 1024;
/// Most links on a change event.
pub const MAX_CHANGE_LINKS: usize = 50;

/// Alert severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// critical
    Critical,
    /// error
    Error,
    /// warning
    Warning,
    /// info
    Info,
}

impl Severity {
    /// Parses `critical`, `error`, `warning` or `info` (any case).
    pub fn parse(s: &str) -> Result<Severity, Error> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "critical" => Severity::Critical,
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            "info" => Severity::Info,
            _ => {
                return Err(Error::invalid(
                    "payload.severity",
                    format!("{s:?} is not one of critical, error, warning, info"),
                ))
            }
        })
    }
}

impl Severity {
    /// The API's name (what the derived `Serialize` writes).
    fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// An image as its derived `Serialize` writes it (absent options left out), built by hand so
/// that the module carries no serializer per type.
fn image_json(i: &Image) -> Value {
    let mut m = Map::new();
    m.insert("src".into(), Value::String(i.src.clone()));
    if let Some(h) = &i.href {
        m.insert("href".into(), Value::String(h.clone()));
    }
    if let Some(a) = &i.alt {
        m.insert("alt".into(), Value::String(a.clone()));
    }
    Value::Object(m)
}

/// A link as its derived `Serialize` writes it.
fn link_json(l: &Link) -> Value {
    let mut m = Map::new();
    m.insert("href".into(), Value::String(l.href.clone()));
    if let Some(t) = &l.text {
        m.insert("text".into(), Value::String(t.clone()));
    }
    Value::Object(m)
}

/// What an event does to its alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Open an alert, or add to the open one with the same dedup_key.
    Trigger,
    /// Acknowledge the alert with this dedup_key.
    Acknowledge,
    /// Resolve the alert with this dedup_key.
    Resolve,
}

impl Action {
    /// Parses `trigger`, `acknowledge` or `resolve`.
    pub fn parse(s: &str) -> Result<Action, Error> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "trigger" => Action::Trigger,
            "acknowledge" => Action::Acknowledge,
            "resolve" => Action::Resolve,
            _ => {
                return Err(Error::invalid(
                    "event_action",
                    format!("{s:?} is not one of trigger, acknowledge, resolve"),
                ))
            }
        })
    }

    fn as_str(self) -> &'static str {
        match self {
            Action::Trigger => "trigger",
            Action::Acknowledge => "acknowledge",
            Action::Resolve => "resolve",
        }
    }
}

/// An image shown with the alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Image {
    /// The image's URL: must be https.
    pub src: String,
    /// Where clicking it goes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// Alternative text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alt: Option<String>,
}

/// A link shown with the alert or change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Link {
    /// The URL.
    pub href: String,
    /// Its text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// A trigger event (Events API v2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    /// What is wrong (at most 1024 characters).
    pub summary: String,
    /// Where: host name, service, device.
    pub source: String,
    /// How bad.
    pub severity: Option<Severity>,
    /// When it was detected (ISO 8601).
    #[serde(default)]
    pub timestamp: Option<String>,
    /// The part of the source that is affected.
    #[serde(default)]
    pub component: Option<String>,
    /// A logical group of components.
    #[serde(default)]
    pub group: Option<String>,
    /// The class or type of the event.
    #[serde(default)]
    pub class: Option<String>,
    /// Free-form details.
    #[serde(default)]
    pub custom_details: Option<Value>,
    /// Images.
    #[serde(default)]
    pub images: Vec<Image>,
    /// Links.
    #[serde(default)]
    pub links: Vec<Link>,
    /// The alert's key; one is generated when absent.
    #[serde(default)]
    pub dedup_key: Option<String>,
    /// The name of the monitoring client.
    #[serde(default)]
    pub client: Option<String>,
    /// A URL of the monitoring client.
    #[serde(default)]
    pub client_url: Option<String>,
}

impl Trigger {
    /// A trigger with the three required fields.
    pub fn new(summary: &str, source: &str, severity: Severity) -> Self {
        Trigger {
            summary: summary.to_owned(),
            source: source.to_owned(),
            severity: Some(severity),
            ..Trigger::default()
        }
    }
}

/// A change event: a deploy, a config change. Never pages anyone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ChangeEvent {
    /// What changed (at most 1024 characters).
    pub summary: String,
    /// Where.
    #[serde(default)]
    pub source: Option<String>,
    /// When (ISO 8601).
    #[serde(default)]
    pub timestamp: Option<String>,
    /// Free-form details.
    #[serde(default)]
    pub custom_details: Option<Value>,
    /// Links (at most 50).
    #[serde(default)]
    pub links: Vec<Link>,
}

/// A legacy Events API v1 event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct V1Event {
    /// The incident's key; generated for a trigger when absent, required otherwise.
    #[serde(default)]
    pub incident_key: Option<String>,
    /// What is wrong (required for a trigger; at most 1024 characters).
    #[serde(default)]
    pub description: Option<String>,
    /// Free-form details.
    #[serde(default)]
    pub details: Option<Value>,
    /// The name of the monitoring client.
    #[serde(default)]
    pub client: Option<String>,
    /// A URL of the monitoring client.
    #[serde(default)]
    pub client_url: Option<String>,
    /// Links, sent as `contexts` of type `link`.
    #[serde(default)]
    pub links: Vec<Link>,
    /// Images, sent as `contexts` of type `image`.
    #[serde(default)]
    pub images: Vec<Image>,
}

/// Options for building events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EventOptions {
    /// Cut a summary longer than 1024 characters instead of refusing it.
    pub truncate_summary: bool,
}

/// The Events APIs for one region: builds event requests, does no I/O.
#[derive(Debug, Clone, Default)]
pub struct Events {
    endpoints: Endpoints,
    options: EventOptions,
    user_agent: Option<String>,
}

/// PagerDuty's answer to an accepted event.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct EventAccepted {
    /// `success`.
    #[serde(default)]
    pub status: String,
    /// `Event processed`.
    #[serde(default)]
    pub message: String,
    /// The alert's key (v1: the incident_key). The request's when the answer leaves it out.
    #[serde(default, alias = "incident_key")]
    pub dedup_key: Option<String>,
}

impl EventAccepted {
    /// Read by hand as its derive reads it (`incident_key` an alias of `dedup_key`, both at
    /// once a duplicate), without the derive's generic code in the npm package's .wasm.
    fn read(v: &Value) -> Read<EventAccepted> {
        const FIELDS: [&str; 4] = ["status", "message", "dedup_key", "incident_key"];
        let shape = Shape {
            name: "struct EventAccepted",
            // The alias is a name for an object's key only: an array has the three fields.
            fields: if v.is_array() { &FIELDS[..3] } else { &FIELDS },
            optional: Shape::ALL,
            defaulted: Shape::ALL,
            deny_unknown: false,
        };
        let mut a = EventAccepted {
            status: String::new(),
            message: String::new(),
            dedup_key: None,
        };
        let mut key_seen = false;
        shape.read(v, &mut |i, x| {
            match i {
                0 => a.status = string(x)?,
                1 => a.message = string(x)?,
                _ if key_seen => return Err("duplicate field `dedup_key`".to_owned()),
                _ => {
                    key_seen = true;
                    a.dedup_key = option(x, string)?;
                }
            }
            Ok(())
        })?;
        Ok(a)
    }
}

/// One event request, the key in force, and how to read the answer.
#[derive(Debug, Clone)]
#[must_use]
pub struct EventOp {
    /// The request to send (through [`crate::retry::Retry`] with [`EventOp::api`]).
    pub request: Request,
    dedup_key: Option<String>,
    api: Api,
}

impl EventOp {
    /// The dedup_key (v1: incident_key) the event carries: the caller's, or the generated one.
    /// `None` only for change events, which have none.
    pub fn dedup_key(&self) -> Option<&str> {
        self.dedup_key.as_deref()
    }

    /// Which API answers it (for [`crate::retry::Retry::new`]).
    pub fn api(&self) -> Api {
        self.api
    }

    /// Reads PagerDuty's answer ([`parse_event_response`]). A 2xx is success even when its body
    /// is unreadable: the event was accepted, and saying otherwise would invite a needless resend.
    pub fn parse(&self, response: &Response) -> Result<EventAccepted, Error> {
        parse_event_response(response, self.api, self.dedup_key.as_deref())
    }
}

/// Reads an Events API answer (for callers that built the request elsewhere): the error a
/// non-2xx stands for, or what PagerDuty accepted. A 2xx is success even when its body is
/// unreadable; `sent_dedup_key` fills in a key the answer leaves out.
pub fn parse_event_response(
    response: &Response,
    api: Api,
    sent_dedup_key: Option<&str>,
) -> Result<EventAccepted, Error> {
    if !response.is_success() {
        return Err(error_from_response(response, api));
    }
    let mut accepted = crate::json_text::parse(&response.body)
        .ok()
        .and_then(|v| EventAccepted::read(&v).ok())
        .unwrap_or(EventAccepted {
            status: "success".into(),
            message: String::new(),
            dedup_key: None,
        });
    if accepted.dedup_key.is_none() {
        accepted.dedup_key = sent_dedup_key.map(str::to_owned);
    }
    Ok(accepted)
}

impl Events {
    /// The Events APIs at these hosts.
    pub fn new(endpoints: Endpoints) -> Self {
        Events {
            endpoints,
            options: EventOptions::default(),
            user_agent: None,
        }
    }

    /// With these options.
    pub fn with_options(mut self, options: EventOptions) -> Self {
        self.options = options;
        self
    }

    /// A `User-Agent` for every request (never in a browser: it breaks CORS).
    pub fn with_user_agent(mut self, ua: &str) -> Self {
        self.user_agent = Some(ua.to_owned());
        self
    }

    /// A trigger. `random` seeds the dedup_key when the trigger has none.
    pub fn trigger(
        &self,
        key: &IntegrationKey,
        t: &Trigger,
        random: [u8; 16],
    ) -> Result<EventOp, Error> {
        let summary = self.summary("payload.summary", &t.summary)?;
        require("payload.source", &t.source)?;
        let severity = t.severity.ok_or_else(|| {
            Error::invalid(
                "payload.severity",
                "is required: one of critical, error, warning, info",
            )
        })?;
        let dedup_key = match &t.dedup_key {
            Some(k) => check_dedup_key("dedup_key", k)?,
            None => generated_key(random),
        };
        let mut payload = Map::new();
        payload.insert("summary".into(), Value::from(summary));
        payload.insert("source".into(), Value::from(t.source.as_str()));
        payload.insert("severity".into(), Value::from(severity.as_str()));
        if let Some(ts) = &t.timestamp {
            check_date_time("payload.timestamp", ts)?;
            payload.insert("timestamp".into(), Value::from(ts.as_str()));
        }
        for (name, v) in [
            ("component", &t.component),
            ("group", &t.group),
            ("class", &t.class),
        ] {
            if let Some(v) = v {
                payload.insert(name.into(), Value::from(v.as_str()));
            }
        }
        if let Some(d) = &t.custom_details {
            payload.insert("custom_details".into(), d.clone());
        }
        let mut body = Map::new();
        body.insert("routing_key".into(), Value::from(key.expose()));
        body.insert("event_action".into(), Value::from("trigger"));
        body.insert("dedup_key".into(), Value::from(dedup_key.as_str()));
        body.insert("payload".into(), Value::Object(payload));
        check_images("images", &t.images)?;
        check_links("links", &t.links, None)?;
        if !t.images.is_empty() {
            body.insert("images".into(), t.images.iter().map(image_json).collect());
        }
        if !t.links.is_empty() {
            body.insert("links".into(), t.links.iter().map(link_json).collect());
        }
        if let Some(c) = &t.client {
            body.insert("client".into(), Value::from(c.as_str()));
        }
        if let Some(c) = &t.client_url {
            body.insert("client_url".into(), Value::from(c.as_str()));
        }
        self.op(
            "v2/enqueue",
            Value::Object(body),
            Some(dedup_key),
            Api::EventsV2,
        )
    }

    /// An acknowledge or resolve of the alert with `dedup_key` (a trigger goes through
    /// [`Events::trigger`]).
    pub fn follow_up(
        &self,
        key: &IntegrationKey,
        action: Action,
        dedup_key: &str,
    ) -> Result<EventOp, Error> {
        if action == Action::Trigger {
            return Err(Error::invalid(
                "event_action",
                "a trigger needs a payload: use trigger()",
            ));
        }
        let dedup_key = check_dedup_key("dedup_key", dedup_key).map_err(|_| {
            Error::invalid(
                "dedup_key",
                format!(
                    "is required to {} an alert (at most {MAX_DEDUP_KEY} characters)",
                    action.as_str()
                ),
            )
        })?;
        let body = crate::write_value::object([
            ("routing_key", key.expose().into()),
            ("event_action", action.as_str().into()),
            ("dedup_key", dedup_key.clone().into()),
        ]);
        self.op("v2/enqueue", body, Some(dedup_key), Api::EventsV2)
    }

    /// Acknowledges the alert with this dedup_key.
    pub fn acknowledge(&self, key: &IntegrationKey, dedup_key: &str) -> Result<EventOp, Error> {
        self.follow_up(key, Action::Acknowledge, dedup_key)
    }

    /// Resolves the alert with this dedup_key.
    pub fn resolve(&self, key: &IntegrationKey, dedup_key: &str) -> Result<EventOp, Error> {
        self.follow_up(key, Action::Resolve, dedup_key)
    }

    /// A change event.
    pub fn change(&self, key: &IntegrationKey, c: &ChangeEvent) -> Result<EventOp, Error> {
        let summary = self.summary("payload.summary", &c.summary)?;
        let mut payload = Map::new();
        payload.insert("summary".into(), Value::from(summary));
        if let Some(s) = &c.source {
            payload.insert("source".into(), Value::from(s.as_str()));
        }
        if let Some(ts) = &c.timestamp {
            check_date_time("payload.timestamp", ts)?;
            payload.insert("timestamp".into(), Value::from(ts.as_str()));
        }
        if let Some(d) = &c.custom_details {
            payload.insert("custom_details".into(), d.clone());
        }
        check_links("links", &c.links, Some(MAX_CHANGE_LINKS))?;
        let mut body = Map::new();
        body.insert("routing_key".into(), Value::from(key.expose()));
        body.insert("payload".into(), Value::Object(payload));
        if !c.links.is_empty() {
            body.insert("links".into(), c.links.iter().map(link_json).collect());
        }
        self.op(
            "v2/change/enqueue",
            Value::Object(body),
            None,
            Api::EventsV2,
        )
    }

    /// A legacy Events API v1 event. A trigger without an incident_key gets one from `random`.
    pub fn v1(
        &self,
        key: &IntegrationKey,
        action: Action,
        e: &V1Event,
        random: [u8; 16],
    ) -> Result<EventOp, Error> {
        let incident_key = match (&e.incident_key, action) {
            (Some(k), _) => check_dedup_key("incident_key", k)?,
            (None, Action::Trigger) => generated_key(random),
            (None, _) => {
                return Err(Error::invalid(
                    "incident_key",
                    format!("is required to {} an incident", action.as_str()),
                ))
            }
        };
        let mut body = Map::new();
        body.insert("service_key".into(), Value::from(key.expose()));
        body.insert("event_type".into(), Value::from(action.as_str()));
        body.insert("incident_key".into(), Value::from(incident_key.as_str()));
        match (&e.description, action) {
            (Some(d), _) => {
                let d = self.summary("description", d)?;
                body.insert("description".into(), Value::from(d));
            }
            (None, Action::Trigger) => {
                return Err(Error::invalid("description", "is required for a trigger"))
            }
            (None, _) => {}
        }
        if let Some(d) = &e.details {
            body.insert("details".into(), d.clone());
        }
        if let Some(c) = &e.client {
            body.insert("client".into(), Value::from(c.as_str()));
        }
        if let Some(c) = &e.client_url {
            body.insert("client_url".into(), Value::from(c.as_str()));
        }
        check_images("contexts", &e.images)?;
        check_links("contexts", &e.links, None)?;
        let contexts: Vec<Value> = e
            .links
            .iter()
            .map(|l| {
                // Members inserted into the map, not `v["text"] = ..`: `IndexMut` carries a panic
                // message that formats the key with `<str as Debug>`.
                let mut v = serde_json::Map::new();
                v.insert("type".into(), "link".into());
                v.insert("href".into(), l.href.as_str().into());
                if let Some(t) = &l.text {
                    v.insert("text".into(), t.as_str().into());
                }
                Value::Object(v)
            })
            .chain(e.images.iter().map(|i| {
                let mut v = serde_json::Map::new();
                v.insert("type".into(), "image".into());
                v.insert("src".into(), i.src.as_str().into());
                if let Some(h) = &i.href {
                    v.insert("href".into(), h.as_str().into());
                }
                if let Some(a) = &i.alt {
                    v.insert("alt".into(), a.as_str().into());
                }
                Value::Object(v)
            }))
            .collect();
        if !contexts.is_empty() {
            body.insert("contexts".into(), Value::Array(contexts));
        }
        self.op(
            "generic/2010-04-15/create_event.json",
            Value::Object(body),
            Some(incident_key),
            Api::EventsV1,
        )
    }

    /// An event of `kind` from a body already checked when it was first built (the outbox
    /// keeps bodies without their key and rebuilds the request for each send, so the URL is
    /// always this client's endpoint).
    pub(crate) fn rebuild(
        &self,
        kind: crate::outbox::Kind,
        body: Value,
        dedup_key: Option<String>,
    ) -> Result<EventOp, Error> {
        let (path, api) = match kind {
            crate::outbox::Kind::V2 => ("v2/enqueue", Api::EventsV2),
            crate::outbox::Kind::Change => ("v2/change/enqueue", Api::EventsV2),
            crate::outbox::Kind::V1 => ("generic/2010-04-15/create_event.json", Api::EventsV1),
        };
        self.op(path, body, dedup_key, api)
    }

    fn summary(&self, field: &str, s: &str) -> Result<String, Error> {
        require(field, s)?;
        let chars = s.chars().count();
        if chars <= MAX_SUMMARY {
            return Ok(s.to_owned());
        }
        if self.options.truncate_summary {
            return Ok(s.chars().take(MAX_SUMMARY).collect());
        }
        Err(Error::invalid(
            field,
            format!(
                "is {chars} characters; PagerDuty allows at most {MAX_SUMMARY} (ask for truncate_summary to cut it instead)"
            ),
        ))
    }

    fn op(
        &self,
        path: &str,
        body: Value,
        dedup_key: Option<String>,
        api: Api,
    ) -> Result<EventOp, Error> {
        // The base ends in `/` and `path` is one of this module's fixed relative paths, so
        // appending is what `Url::join` would give, without parsing a URL for every event.
        let base = self.endpoints.events().as_str();
        let url = if base.ends_with('/') {
            format!("{base}{path}")
        } else {
            self.endpoints
                .events()
                .join(path)
                .map_err(|e| Error::invalid("events_url", e.to_string()))?
                .to_string()
        };
        let body = crate::json_text::write(&body);
        if body.len() > MAX_BODY {
            return Err(Error::invalid(
                "body",
                format!(
                    "is {} bytes; PagerDuty accepts events of at most {MAX_BODY} bytes (512 KB)",
                    body.len()
                ),
            ));
        }
        let mut headers = vec![
            ("content-type".to_owned(), "application/json".to_owned()),
            ("accept".to_owned(), "application/json".to_owned()),
        ];
        if let Some(ua) = &self.user_agent {
            headers.push(("user-agent".to_owned(), ua.clone()));
        }
        Ok(EventOp {
            request: Request {
                method: Method::Post,
                url,
                headers,
                body: Some(body),
                timeout: None,
            },
            dedup_key,
            api,
        })
    }
}

fn require(field: &str, s: &str) -> Result<(), Error> {
    if s.trim().is_empty() {
        Err(Error::invalid(field, "is required"))
    } else {
        Ok(())
    }
}

fn check_dedup_key(field: &str, k: &str) -> Result<String, Error> {
    require(field, k)?;
    let n = k.chars().count();
    if n > MAX_DEDUP_KEY {
        return Err(Error::invalid(
            field,
            format!("is {n} characters; PagerDuty allows at most {MAX_DEDUP_KEY}"),
        ));
    }
    Ok(k.to_owned())
}

fn check_images(field: &str, images: &[Image]) -> Result<(), Error> {
    for (i, img) in images.iter().enumerate() {
        // Passed on as written, only shown by PagerDuty: what the URL standard reads as https
        // is kept (a stricter test would refuse, and so lose, the whole event).
        if !crate::url::is_https(&img.src) {
            return Err(Error::invalid(
                format!("{field}[{i}].src"),
                "must be an https:// URL (PagerDuty only shows images served over https)",
            ));
        }
    }
    Ok(())
}

fn check_links(field: &str, links: &[Link], max: Option<usize>) -> Result<(), Error> {
    if let Some(max) = max {
        if links.len() > max {
            return Err(Error::invalid(
                field,
                format!("has {} links; PagerDuty accepts at most {max}", links.len()),
            ));
        }
    }
    for (i, l) in links.iter().enumerate() {
        require(&format!("{field}[{i}].href"), &l.href)?;
    }
    Ok(())
}

/// A UUID v4 from the caller's random bytes.
fn generated_key(random: [u8; 16]) -> String {
    uuid::Builder::from_random_bytes(random)
        .into_uuid()
        .hyphenated()
        .to_string()
}

/// Reads an event from JSON (what bindings receive), with errors that name the field.
pub fn trigger_from_json(v: &Value) -> Result<Trigger, Error> {
    // The severity gets the same message as from Severity::parse, naming the field.
    if let Some(s) = v.get("severity").and_then(Value::as_str) {
        Severity::parse(s)?;
    }
    from_json("trigger", v, read_trigger)
}

/// Reads a change event from JSON. Images are refused by name: change events take none.
pub fn change_from_json(v: &Value) -> Result<ChangeEvent, Error> {
    if v.get("images").is_some() {
        return Err(Error::invalid(
            "images",
            "change events take links but no images",
        ));
    }
    from_json("change event", v, read_change)
}

/// Reads a v1 event from JSON.
pub fn v1_from_json(v: &Value) -> Result<V1Event, Error> {
    from_json("v1 event", v, read_v1)
}

fn from_json<T>(what: &str, v: &Value, read: fn(&Value) -> Read<T>) -> Result<T, Error> {
    read(v).map_err(|e| Error::invalid(what, e))
}

// The derives' reading by hand (crate::read_value says why), field for field.

fn read_severity(v: &Value) -> Read<Severity> {
    const ALL: [Severity; 4] = [
        Severity::Critical,
        Severity::Error,
        Severity::Warning,
        Severity::Info,
    ];
    unit_variant(v, &["critical", "error", "warning", "info"]).map(|i| ALL[i])
}

fn read_image(v: &Value) -> Read<Image> {
    const SHAPE: Shape = Shape {
        name: "struct Image",
        fields: &["src", "href", "alt"],
        optional: 0b110,
        defaulted: 0b110,
        deny_unknown: false,
    };
    let mut out = Image::default();
    SHAPE.read(v, &mut |i, x| {
        match i {
            0 => out.src = string(x)?,
            1 => out.href = option(x, string)?,
            _ => out.alt = option(x, string)?,
        }
        Ok(())
    })?;
    Ok(out)
}

fn read_link(v: &Value) -> Read<Link> {
    const SHAPE: Shape = Shape {
        name: "struct Link",
        fields: &["href", "text"],
        optional: 0b10,
        defaulted: 0b10,
        deny_unknown: false,
    };
    let mut out = Link::default();
    SHAPE.read(v, &mut |i, x| {
        match i {
            0 => out.href = string(x)?,
            _ => out.text = option(x, string)?,
        }
        Ok(())
    })?;
    Ok(out)
}

fn read_trigger(v: &Value) -> Read<Trigger> {
    const SHAPE: Shape = Shape {
        name: "struct Trigger",
        fields: &[
            "summary",
            "source",
            "severity",
            "timestamp",
            "component",
            "group",
            "class",
            "custom_details",
            "images",
            "links",
            "dedup_key",
            "client",
            "client_url",
        ],
        // Every field but summary and source may be left out; severity (an Option without
        // `#[serde(default)]`) only from an object.
        optional: !0b11,
        defaulted: !0b111,
        deny_unknown: true,
    };
    let mut t = Trigger::default();
    SHAPE.read(v, &mut |i, x| {
        match i {
            0 => t.summary = string(x)?,
            1 => t.source = string(x)?,
            2 => t.severity = option(x, read_severity)?,
            3 => t.timestamp = option(x, string)?,
            4 => t.component = option(x, string)?,
            5 => t.group = option(x, string)?,
            6 => t.class = option(x, string)?,
            7 => t.custom_details = option(x, any)?,
            8 => t.images = seq(x, read_image)?,
            9 => t.links = seq(x, read_link)?,
            10 => t.dedup_key = option(x, string)?,
            11 => t.client = option(x, string)?,
            _ => t.client_url = option(x, string)?,
        }
        Ok(())
    })?;
    Ok(t)
}

fn read_change(v: &Value) -> Read<ChangeEvent> {
    const SHAPE: Shape = Shape {
        name: "struct ChangeEvent",
        fields: &["summary", "source", "timestamp", "custom_details", "links"],
        optional: !0b1,
        defaulted: !0b1,
        deny_unknown: true,
    };
    let mut c = ChangeEvent::default();
    SHAPE.read(v, &mut |i, x| {
        match i {
            0 => c.summary = string(x)?,
            1 => c.source = option(x, string)?,
            2 => c.timestamp = option(x, string)?,
            3 => c.custom_details = option(x, any)?,
            _ => c.links = seq(x, read_link)?,
        }
        Ok(())
    })?;
    Ok(c)
}

fn read_v1(v: &Value) -> Read<V1Event> {
    const SHAPE: Shape = Shape {
        name: "struct V1Event",
        fields: &[
            "incident_key",
            "description",
            "details",
            "client",
            "client_url",
            "links",
            "images",
        ],
        optional: Shape::ALL,
        defaulted: Shape::ALL,
        deny_unknown: true,
    };
    let mut e = V1Event::default();
    SHAPE.read(v, &mut |i, x| {
        match i {
            0 => e.incident_key = option(x, string)?,
            1 => e.description = option(x, string)?,
            2 => e.details = option(x, any)?,
            3 => e.client = option(x, string)?,
            4 => e.client_url = option(x, string)?,
            5 => e.links = seq(x, read_link)?,
            _ => e.images = seq(x, read_image)?,
        }
        Ok(())
    })?;
    Ok(e)
}

#[cfg(test)]
mod read_tests {
    use crate::read_value::tests::same_as_serde;
    use serde_json::json;

    #[test]
    fn the_answer_reads_as_its_derive_reads_it() {
        same_as_serde(
            super::EventAccepted::read,
            json!({"status": "success", "message": "Event processed", "dedup_key": "k",
                "incident_key": "i"}),
        );
    }

    #[test]
    fn images_links_and_severities_are_written_as_their_derives_write_them() {
        use super::{Image, Link, Severity};
        for i in [
            Image::default(),
            Image {
                src: "https://x/i.png".into(),
                href: Some("https://x".into()),
                alt: Some("a".into()),
            },
            Image {
                src: "s".into(),
                href: None,
                alt: Some("".into()),
            },
        ] {
            assert_eq!(super::image_json(&i), serde_json::to_value(&i).unwrap());
        }
        for l in [
            Link::default(),
            Link {
                href: "h".into(),
                text: Some("t".into()),
            },
        ] {
            assert_eq!(super::link_json(&l), serde_json::to_value(&l).unwrap());
        }
        for s in [
            Severity::Critical,
            Severity::Error,
            Severity::Warning,
            Severity::Info,
        ] {
            assert_eq!(json!(s.as_str()), serde_json::to_value(s).unwrap());
        }
    }

    #[test]
    fn events_read_as_their_derives_read_them() {
        let image = json!({"src": "https://x/i.png", "href": "https://x", "alt": "a"});
        let link = json!({"href": "https://x", "text": "t"});
        same_as_serde(super::read_image, image.clone());
        same_as_serde(super::read_link, link.clone());
        same_as_serde(
            super::read_trigger,
            json!({"summary": "s", "source": "h", "severity": "critical", "timestamp": "t",
                   "component": "c", "group": "g", "class": "k", "custom_details": {"a": 1},
                   "images": [image], "links": [link], "dedup_key": "d", "client": "c",
                   "client_url": "u"}),
        );
        same_as_serde(
            super::read_change,
            json!({"summary": "s", "source": "h", "timestamp": "t", "custom_details": [1],
                   "links": [link]}),
        );
        same_as_serde(
            super::read_v1,
            json!({"incident_key": "k", "description": "d", "details": "x", "client": "c",
                   "client_url": "u", "links": [link], "images": [image]}),
        );
    }
}
