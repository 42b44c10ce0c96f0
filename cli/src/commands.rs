//! The subcommands.

use std::io::Read;
use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use pagerduty_client::blocking::Pages;
use pagerduty_client::core::credentials::IntegrationKey;
use pagerduty_client::webhook::{WebhookVerifier, DEFAULT_MAX_BODY};
use pagerduty_client::{
    random_bytes, ChangeEvent, Error, EventOp, Image, Incident, IncidentFilter, IncidentStatus,
    Link, Method, OnCall, OnCallFilter, Query, Reference, Severity, Trigger,
};

use crate::output::{self, Format, JsonList, Progress};
use crate::{Failure, Global};

// ---- event ----

#[derive(Subcommand, Debug)]
pub enum EventCmd {
    /// Trigger an alert; prints its dedup_key (also when sending failed: resend with it)
    Trigger(TriggerArgs),
    /// Acknowledge the alert with a dedup_key
    #[command(visible_alias = "ack")]
    Acknowledge(FollowUpArgs),
    /// Resolve the alert with a dedup_key
    Resolve(FollowUpArgs),
    /// Send a change event (a deploy, a config change)
    Change(ChangeArgs),
}

#[derive(Args, Debug)]
pub struct TriggerArgs {
    /// What is wrong (at most 1024 characters)
    #[arg(long)]
    summary: String,
    /// Where: the affected host or system
    #[arg(long)]
    source: String,
    /// How bad
    #[arg(long, value_enum)]
    severity: Sev,
    /// Folds repeated triggers into one alert; generated when not given
    #[arg(long)]
    dedup_key: Option<String>,
    /// The broken component
    #[arg(long)]
    component: Option<String>,
    /// A grouping of components
    #[arg(long)]
    group: Option<String>,
    /// The class or type of the problem
    #[arg(long)]
    class: Option<String>,
    /// When it happened (ISO 8601)
    #[arg(long)]
    timestamp: Option<String>,
    /// More details, a JSON object
    #[arg(long, value_name = "JSON")]
    custom_details: Option<String>,
    /// A link shown with the alert (repeat for several)
    #[arg(long, value_name = "URL")]
    link: Vec<String>,
    /// An image shown with the alert, https (repeat for several)
    #[arg(long, value_name = "URL")]
    image: Vec<String>,
    /// Queue it in this directory instead of sending it: returns once it is on disk; a
    /// `pagerduty queue run` or `queue flush` on the same directory sends it
    #[arg(long, value_name = "DIR")]
    queue: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum Sev {
    Critical,
    Error,
    Warning,
    Info,
}

#[derive(Args, Debug)]
pub struct FollowUpArgs {
    /// The alert's dedup_key (printed by `event trigger`)
    #[arg(long)]
    dedup_key: String,
    /// Queue it in this directory instead of sending it: returns once it is on disk; a
    /// `pagerduty queue run` or `queue flush` on the same directory sends it
    #[arg(long, value_name = "DIR")]
    queue: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ChangeArgs {
    /// What changed
    #[arg(long)]
    summary: String,
    /// Where
    #[arg(long)]
    source: Option<String>,
    /// When (ISO 8601)
    #[arg(long)]
    timestamp: Option<String>,
    /// More details, a JSON object
    #[arg(long, value_name = "JSON")]
    custom_details: Option<String>,
    /// A link (repeat for several)
    #[arg(long, value_name = "URL")]
    link: Vec<String>,
    /// Queue it in this directory instead of sending it: returns once it is on disk; a
    /// `pagerduty queue run` or `queue flush` on the same directory sends it
    #[arg(long, value_name = "DIR")]
    queue: Option<PathBuf>,
}

fn details(text: &Option<String>) -> Result<Option<Value>, Error> {
    text.as_deref()
        .map(|t| {
            serde_json::from_str::<Value>(t)
                .map_err(|e| Error::invalid("custom-details", format!("is not JSON: {e}")))
                .and_then(|v| match v {
                    Value::Object(_) => Ok(v),
                    _ => Err(Error::invalid("custom-details", "must be a JSON object")),
                })
        })
        .transpose()
}

fn links(urls: &[String]) -> Vec<Link> {
    urls.iter()
        .map(|href| Link {
            href: href.clone(),
            text: None,
        })
        .collect()
}

/// What an accepted event prints: its key, or PagerDuty's answer as JSON.
fn accepted(g: &Global, dedup_key: Option<&str>, message: &str) -> Result<(), Error> {
    if g.json {
        output::json(&json!({"status": "success", "message": message, "dedup_key": dedup_key}))
    } else {
        match dedup_key {
            Some(k) => output::line(k),
            None => Ok(()),
        }
    }
}

fn trigger_of(a: &TriggerArgs) -> Result<Trigger, Error> {
    Ok(Trigger {
        dedup_key: a.dedup_key.clone(),
        component: a.component.clone(),
        group: a.group.clone(),
        class: a.class.clone(),
        timestamp: a.timestamp.clone(),
        custom_details: details(&a.custom_details)?,
        links: links(&a.link),
        images: a
            .image
            .iter()
            .map(|src| Image {
                src: src.clone(),
                href: None,
                alt: None,
            })
            .collect(),
        ..Trigger::new(
            &a.summary,
            &a.source,
            match a.severity {
                Sev::Critical => Severity::Critical,
                Sev::Error => Severity::Error,
                Sev::Warning => Severity::Warning,
                Sev::Info => Severity::Info,
            },
        )
    })
}

/// The event a command stands for, built (and checked) by the core.
fn op_of(g: &Global, cmd: &EventCmd) -> Result<EventOp, Error> {
    let events = g.options()?.core().events();
    let key = IntegrationKey::new(&g.routing_key()?)?;
    match cmd {
        EventCmd::Trigger(a) => events.trigger(&key, &trigger_of(a)?, random_bytes()?),
        EventCmd::Acknowledge(a) => events.acknowledge(&key, &a.dedup_key),
        EventCmd::Resolve(a) => events.resolve(&key, &a.dedup_key),
        EventCmd::Change(a) => events.change(&key, &change_of(a)?),
    }
}

fn change_of(a: &ChangeArgs) -> Result<ChangeEvent, Error> {
    Ok(ChangeEvent {
        summary: a.summary.clone(),
        source: a.source.clone(),
        timestamp: a.timestamp.clone(),
        custom_details: details(&a.custom_details)?,
        links: links(&a.link),
    })
}

pub fn event(g: &Global, cmd: &EventCmd) -> Result<(), Failure> {
    let queue = match cmd {
        EventCmd::Trigger(a) => &a.queue,
        EventCmd::Acknowledge(a) | EventCmd::Resolve(a) => &a.queue,
        EventCmd::Change(a) => &a.queue,
    };
    if let Some(dir) = queue {
        return Ok(crate::queue::spool(g, dir, &op_of(g, cmd)?)?);
    }
    let events = g.events()?;
    match cmd {
        EventCmd::Trigger(a) => {
            let trigger = trigger_of(a)?;
            // Built first, so that the key is known (and printed) whatever happens next.
            let op = events.prepare_trigger(&trigger).map_err(|e| Failure {
                dedup_key: a.dedup_key.clone(),
                error: e,
            })?;
            match events.send(&op) {
                Ok(answer) => accepted(g, answer.dedup_key.as_deref(), &answer.message)?,
                Err(e) => {
                    // The key is printed on failure too, for a resend that cannot open a
                    // second alert; with --json, next to the error's details.
                    if g.json {
                        output::json(&json!({
                            "dedup_key": e.dedup_key(),
                            "error": pagerduty_client::core::bindings::details(&e.error),
                        }))?;
                    } else if let Some(k) = e.dedup_key() {
                        output::line(k)?;
                    }
                    return Err(e.into());
                }
            }
        }
        EventCmd::Acknowledge(a) => {
            events.acknowledge(&a.dedup_key)?;
            accepted(g, Some(&a.dedup_key), "Event processed")?;
        }
        EventCmd::Resolve(a) => {
            events.resolve(&a.dedup_key)?;
            accepted(g, Some(&a.dedup_key), "Event processed")?;
        }
        EventCmd::Change(a) => {
            events.change(&change_of(a)?)?;
            accepted(g, None, "Change event processed")?;
        }
    }
    Ok(())
}

// ---- lists ----

/// Prints a walk: a table of `T` for people, the items' JSON for scripts, with a progress bar
/// on a terminal. An error after some pages still closes the JSON array.
fn list<T: DeserializeOwned>(
    pages: Pages,
    format: Format,
    what: &'static str,
    header: &[&str],
    row: impl Fn(&T) -> Vec<String>,
) -> Result<(), Error> {
    let mut progress = Progress::new(what);
    let mut rows = Vec::new();
    let mut out = match format {
        Format::Table => None,
        Format::Json | Format::Ndjson => Some(JsonList::start(format == Format::Ndjson)?),
    };
    let mut failed = None;
    for page in pages {
        let page = match page {
            Ok(p) => p,
            Err(e) => {
                failed = Some(e);
                break;
            }
        };
        progress.page(&page);
        match &mut out {
            Some(list) => {
                for item in page.items() {
                    list.item(item)?;
                }
            }
            None => match page.deserialize::<T>() {
                Ok(items) => rows.extend(items.iter().map(&row)),
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            },
        }
    }
    progress.finish();
    match out {
        Some(list) => list.finish()?,
        None => output::table(header, &rows)?,
    }
    failed.map_or(Ok(()), Err)
}

fn format(g: &Global, ndjson: bool) -> Format {
    if ndjson {
        Format::Ndjson
    } else if g.json {
        Format::Json
    } else {
        Format::Table
    }
}

fn summary(r: &Option<Reference>) -> String {
    r.as_ref()
        .map(|r| r.summary.clone().unwrap_or_else(|| r.id.clone()))
        .unwrap_or_default()
}

/// `24h`, `30m`, `7d` or `90s` before now, else the text as given (ISO 8601, checked by the
/// core).
fn when(text: &str) -> Result<String, Error> {
    let (n, unit) = text.split_at(text.len().saturating_sub(1));
    let secs = match (n.parse::<i64>(), unit) {
        (Ok(n), "s") => n,
        (Ok(n), "m") => n * 60,
        (Ok(n), "h") => n * 3600,
        (Ok(n), "d") => n * 86_400,
        _ => return Ok(text.to_owned()),
    };
    let t = time::OffsetDateTime::now_utc() - time::Duration::seconds(secs);
    let t = t.replace_nanosecond(0).unwrap_or(t);
    t.format(&time::format_description::well_known::Rfc3339)
        .map_err(|e| Error::invalid("since", e.to_string()))
}

#[derive(Subcommand, Debug)]
pub enum IncidentsCmd {
    /// List incidents (a table; --json or --ndjson for scripts)
    List(IncidentsListArgs),
}

#[derive(Args, Debug)]
pub struct IncidentsListArgs {
    /// Only these statuses (repeat for several)
    #[arg(long = "status", value_enum)]
    statuses: Vec<Status>,
    /// Only these services, by ID (repeat for several)
    #[arg(long = "service", value_name = "ID")]
    services: Vec<String>,
    /// Created at or after: ISO 8601, or a time ago such as 30m, 24h, 7d
    #[arg(long)]
    since: Option<String>,
    /// Created before: ISO 8601, or a time ago
    #[arg(long)]
    until: Option<String>,
    /// One JSON object per line
    #[arg(long, conflicts_with = "json")]
    ndjson: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum Status {
    Triggered,
    Acknowledged,
    Resolved,
}

pub fn incidents(g: &Global, cmd: &IncidentsCmd) -> Result<(), Error> {
    let IncidentsCmd::List(a) = cmd;
    let rest = g.rest()?;
    let filter = IncidentFilter {
        statuses: a
            .statuses
            .iter()
            .map(|s| match s {
                Status::Triggered => IncidentStatus::Triggered,
                Status::Acknowledged => IncidentStatus::Acknowledged,
                Status::Resolved => IncidentStatus::Resolved,
            })
            .collect(),
        service_ids: a.services.clone(),
        since: a.since.as_deref().map(when).transpose()?,
        until: a.until.as_deref().map(when).transpose()?,
        // The total only feeds the progress bar: not asked for when none can be drawn.
        total: Progress::wanted(),
        ..Default::default()
    };
    let pages = rest.walk(rest.core().list_incidents(&filter)?);
    list(
        pages,
        format(g, a.ndjson),
        "incidents",
        &[
            "#", "ID", "STATUS", "URGENCY", "CREATED", "SERVICE", "TITLE",
        ],
        |i: &Incident| {
            vec![
                i.incident_number.map(|n| n.to_string()).unwrap_or_default(),
                i.id.clone(),
                i.status.clone().unwrap_or_default(),
                i.urgency.clone().unwrap_or_default(),
                i.created_at.clone().unwrap_or_default(),
                summary(&i.service),
                i.title
                    .clone()
                    .or_else(|| i.summary.clone())
                    .unwrap_or_default(),
            ]
        },
    )
}

// ---- incident ----

#[derive(Subcommand, Debug)]
pub enum IncidentCmd {
    /// Show an incident
    Get {
        /// The incident's ID
        id: String,
    },
    /// Acknowledge an incident (needs --from with an account key)
    #[command(visible_alias = "acknowledge")]
    Ack {
        /// The incident's ID
        id: String,
    },
    /// Resolve an incident (needs --from with an account key)
    Resolve {
        /// The incident's ID
        id: String,
    },
    /// Add a note to an incident (needs --from with an account key)
    Note {
        /// The incident's ID
        id: String,
        /// The note
        text: String,
    },
}

fn show_incident(g: &Global, v: Value) -> Result<(), Error> {
    if g.json {
        return output::json(&v);
    }
    let i: Incident =
        serde_json::from_value(v).map_err(|e| Error::invalid("incident", e.to_string()))?;
    let assigned: Vec<String> = i
        .assignments
        .iter()
        .filter_map(|a| a["assignee"]["summary"].as_str().map(str::to_owned))
        .collect();
    let fields = [
        ("id", i.id.clone()),
        (
            "number",
            i.incident_number.map(|n| n.to_string()).unwrap_or_default(),
        ),
        ("title", i.title.clone().unwrap_or_default()),
        ("status", i.status.clone().unwrap_or_default()),
        ("urgency", i.urgency.clone().unwrap_or_default()),
        ("service", summary(&i.service)),
        ("created", i.created_at.clone().unwrap_or_default()),
        ("assigned", assigned.join(", ")),
        ("dedup key", i.incident_key.clone().unwrap_or_default()),
        ("url", i.html_url.clone().unwrap_or_default()),
    ];
    for (k, v) in fields.iter().filter(|(_, v)| !v.is_empty()) {
        output::line(&format!("{k:<10} {v}"))?;
    }
    Ok(())
}

pub fn incident(g: &Global, cmd: &IncidentCmd) -> Result<(), Error> {
    let rest = g.rest()?;
    match cmd {
        IncidentCmd::Get { id } => show_incident(g, rest.op("get_incident", &json!({"id": id}))?),
        IncidentCmd::Ack { id } | IncidentCmd::Resolve { id } => {
            let status = match cmd {
                IncidentCmd::Ack { .. } => "acknowledged",
                _ => "resolved",
            };
            let v = rest.op(
                "update_incident",
                &json!({"id": id, "update": {"status": status}}),
            )?;
            if g.json {
                output::json(&v)
            } else {
                output::line(&format!("{id} {}", v["status"].as_str().unwrap_or(status)))
            }
        }
        IncidentCmd::Note { id, text } => {
            let note = rest.op("create_incident_note", &json!({"id": id, "content": text}))?;
            if g.json {
                output::json(&note)
            } else {
                output::line(note["id"].as_str().unwrap_or_default())
            }
        }
    }
}

// ---- oncall ----

#[derive(Args, Debug)]
pub struct OncallArgs {
    /// Only these schedules, by ID (repeat for several)
    #[arg(long = "schedule", value_name = "ID")]
    schedules: Vec<String>,
    /// One JSON object per line
    #[arg(long, conflicts_with = "json")]
    ndjson: bool,
}

pub fn oncall(g: &Global, a: &OncallArgs) -> Result<(), Error> {
    let rest = g.rest()?;
    let filter = OnCallFilter {
        schedule_ids: a.schedules.clone(),
        ..Default::default()
    };
    let pages = rest.walk(rest.core().list_oncalls(&filter)?);
    list(
        pages,
        format(g, a.ndjson),
        "on-calls",
        &["LEVEL", "USER", "ESCALATION POLICY", "SCHEDULE", "UNTIL"],
        |o: &OnCall| {
            vec![
                o.escalation_level
                    .map(|l| l.to_string())
                    .unwrap_or_default(),
                summary(&o.user),
                summary(&o.escalation_policy),
                summary(&o.schedule),
                o.end.clone().unwrap_or_else(|| "-".into()),
            ]
        },
    )
}

// ---- api ----

#[derive(ValueEnum, Clone, Copy, Debug)]
#[value(rename_all = "UPPER")]
enum HttpMethod {
    Get,
    Post,
    Put,
    Delete,
}

#[derive(Args, Debug)]
pub struct ApiArgs {
    /// The method
    #[arg(value_enum, ignore_case = true)]
    method: HttpMethod,
    /// The path (`/incidents`, `/users/PABC123`), or a full URL on the configured host
    path: String,
    /// A query parameter, `name=value` (repeat for several; `name[]=value` for arrays)
    #[arg(long = "query", short = 'q', value_name = "NAME=VALUE")]
    query: Vec<String>,
    /// The JSON body; `@FILE` reads it from a file, `-` from stdin
    #[arg(long, short = 'd', value_name = "JSON")]
    data: Option<String>,
    /// Walk every page of a list (GET): the items as one JSON array
    #[arg(long)]
    all: bool,
    /// With --all: one item per line
    #[arg(long, requires = "all")]
    ndjson: bool,
}

fn body(data: &Option<String>) -> Result<Option<String>, Error> {
    let Some(d) = data else { return Ok(None) };
    let text = if d == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| Error::invalid("data", format!("cannot read stdin: {e}")))?;
        s
    } else if let Some(path) = d.strip_prefix('@') {
        std::fs::read_to_string(path)
            .map_err(|e| Error::invalid("data", format!("cannot read {path:?}: {e}")))?
    } else {
        d.clone()
    };
    Ok(Some(text))
}

pub fn api(g: &Global, a: &ApiArgs) -> Result<(), Error> {
    let mut query = Query::new();
    for q in &a.query {
        let (k, v) = q
            .split_once('=')
            .ok_or_else(|| Error::invalid("query", format!("{q:?} is not NAME=VALUE")))?;
        query.push(k, v);
    }
    let method = match a.method {
        HttpMethod::Get => Method::Get,
        HttpMethod::Post => Method::Post,
        HttpMethod::Put => Method::Put,
        HttpMethod::Delete => Method::Delete,
    };
    let data = body(&a.data)?;
    let rest = g.rest()?;
    if a.all {
        if method != Method::Get || data.is_some() {
            return Err(Error::invalid(
                "all",
                "walks a list: only with GET and no --data",
            ));
        }
        let format = if a.ndjson {
            Format::Ndjson
        } else {
            Format::Json
        };
        return list::<Value>(
            rest.pages(&a.path, &query),
            format,
            "items",
            &[],
            |_| vec![],
        );
    }
    let text = rest.request_text(method, &a.path, &query, data.as_deref())?;
    if g.json {
        output::line(&text)
    } else if text != "null" {
        output::pretty(&serde_json::from_str(&text).unwrap_or(Value::String(text)))
    } else {
        Ok(())
    }
}

// ---- webhook ----

#[derive(Subcommand, Debug)]
pub enum WebhookCmd {
    /// Check a webhook's signature over the body on stdin; prints the event
    Verify(VerifyArgs),
}

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// File of webhook secrets, one per line (several while rotating)
    #[arg(long, value_name = "FILE")]
    secret_file: PathBuf,
    /// The X-PagerDuty-Signature header's value (CGI scripts get it in
    /// HTTP_X_PAGERDUTY_SIGNATURE)
    #[arg(
        long,
        value_name = "HEADER",
        env = "HTTP_X_PAGERDUTY_SIGNATURE",
        hide_env_values = true
    )]
    signature: Option<String>,
    /// Largest body accepted, in bytes
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_BODY)]
    max_body: usize,
}

pub fn webhook(g: &Global, cmd: &WebhookCmd) -> Result<(), Error> {
    let WebhookCmd::Verify(a) = cmd;
    let text = crate::keys::read_secret_file(&a.secret_file, "secret-file")?;
    let secrets: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let verifier = WebhookVerifier::new(&secrets)?.with_max_body(a.max_body);
    let mut body = Vec::new();
    std::io::stdin()
        .take(a.max_body as u64 + 1)
        .read_to_end(&mut body)
        .map_err(|e| Error::invalid("body", format!("cannot read stdin: {e}")))?;
    let event = verifier.verify_and_parse(a.signature.as_deref().unwrap_or(""), &body)?;
    if g.json {
        output::json(&serde_json::to_value(&event).unwrap_or(Value::Null))
    } else {
        let resource = event.data["id"].as_str().unwrap_or("");
        output::line(&format!(
            "{} {} {} {}",
            event.event_type, resource, event.occurred_at, event.id
        ))
    }
}
