//! Contract tests: every request the core builds, sent through libpagerduty's reqwest transport
//! (pagerduty-client's)
//! to Stoplight Prism serving PagerDuty's official OpenAPI specs (read from ../shared/specs and
//! rewritten into a temporary copy for Prism's quirks). Any `sl-violations` entry located in the
//! request fails the test. What Prism cannot check (the auth scheme's value, a missing Accept,
//! bracketed array values, unknown query parameters) is checked against the spec's parameter
//! lists directly.
//!
//! Prism comes from npm (`scripts/setup.sh` installs it in target/prism); set PRISM_BIN to use
//! another copy.

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use pagerduty_client::blocking::Transport;
use pagerduty_client::Settings;
use pagerduty_core::bindings::registry::OPERATIONS;
use pagerduty_core::credentials::{IntegrationKey, RestToken};
use pagerduty_core::events::{ChangeEvent, Events, Image, Link, Severity, Trigger};
use pagerduty_core::http::{Method, Request, Response};
use pagerduty_core::operations::incidents::{
    IncidentFilter, IncidentStatus, IncidentUpdate, NewIncident, Urgency,
};
use pagerduty_core::operations::oncalls::OnCallFilter;
use pagerduty_core::operations::tags::Taggable;
use pagerduty_core::operations::ListFilter;
use pagerduty_core::pagination::Pager;
use pagerduty_core::query::Query;
use pagerduty_core::region::Endpoints;
use pagerduty_core::response_error::Api;
use pagerduty_core::rest::{Rest, ACCEPT};
use pagerduty_core::retry::RetryPolicy;
use pagerduty_core::spec_rules::path_matches;
use serde_json::{json, Value};

const TOKEN: &str = "y_NbAkKc66ryYTWUXYEu";
const ROUTING: &str = "8f2a6b0c1d4e4f5a9b7c3d2e1f0a9b8c";
const FROM: &str = "oncall@example.com";

#[path = "../../core/tests/support/coverage.rs"]
mod spec;

use spec::{load_spec as load, resolve};

/// Drops the spec's `"pattern": "YYYY-MM-DDThh:mm:ssZ"` (a description of a format written
/// where a regular expression belongs: no real timestamp matches it; `format: date-time` stays).
fn drop_bogus_patterns(v: &mut Value) {
    match v {
        Value::Object(m) => {
            if m.get("pattern").and_then(Value::as_str) == Some("YYYY-MM-DDThh:mm:ssZ") {
                m.remove("pattern");
            }
            m.values_mut().for_each(drop_bogus_patterns);
        }
        Value::Array(a) => a.iter_mut().for_each(drop_bogus_patterns),
        _ => {}
    }
}

/// The REST spec as Prism needs it, each change a quirk of the spec, not of the library:
/// - `application/vnd.pagerduty+json;version=2` beside every JSON response (the spec only
///   lists `application/json`, so Prism would answer our Accept with a 406);
/// - `IncidentBody.details` may be a string, as in the spec's own request example for
///   `POST /incidents` and PagerDuty's documentation (its schema says object only);
/// - bogus `pattern`s dropped (see `drop_bogus_patterns`).
fn rest_spec_for_prism() -> Value {
    let mut spec = load("rest-v2.openapi.json");
    drop_bogus_patterns(&mut spec);
    spec["components"]["schemas"]["IncidentBody"]["properties"]["details"] =
        json!({"anyOf": [{"type": "string"}, {"type": "object"}]});
    for item in spec["paths"].as_object_mut().unwrap().values_mut() {
        for op in item.as_object_mut().unwrap().values_mut() {
            let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
                continue;
            };
            for r in responses.values_mut() {
                if let Some(content) = r.get_mut("content").and_then(Value::as_object_mut) {
                    if let Some(json) = content.get("application/json").cloned() {
                        content.insert(ACCEPT.to_owned(), json);
                    }
                }
            }
        }
    }
    spec
}

/// The events spec with its paths under `/v2` (Prism drops the server URL's path).
fn events_spec_for_prism() -> Value {
    let mut spec = load("events-v2.openapi.json");
    let paths = spec["paths"].as_object().unwrap().clone();
    spec["paths"] = Value::Object(
        paths
            .into_iter()
            .map(|(k, v)| (format!("/v2{k}"), v))
            .collect(),
    );
    spec
}

struct Prism {
    child: Child,
    url: String,
}

impl Prism {
    fn start(name: &str, spec: &Value) -> Prism {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("contract");
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join(format!("{name}.json"));
        std::fs::write(&file, spec.to_string()).unwrap();
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let bin = std::env::var("PRISM_BIN").unwrap_or_else(|_| {
            format!(
                "{}/../target/prism/node_modules/.bin/prism",
                env!("CARGO_MANIFEST_DIR")
            )
        });
        let child = Command::new(&bin)
            .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()])
            .arg(&file)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start Prism at {bin}: {e} (scripts/setup.sh installs it)")
            });
        let prism = Prism {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "Prism did not start on port {port}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        prism
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn rest(endpoints: &Endpoints) -> Rest {
    Rest::new(
        RestToken::general_access(TOKEN).unwrap().into(),
        endpoints.clone(),
    )
    .with_default_from(FROM)
    .unwrap()
}

fn first(mut pager: Pager) -> Request {
    pager.next_request().unwrap().unwrap()
}

/// The request for a second page: the first answered with one item and `more` (or a cursor).
fn second(mut pager: Pager, collection: &str) -> Request {
    let _ = pager.next_request().unwrap().unwrap();
    let body = json!({collection: [{"id": "PX"}], "more": true, "next_cursor": "abc"}).to_string();
    pager
        .handle_response(Response::new(200, vec![], body))
        .unwrap();
    pager.next_request().unwrap().unwrap()
}

/// Every typed helper, with and without optional filters, pages, and wrapped bodies.
fn rest_cases(e: &Endpoints) -> Vec<(&'static str, Request)> {
    let r = rest(e);
    let full_filter = IncidentFilter {
        since: Some("2026-11-01T00:00:00Z".into()),
        until: Some("2026-11-23T00:00:00Z".into()),
        date_range: None,
        statuses: vec![IncidentStatus::Triggered, IncidentStatus::Acknowledged],
        service_ids: vec!["PSVC001".into()],
        team_ids: vec!["PTEAM01".into()],
        user_ids: vec!["PUSER01".into()],
        urgencies: vec![Urgency::High, Urgency::Low],
        incident_key: Some("disk-db-1".into()),
        sort_by: vec!["created_at:desc".into()],
        include: vec!["assignees".into()],
        time_zone: Some("UTC".into()),
        total: true,
        limit: Some(50),
    };
    let list = ListFilter {
        query: Some("web".into()),
        team_ids: vec!["PTEAM01".into()],
        include: vec![],
        limit: Some(25),
    };
    let update = IncidentUpdate {
        status: Some(IncidentStatus::Resolved),
        title: Some("t".into()),
        urgency: Some(Urgency::Low),
        resolution: Some("fixed".into()),
        escalation_level: Some(2),
        assignee_ids: vec!["PUSER01".into()],
        escalation_policy_id: Some("PESC001".into()),
        priority_id: Some("PPRIO01".into()),
    };
    let new = NewIncident {
        title: "Disk full".into(),
        service_id: "PSVC001".into(),
        urgency: Some(Urgency::High),
        details: Some("95%".into()),
        incident_key: Some("disk".into()),
        priority_id: Some("PPRIO01".into()),
        escalation_policy_id: Some("PESC001".into()),
        assignee_ids: vec![],
    };
    let oncall = OnCallFilter {
        since: Some("2026-11-23T00:00:00Z".into()),
        until: Some("2026-11-24T00:00:00Z".into()),
        earliest: true,
        user_ids: vec!["PUSER01".into()],
        escalation_policy_ids: vec!["PESC001".into()],
        schedule_ids: vec!["PSCHED1".into()],
        time_zone: Some("UTC".into()),
        include: vec!["users".into()],
    };
    vec![
        ("list_incidents", first(r.list_incidents(&IncidentFilter::default()).unwrap())),
        ("list_incidents", first(r.list_incidents(&full_filter).unwrap())),
        ("list_incidents", second(r.list_incidents(&full_filter).unwrap(), "incidents")),
        ("create_incident", r.create_incident(&new).unwrap().request),
        ("create_incident", r.create_incident(&NewIncident { title: "t".into(), service_id: "PSVC001".into(), ..Default::default() }).unwrap().request),
        ("manage_incidents", r.manage_incidents(&[("PINC001".into(), update.clone())]).unwrap().request),
        ("get_incident", r.get_incident("PINC001").unwrap().request),
        ("find_incident_by_key", r.find_incident_by_key("disk-db-1").unwrap().request),
        ("update_incident", r.update_incident("PINC001", &update).unwrap().request),
        ("update_incident", r.update_incident("PINC001", &IncidentUpdate { status: Some(IncidentStatus::Acknowledged), ..Default::default() }).unwrap().request),
        ("merge_incidents", r.merge_incidents("PINC001", &["PINC002".into()]).unwrap().request),
        ("snooze_incident", r.snooze_incident("PINC001", 3600).unwrap().request),
        ("list_incident_notes", r.list_incident_notes("PINC001").unwrap().request),
        ("create_incident_note", r.create_incident_note("PINC001", "on it").unwrap().request),
        ("list_incident_log_entries", first(r.list_incident_log_entries("PINC001", None, None).unwrap())),
        ("list_incident_log_entries", first(r.list_incident_log_entries("PINC001", Some("2026-11-01T00:00:00Z".into()), Some("2026-11-02T00:00:00Z".into())).unwrap())),
        ("list_incident_alerts", first(r.list_incident_alerts("PINC001", &["triggered"]).unwrap())),
        ("get_incident_alert", r.get_incident_alert("PINC001", "PALRT01").unwrap().request),
        ("list_log_entries", first(r.list_log_entries(None, None, &[]).unwrap())),
        ("list_log_entries", second(r.list_log_entries(Some("2026-11-01T00:00:00Z".into()), None, &["PTEAM01".into()]).unwrap(), "log_entries")),
        ("get_log_entry", r.get_log_entry("PLOG001").unwrap().request),
        ("list_services", first(r.list_services(&ListFilter::default()).unwrap())),
        ("list_services", first(r.list_services(&list).unwrap())),
        ("create_service", r.create_service(&json!({"type": "service", "name": "web", "escalation_policy": {"id": "PESC001", "type": "escalation_policy_reference"}})).unwrap().request),
        ("get_service", r.get_service("PSVC001").unwrap().request),
        ("update_service", r.update_service("PSVC001", &json!({"type": "service", "name": "web2"})).unwrap().request),
        ("delete_service", r.delete_service("PSVC001").unwrap().request),
        ("create_service_integration", r.create_service_integration("PSVC001", &json!({"type": "events_api_v2_inbound_integration", "name": "events"})).unwrap().request),
        ("get_service_integration", r.get_service_integration("PSVC001", "PINT001").unwrap().request),
        ("list_service_change_events", first(r.list_service_change_events("PSVC001", None, None).unwrap())),
        ("list_users", first(r.list_users(&ListFilter::default()).unwrap())),
        ("list_users", first(r.list_users(&list).unwrap())),
        ("current_user", r.current_user().unwrap().request),
        ("get_user", r.get_user("PUSER01").unwrap().request),
        ("list_contact_methods", r.list_contact_methods("PUSER01").unwrap().request),
        ("list_notification_rules", r.list_notification_rules("PUSER01", None).unwrap().request),
        ("list_notification_rules", r.list_notification_rules("PUSER01", Some("high")).unwrap().request),
        ("list_schedules", first(r.list_schedules(&list).unwrap())),
        ("get_schedule", r.get_schedule("PSCHED1", Some("2026-11-01T00:00:00Z".into()), Some("2026-11-08T00:00:00Z".into())).unwrap().request),
        ("list_schedule_users", r.list_schedule_users("PSCHED1", None, None).unwrap().request),
        ("list_overrides", r.list_overrides("PSCHED1", "2026-11-01T00:00:00Z", "2026-11-08T00:00:00Z").unwrap().request),
        ("create_override", r.create_override("PSCHED1", "PUSER01", "2026-11-23T10:00:00Z", "2026-11-23T18:00:00Z").unwrap().request),
        ("delete_override", r.delete_override("PSCHED1", "POVR001").unwrap().request),
        ("list_escalation_policies", first(r.list_escalation_policies(&ListFilter::default(), &[]).unwrap())),
        ("list_escalation_policies", first(r.list_escalation_policies(&list, &["PUSER01".into()]).unwrap())),
        ("get_escalation_policy", r.get_escalation_policy("PESC001").unwrap().request),
        ("list_oncalls", first(r.list_oncalls(&OnCallFilter::default()).unwrap())),
        ("list_oncalls", second(r.list_oncalls(&oncall).unwrap(), "oncalls")),
        ("list_teams", first(r.list_teams(&ListFilter { query: Some("ops".into()), ..Default::default() }).unwrap())),
        ("get_team", r.get_team("PTEAM01").unwrap().request),
        ("list_priorities", first(r.list_priorities().unwrap())),
        ("list_tags", first(r.list_tags(&ListFilter { query: Some("prod".into()), ..Default::default() }).unwrap())),
        ("get_tag", r.get_tag("PTAG001").unwrap().request),
        ("list_entity_tags", first(r.list_entity_tags(Taggable::Users, "PUSER01").unwrap())),
        ("change_tags", r.change_tags(Taggable::Teams, "PTEAM01", &["prod".into()], &["PTAG002".into()]).unwrap().request),
        ("list_abilities", r.list_abilities().unwrap().request),
        ("test_ability", r.test_ability("teams").unwrap().request),
        ("list_change_events", first(r.list_change_events(None, None, &[], &[]).unwrap())),
        ("list_change_events", first(r.list_change_events(Some("2026-11-01T00:00:00Z".into()), Some("2026-11-02T00:00:00Z".into()), &["PTEAM01".into()], &["PINT001".into()]).unwrap())),
        ("get_change_event", r.get_change_event("PCHG001").unwrap().request),
    ]
}

/// Generic calls on a sample of the paths without a typed helper, pages included.
fn generic_cases(e: &Endpoints) -> Vec<(&'static str, Request)> {
    let r = rest(e);
    let call = |m, p: &str| r.call(m, p);
    let mut q = Query::new();
    q.push("since", "2026-11-01T00:00:00Z")
        .push("until", "2026-11-02T00:00:00Z");
    vec![
        ("generic", call(Method::Get, "/business_services").build().unwrap()),
        ("generic", call(Method::Get, "/maintenance_windows").array("service_ids", ["PSVC001"]).build().unwrap()),
        (
            "generic",
            call(Method::Post, "/maintenance_windows")
                .entity("maintenance_window", &json!({"type": "maintenance_window", "start_time": "2026-11-24T10:00:00Z", "end_time": "2026-11-24T12:00:00Z", "services": [{"id": "PSVC001", "type": "service_reference"}]}))
                .build()
                .unwrap(),
        ),
        ("generic", call(Method::Get, "/extensions").build().unwrap()),
        ("generic", call(Method::Get, "/vendors").build().unwrap()),
        ("generic", call(Method::Get, "/addons").build().unwrap()),
        ("generic", call(Method::Get, "/notifications").query(&q).build().unwrap()),
        ("generic", call(Method::Get, "/event_orchestrations").build().unwrap()),
        ("generic", call(Method::Get, "/users/PUSER01/sessions").build().unwrap()),
        ("generic", first(Pager::new(&r, "/audit/records", Query::new()).unwrap())),
        ("generic", second(Pager::new(&r, "/audit/records", Query::new()).unwrap(), "records")),
        ("generic", first(Pager::new(&r, "/ip_allow_lists", Query::new()).unwrap())),
    ]
}

fn event_cases(e: &Endpoints) -> Vec<(&'static str, Request)> {
    let ev = Events::new(e.clone());
    let key = IntegrationKey::new(ROUTING).unwrap();
    let full = Trigger {
        summary: "Disk full on db-1".into(),
        source: "db-1".into(),
        severity: Some(Severity::Critical),
        timestamp: Some("2026-11-23T16:00:00.000+0000".into()),
        component: Some("postgres".into()),
        group: Some("prod".into()),
        class: Some("disk".into()),
        custom_details: Some(json!({"free": "4%"})),
        images: vec![Image {
            src: "https://example.com/chart.png".into(),
            href: Some("https://example.com".into()),
            alt: Some("chart".into()),
        }],
        links: vec![Link {
            href: "https://runbook.example.com".into(),
            text: Some("Runbook".into()),
        }],
        dedup_key: Some("disk-db-1".into()),
        client: Some("Nagios".into()),
        client_url: Some("https://nagios.example.com".into()),
    };
    let change = ChangeEvent {
        summary: "Deployed v42".into(),
        source: Some("ci".into()),
        timestamp: Some("2026-11-23T16:00:00Z".into()),
        custom_details: Some(json!({"sha": "abc"})),
        links: vec![Link {
            href: "https://ci.example.com/42".into(),
            text: Some("build".into()),
        }],
    };
    vec![
        ("trigger", ev.trigger(&key, &full, [1; 16]).unwrap().request),
        (
            "trigger",
            ev.trigger(&key, &Trigger::new("s", "x", Severity::Info), [2; 16])
                .unwrap()
                .request,
        ),
        (
            "acknowledge",
            ev.acknowledge(&key, "disk-db-1").unwrap().request,
        ),
        ("resolve", ev.resolve(&key, "disk-db-1").unwrap().request),
        ("change", ev.change(&key, &change).unwrap().request),
        (
            "change",
            ev.change(
                &key,
                &ChangeEvent {
                    summary: "minimal".into(),
                    ..Default::default()
                },
            )
            .unwrap()
            .request,
        ),
    ]
}

/// Sends each request through the C library's transport and collects request violations.
fn check_against(prism: &Prism, cases: Vec<(&'static str, Request)>, api: Api) -> Vec<String> {
    let transport = Transport::new(&Settings {
        retry: RetryPolicy::none(),
        ..Settings::default()
    })
    .unwrap();
    let mut failures = vec![];
    for (name, req) in cases {
        assert!(
            req.url.starts_with(&prism.url),
            "{name}: {} is not on Prism",
            req.url
        );
        let line = format!(
            "{name}: {} {}",
            req.method,
            req.url.trim_start_matches(&prism.url)
        );
        let resp = match transport.send(req, api) {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!("{line}: transport error {e}"));
                continue;
            }
        };
        let violations: Vec<Value> = resp
            .header("sl-violations")
            .map(|h| {
                serde_json::from_str(h)
                    .unwrap_or_else(|_| vec![json!({"location": ["request"], "message": h})])
            })
            .unwrap_or_default();
        for v in violations.iter().filter(|v| v["location"][0] == "request") {
            failures.push(format!(
                "{line}: {} at {} ({})",
                v["message"], v["location"], v["code"]
            ));
        }
        if resp.status == 404 || resp.status == 405 || resp.status == 406 || resp.status == 415 {
            failures.push(format!("{line}: Prism answered {}", resp.status));
        }
    }
    failures
}

#[test]
fn every_request_passes_prism_with_the_official_specs() {
    let rest_prism = Prism::start("rest", &rest_spec_for_prism());
    let events_prism = Prism::start("events", &events_spec_for_prism());
    let endpoints = Endpoints::custom_split(&rest_prism.url, &events_prism.url).unwrap();
    let rest_cases = rest_cases(&endpoints);
    // Every typed helper is exercised.
    for o in OPERATIONS {
        assert!(
            rest_cases.iter().any(|(n, _)| *n == o.name),
            "no contract case for {}",
            o.name
        );
    }
    let n = rest_cases.len();
    let mut failures = check_against(&rest_prism, rest_cases, Api::Rest);
    failures.extend(check_against(
        &rest_prism,
        generic_cases(&endpoints),
        Api::Rest,
    ));
    failures.extend(check_against(
        &events_prism,
        event_cases(&endpoints),
        Api::EventsV2,
    ));
    assert!(
        failures.is_empty(),
        "{} request violation(s) in {n}+ requests:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// (method, template) → the operation's query parameters by name.
fn query_params(
    ops: &[(String, String, String, Vec<Value>)],
    method: Method,
    template: &str,
) -> BTreeMap<String, Value> {
    ops.iter()
        .filter(|(m, p, _, _)| m == method.as_str() && p == template)
        .flat_map(|(_, _, _, params)| params.iter())
        .filter(|p| p["in"] == "query")
        .map(|p| (p["name"].as_str().unwrap_or("").to_owned(), p.clone()))
        .collect()
}

#[test]
fn what_prism_cannot_check() {
    let spec = load("rest-v2.openapi.json");
    let ops = spec::operations(&spec);
    let endpoints = Endpoints::default();
    let mut failures = vec![];
    for (name, req) in rest_cases(&endpoints) {
        // The auth scheme's value and the Accept header.
        if req.header("authorization") != Some(format!("Token token={TOKEN}").as_str()) {
            failures.push(format!("{name}: Authorization is not `Token token=KEY`"));
        }
        if req.header("accept") != Some(ACCEPT) {
            failures.push(format!("{name}: Accept is not {ACCEPT}"));
        }
        let row = OPERATIONS.iter().find(|o| o.name == name).unwrap();
        let (method, template) = (&row.method, row.path);
        let url = url::Url::parse(&req.url).unwrap();
        // The row of the table must describe the request the helper built.
        if req.method != *method || !path_matches(template, url.path()) {
            failures.push(format!(
                "{name}: built {} {} but the table says {method} {template}",
                req.method,
                url.path()
            ));
        }
        let declared = query_params(&ops, *method, template);
        for (key, value) in url.query_pairs() {
            // Unknown query parameters.
            let Some(param) = declared.get(key.as_ref()) else {
                failures.push(format!("{name}: query parameter `{key}` is not in the spec's list for {method} {template}"));
                continue;
            };
            // The spec names its array parameters with the brackets (`statuses[]`, one string
            // per value), so an exact name match above is the bracket check.
            let schema = resolve(&spec, &param["schema"]);
            let is_array = schema["type"] == "array";
            // Values of bracketed (and plain) parameters within the spec's enum.
            let items = if is_array {
                resolve(&spec, &schema["items"])
            } else {
                schema
            };
            if let Some(allowed) = items["enum"].as_array() {
                if !allowed
                    .iter()
                    .any(|a| a.as_str() == Some(value.as_ref()) || a.to_string() == value)
                {
                    failures.push(format!("{name}: `{key}={value}` is not one of {allowed:?}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn prism_would_catch_a_broken_request() {
    // The harness must be able to fail: an event_action outside the spec's enum is a violation.
    let events_prism = Prism::start("events-negative", &events_spec_for_prism());
    let bad = Request {
        method: Method::Post,
        url: format!("{}/v2/enqueue", events_prism.url),
        headers: vec![("content-type".into(), "application/json".into())],
        body: Some(json!({"routing_key": ROUTING, "event_action": "explode"}).to_string()),
        timeout: None,
    };
    let failures = check_against(&events_prism, vec![("broken", bad)], Api::EventsV2);
    assert!(
        !failures.is_empty(),
        "Prism accepted an unknown event_action"
    );
}
