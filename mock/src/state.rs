//! The simulated account: seeded resources, keys, incidents, alerts and what was received.

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::rng::Rng;

/// What a REST key may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyKind {
    /// General access key with full rights.
    FullAccess,
    /// General access key, read-only.
    ReadOnly,
    /// A user's personal token: limited to that user's role.
    User(String),
    /// An OAuth token from `/oauth/token`: limited to its scopes.
    OAuth(crate::oauth::Grant),
}

/// A seeded user.
#[derive(Debug, Clone)]
pub struct User {
    pub id: String,
    pub name: String,
    pub email: String,
    /// admin, manager, user (responder), limited_user, observer, read_only_user
    pub role: String,
    pub team_ids: Vec<String>,
}

/// A seeded service with its Events API integration key.
#[derive(Debug, Clone)]
pub struct Service {
    pub id: String,
    pub name: String,
    pub escalation_policy_id: String,
    pub team_ids: Vec<String>,
    pub integration_key: String,
    pub integration_id: String,
}

/// An alert, created by a trigger event.
#[derive(Debug, Clone)]
pub struct Alert {
    pub id: String,
    pub incident_id: String,
    pub service_id: String,
    pub dedup_key: String,
    pub status: String,
    pub severity: String,
    pub summary: String,
    pub created_at: String,
    pub body: Value,
    /// Trigger events folded into this alert (a retried trigger increments it).
    pub triggers: u32,
}

/// An incident.
#[derive(Debug, Clone)]
pub struct Incident {
    pub id: String,
    pub number: u64,
    pub title: String,
    pub status: String,
    pub urgency: String,
    pub service_id: String,
    pub team_ids: Vec<String>,
    pub created_at: String,
    pub incident_key: String,
    pub assignee_id: String,
    pub notes: Vec<Value>,
    pub log_entries: Vec<Value>,
    pub alert_ids: Vec<String>,
    /// The incident's JSON, built on the first read after a change (so a page of 100 is 100
    /// copies, and an event that creates or moves an incident does not pay for the text).
    pub json: Option<std::sync::Arc<str>>,
}

/// An event as received (accepted or not), for inspection.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ReceivedEvent {
    pub api: &'static str,
    pub action: String,
    pub dedup_key: Option<String>,
    pub service_id: Option<String>,
    pub accepted: bool,
    pub at: String,
}

/// Counters for inspection.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Counters {
    pub requests: u64,
    pub events_received: u64,
    pub events_accepted: u64,
    pub events_rejected: u64,
    pub alerts_created: u64,
    pub incidents_created: u64,
    pub rate_limited: u64,
    /// Requests to `/oauth/token`.
    pub token_requests: u64,
    /// REST requests refused because their OAuth token had expired.
    pub expired_tokens: u64,
}

/// Everything the simulator knows.
#[derive(Debug)]
pub struct State {
    pub keys: HashMap<String, KeyKind>,
    pub users: Vec<User>,
    pub teams: Vec<Value>,
    pub services: Vec<Service>,
    pub escalation_policies: Vec<Value>,
    pub schedules: Vec<Value>,
    pub overrides: Vec<(String, Value)>,
    pub priorities: Vec<Value>,
    pub tags: Vec<Value>,
    pub audit_records: Vec<Value>,
    pub incidents: Vec<Incident>,
    pub incident_index: HashMap<String, usize>,
    pub alerts: Vec<Alert>,
    /// (service_id, dedup_key) → index of the open alert.
    pub open_alerts: HashMap<(String, String), usize>,
    pub events: Vec<ReceivedEvent>,
    pub counters: Counters,
    pub next_number: u64,
    /// Generates dedup keys for triggers that come without one.
    pub rng: Rng,
    /// OAuth tokens issued, by value.
    pub oauth_tokens: HashMap<String, crate::oauth::Grant>,
    /// Tokens issued so far.
    pub oauth_issued: u64,
    /// The lifetime of new tokens, in seconds.
    pub oauth_expires_in: f64,
}

/// The keys every simulator accepts, documented in the README.
pub mod keys {
    /// General access, full rights.
    pub const FULL_ACCESS: &str = "pdmock_full_access_1";
    /// General access, read-only.
    pub const READ_ONLY: &str = "pdmock_read_only_key";
    /// User token of PUSER01 (role `user`: a responder).
    pub const USER_TOKEN: &str = "pdmock_user_token_01";
    /// User token of PUSER04 (role `observer`: may read only).
    pub const OBSERVER_TOKEN: &str = "pdmock_observer_tok1";
    /// Integration key of PSVC001 ("Checkout API").
    pub const ROUTING_KEY_1: &str = "pdmockintegrationkey000000000001";
    /// Integration key of PSVC002 ("Payments DB").
    pub const ROUTING_KEY_2: &str = "pdmockintegrationkey000000000002";
    /// Prefix of PSVC001's extra integrations: this and 10 digits is a valid routing key
    /// (`pdmockextraintegration0000000007`), for tests that need many keys.
    pub const EXTRA_KEY_PREFIX: &str = "pdmockextraintegration";
    /// The OAuth app's client id (`POST /oauth/token`).
    pub const OAUTH_CLIENT_ID: &str = "pdmock-oauth-client";
    /// The OAuth app's client secret.
    pub const OAUTH_CLIENT_SECRET: &str = "pdmock-oauth-secret-5f1c9e2a";
    /// The account's subdomain: the scope `as_account-us.pdmock` (or `-eu.`) is required.
    pub const OAUTH_SUBDOMAIN: &str = "pdmock";
}

/// A `{"id","type","summary","self","html_url"}` reference.
/// The creation time of seeded incident `i`: `i × 347 s` before `started`, to the second.
fn seeded_time(started: time::OffsetDateTime, i: usize) -> String {
    let t = started - time::Duration::seconds(347 * (i as i64 + 1));
    let t = t.replace_nanosecond(0).unwrap_or(t);
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

pub fn reference(kind: &str, path: &str, id: &str, summary: &str) -> Value {
    json!({
        "id": id,
        "type": format!("{kind}_reference"),
        "summary": summary,
        "self": format!("https://api.pagerduty.com/{path}/{id}"),
        "html_url": format!("https://pdmock.pagerduty.com/{path}/{id}"),
    })
}

impl State {
    /// A fresh account: seeded resources and `incidents` generated incidents.
    pub fn seeded(seed: u64, incidents: usize) -> State {
        let mut keys = HashMap::new();
        keys.insert(keys::FULL_ACCESS.to_string(), KeyKind::FullAccess);
        keys.insert(keys::READ_ONLY.to_string(), KeyKind::ReadOnly);
        keys.insert(
            keys::USER_TOKEN.to_string(),
            KeyKind::User("PUSER01".into()),
        );
        keys.insert(
            keys::OBSERVER_TOKEN.to_string(),
            KeyKind::User("PUSER04".into()),
        );
        let user = |id: &str, name: &str, email: &str, role: &str, teams: &[&str]| User {
            id: id.into(),
            name: name.into(),
            email: email.into(),
            role: role.into(),
            team_ids: teams.iter().map(|s| s.to_string()).collect(),
        };
        let users = vec![
            user(
                "PUSER01",
                "Ada Responder",
                "ada@example.com",
                "user",
                &["PTEAM01"],
            ),
            user(
                "PUSER02",
                "Grace Admin",
                "grace@example.com",
                "admin",
                &["PTEAM01", "PTEAM02"],
            ),
            user(
                "PUSER03",
                "Linus Limited",
                "linus@example.com",
                "limited_user",
                &["PTEAM02"],
            ),
            user(
                "PUSER04",
                "Olive Observer",
                "olive@example.com",
                "observer",
                &[],
            ),
        ];
        let teams = vec![
            json!({"id": "PTEAM01", "type": "team", "name": "Checkout", "summary": "Checkout", "description": "Checkout team"}),
            json!({"id": "PTEAM02", "type": "team", "name": "Data", "summary": "Data", "description": "Databases"}),
        ];
        let services = vec![
            Service {
                id: "PSVC001".into(),
                name: "Checkout API".into(),
                escalation_policy_id: "PESC001".into(),
                team_ids: vec!["PTEAM01".into()],
                integration_key: keys::ROUTING_KEY_1.into(),
                integration_id: "PINT001".into(),
            },
            Service {
                id: "PSVC002".into(),
                name: "Payments DB".into(),
                escalation_policy_id: "PESC002".into(),
                team_ids: vec!["PTEAM02".into()],
                integration_key: keys::ROUTING_KEY_2.into(),
                integration_id: "PINT002".into(),
            },
        ];
        let escalation_policies = vec![
            json!({"id": "PESC001", "type": "escalation_policy", "name": "Checkout on-call", "summary": "Checkout on-call", "num_loops": 2,
                   "escalation_rules": [{"id": "PRULE01", "escalation_delay_in_minutes": 30, "targets": [reference("schedule", "schedules", "PSCHED1", "Checkout primary")]}],
                   "services": [reference("service", "services", "PSVC001", "Checkout API")], "teams": [reference("team", "teams", "PTEAM01", "Checkout")]}),
            json!({"id": "PESC002", "type": "escalation_policy", "name": "Data on-call", "summary": "Data on-call", "num_loops": 0,
                   "escalation_rules": [{"id": "PRULE02", "escalation_delay_in_minutes": 15, "targets": [reference("user", "users", "PUSER02", "Grace Admin")]}],
                   "services": [reference("service", "services", "PSVC002", "Payments DB")], "teams": [reference("team", "teams", "PTEAM02", "Data")]}),
        ];
        let schedules = vec![json!({
            "id": "PSCHED1", "type": "schedule", "name": "Checkout primary", "summary": "Checkout primary", "time_zone": "UTC",
            "description": "Weekly rotation", "users": [reference("user", "users", "PUSER01", "Ada Responder"), reference("user", "users", "PUSER02", "Grace Admin")],
            "escalation_policies": [reference("escalation_policy", "escalation_policies", "PESC001", "Checkout on-call")],
        })];
        let priorities = ["P1", "P2", "P3", "P4", "P5"]
            .iter()
            .enumerate()
            .map(|(i, n)| json!({"id": format!("PPRIO0{}", i + 1), "type": "priority", "name": n, "summary": n, "description": format!("Priority {n}")}))
            .collect();
        let tags = ["prod", "db", "edge"]
            .iter()
            .enumerate()
            .map(|(i, l)| json!({"id": format!("PTAG00{}", i + 1), "type": "tag", "label": l, "summary": l}))
            .collect();
        let audit_records = (0..250)
            .map(|i| {
                json!({"id": format!("PAUD{i:05}"), "type": "audit_record", "execution_time": format!("2026-11-{:02}T10:00:00Z", 1 + i % 28),
                       "action": if i % 2 == 0 { "update" } else { "create" },
                       "root_resource": reference("service", "services", "PSVC001", "Checkout API")})
            })
            .collect();
        let mut state = State {
            keys,
            users,
            teams,
            services,
            escalation_policies,
            schedules,
            overrides: Vec::new(),
            priorities,
            tags,
            audit_records,
            incidents: Vec::new(),
            incident_index: HashMap::new(),
            alerts: Vec::new(),
            open_alerts: HashMap::new(),
            events: Vec::new(),
            counters: Counters::default(),
            next_number: 1,
            rng: Rng::new(seed),
            oauth_tokens: HashMap::new(),
            oauth_issued: 0,
            oauth_expires_in: 86400.0,
        };
        let started = time::OffsetDateTime::now_utc();
        for i in 0..incidents {
            let service = state.services[i % 2].id.clone();
            let status = ["triggered", "acknowledged", "resolved"][i % 3];
            let title = format!(
                "Seeded incident {i}: disk /var at {}% on host-{}",
                80 + i % 20,
                i % 50
            );
            // Dated back from the simulator's start, ~6 minutes apart (250 incidents: the last
            // day; 10,000: five weeks), so "open incidents in the last 24 h" shows live data;
            // everything but the clock stays reproducible per seed.
            let created = seeded_time(started, i);
            let id = state.create_incident(
                &service,
                &title,
                if i % 4 == 0 { "low" } else { "high" },
                &format!("seed-{i}"),
                created,
            );
            let idx = state.incident_index[&id];
            state.incidents[idx].status = status.into();
            state.touch(&id);
        }
        state
    }

    pub fn user(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }

    pub fn user_by_email(&self, email: &str) -> Option<&User> {
        self.users
            .iter()
            .find(|u| u.email.eq_ignore_ascii_case(email))
    }

    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }

    pub fn service_by_key(&self, key: &str) -> Option<&Service> {
        let extra = key
            .strip_prefix(keys::EXTRA_KEY_PREFIX)
            .is_some_and(|d| d.len() == 10 && d.bytes().all(|b| b.is_ascii_digit()));
        let key = if extra { keys::ROUTING_KEY_1 } else { key };
        self.services.iter().find(|s| s.integration_key == key)
    }

    /// A new incident; returns its ID.
    pub fn create_incident(
        &mut self,
        service_id: &str,
        title: &str,
        urgency: &str,
        key: &str,
        created_at: String,
    ) -> String {
        let number = self.next_number;
        self.next_number += 1;
        let id = format!("Q{:013}", number);
        let team_ids = self
            .service(service_id)
            .map(|s| s.team_ids.clone())
            .unwrap_or_default();
        let incident = Incident {
            id: id.clone(),
            number,
            title: title.to_owned(),
            status: "triggered".into(),
            urgency: urgency.into(),
            service_id: service_id.into(),
            team_ids,
            created_at: created_at.clone(),
            incident_key: key.into(),
            assignee_id: "PUSER01".into(),
            notes: Vec::new(),
            log_entries: vec![
                json!({"id": format!("PLOG{number}"), "type": "trigger_log_entry", "summary": "Triggered", "created_at": created_at}),
            ],
            alert_ids: Vec::new(),
            json: None,
        };
        self.incident_index.insert(id.clone(), self.incidents.len());
        self.incidents.push(incident);
        self.touch(&id);
        self.counters.incidents_created += 1;
        id
    }

    /// Changes an incident and marks its cached JSON stale.
    pub fn update_incident<R>(
        &mut self,
        id: &str,
        f: impl FnOnce(&mut Incident) -> R,
    ) -> Option<R> {
        let i = *self.incident_index.get(id)?;
        let r = f(&mut self.incidents[i]);
        self.touch(id);
        Some(r)
    }

    /// Marks an incident's cached JSON stale.
    pub fn touch(&mut self, id: &str) {
        if let Some(&i) = self.incident_index.get(id) {
            self.incidents[i].json = None;
        }
    }

    /// The JSON text of incident number `i` (by position), built if stale.
    pub fn incident_text(&mut self, i: usize) -> std::sync::Arc<str> {
        if let Some(j) = &self.incidents[i].json {
            return j.clone();
        }
        let j: std::sync::Arc<str> =
            std::sync::Arc::from(self.incident_json(&self.incidents[i]).to_string());
        self.incidents[i].json = Some(j.clone());
        j
    }

    pub fn incident(&self, id: &str) -> Option<&Incident> {
        self.incidents.get(*self.incident_index.get(id)?)
    }

    /// The JSON PagerDuty would show for an incident.
    pub fn incident_json(&self, i: &Incident) -> Value {
        let service = self.service(&i.service_id);
        let service_name = service.map(|s| s.name.as_str()).unwrap_or("deleted");
        let ep = service
            .map(|s| s.escalation_policy_id.as_str())
            .unwrap_or("PESC001");
        let assignee = self
            .user(&i.assignee_id)
            .map(|u| u.name.as_str())
            .unwrap_or("");
        json!({
            "id": i.id,
            "type": "incident",
            "summary": format!("[#{}] {}", i.number, i.title),
            "self": format!("https://api.pagerduty.com/incidents/{}", i.id),
            "html_url": format!("https://pdmock.pagerduty.com/incidents/{}", i.id),
            "incident_number": i.number,
            "title": i.title,
            "description": i.title,
            "created_at": i.created_at,
            "updated_at": i.created_at,
            "last_status_change_at": i.created_at,
            "status": i.status,
            "urgency": i.urgency,
            "incident_key": i.incident_key,
            "service": reference("service", "services", &i.service_id, service_name),
            "escalation_policy": reference("escalation_policy", "escalation_policies", ep, "on-call"),
            "assignments": if i.status == "resolved" { json!([]) } else {
                json!([{"at": i.created_at, "assignee": reference("user", "users", &i.assignee_id, assignee)}])
            },
            "teams": i.team_ids.iter().map(|t| reference("team", "teams", t, t)).collect::<Vec<_>>(),
            "alert_counts": {"all": i.alert_ids.len(), "triggered": 0, "resolved": 0},
            "priority": null,
            "resolve_reason": null,
            "is_mergeable": true,
            "pending_actions": [],
            "acknowledgements": [],
            "conference_bridge": null,
            "body": {"type": "incident_body", "details": ""},
        })
    }

    pub fn alert_json(&self, a: &Alert) -> Value {
        json!({
            "id": a.id,
            "type": "alert",
            "summary": a.summary,
            "status": a.status,
            "alert_key": a.dedup_key,
            "severity": a.severity,
            "created_at": a.created_at,
            "incident": {"id": a.incident_id, "type": "incident_reference"},
            "service": {"id": a.service_id, "type": "service_reference"},
            "body": a.body,
            "triggers": a.triggers,
        })
    }

    pub fn user_json(&self, u: &User) -> Value {
        json!({
            "id": u.id, "type": "user", "name": u.name, "summary": u.name, "email": u.email, "role": u.role,
            "time_zone": "UTC",
            "self": format!("https://api.pagerduty.com/users/{}", u.id),
            "html_url": format!("https://pdmock.pagerduty.com/users/{}", u.id),
            "teams": u.team_ids.iter().map(|t| reference("team", "teams", t, t)).collect::<Vec<_>>(),
            "contact_methods": [reference("email_contact_method", "contact_methods", &format!("PCM{}", &u.id[5..]), "Default")],
            "notification_rules": [reference("assignment_notification_rule", "notification_rules", &format!("PNR{}", &u.id[5..]), "0 minutes: channel")],
        })
    }

    pub fn service_json(&self, s: &Service) -> Value {
        json!({
            "id": s.id, "type": "service", "name": s.name, "summary": s.name, "description": format!("{} (simulated)", s.name),
            "status": "active",
            "self": format!("https://api.pagerduty.com/services/{}", s.id),
            "html_url": format!("https://pdmock.pagerduty.com/service-directory/{}", s.id),
            "escalation_policy": reference("escalation_policy", "escalation_policies", &s.escalation_policy_id, "on-call"),
            "teams": s.team_ids.iter().map(|t| reference("team", "teams", t, t)).collect::<Vec<_>>(),
            "integrations": [reference("events_api_v2_inbound_integration", &format!("services/{}/integrations", s.id), &s.integration_id, "Events API v2")],
        })
    }
}
