//! Incidents: list, get, create, update, manage many, merge, snooze, notes, log entries, alerts.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{path, push_time, window, Op};
use crate::error::Error;
use crate::http::Method;
use crate::models::{Alert, Incident, LogEntry, Note};
use crate::pagination::Pager;
use crate::query::Query;
use crate::read_value::{boolean, option, seq, string, strings, u32, unit_variant, Read, Shape};
use crate::rest::Rest;
use crate::write_value::object;

/// An incident's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentStatus {
    /// Triggered.
    Triggered,
    /// Acknowledged.
    Acknowledged,
    /// Resolved.
    Resolved,
}

impl IncidentStatus {
    /// The API's name.
    pub fn as_str(self) -> &'static str {
        match self {
            IncidentStatus::Triggered => "triggered",
            IncidentStatus::Acknowledged => "acknowledged",
            IncidentStatus::Resolved => "resolved",
        }
    }
}

/// An incident's urgency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// High.
    High,
    /// Low.
    Low,
}

impl Urgency {
    /// The API's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Urgency::High => "high",
            Urgency::Low => "low",
        }
    }
}

/// Filters for listing incidents. Empty lists and `None` are left out of the query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IncidentFilter {
    /// Start of the date range (ISO 8601 date and time).
    pub since: Option<String>,
    /// End of the date range (ISO 8601 date and time).
    pub until: Option<String>,
    /// `all` to ignore since/until.
    pub date_range: Option<String>,
    /// Statuses.
    pub statuses: Vec<IncidentStatus>,
    /// Services.
    pub service_ids: Vec<String>,
    /// Teams.
    pub team_ids: Vec<String>,
    /// Assigned users.
    pub user_ids: Vec<String>,
    /// Urgencies.
    pub urgencies: Vec<Urgency>,
    /// Exact de-duplication key.
    pub incident_key: Option<String>,
    /// Up to two `field:asc|desc` sort orders (incident_number, created_at, resolved_at, urgency).
    pub sort_by: Vec<String>,
    /// Extra resources to include (`users`, `services`, ...).
    pub include: Vec<String>,
    /// Time zone of the result.
    pub time_zone: Option<String>,
    /// Ask for `total` on each page (slower for PagerDuty).
    pub total: bool,
    /// Page size, 1 to 100.
    pub limit: Option<u32>,
}

impl IncidentFilter {
    /// The query string for these filters.
    pub fn to_query(&self) -> Result<Query, Error> {
        let mut q = Query::new();
        push_time(&mut q, "since", &self.since)?;
        push_time(&mut q, "until", &self.until)?;
        q.push_opt("date_range", self.date_range.clone());
        q.push_array("statuses", self.statuses.iter().map(|s| s.as_str()));
        q.push_array("service_ids", self.service_ids.iter().cloned());
        q.push_array("team_ids", self.team_ids.iter().cloned());
        q.push_array("user_ids", self.user_ids.iter().cloned());
        q.push_array("urgencies", self.urgencies.iter().map(|u| u.as_str()));
        q.push_opt("incident_key", self.incident_key.clone());
        // One comma-separated value, at most two fields (the spec's `sort_by` is not an array).
        if self.sort_by.len() > 2 {
            return Err(Error::invalid(
                "sort_by",
                "takes at most two fields, such as [\"urgency:desc\", \"created_at\"]",
            ));
        }
        if !self.sort_by.is_empty() {
            q.push("sort_by", crate::join(&self.sort_by, ","));
        }
        q.push_array("include", self.include.iter().cloned());
        q.push_opt("time_zone", self.time_zone.clone());
        if self.total {
            q.push_bool("total", true);
        }
        q.push_opt("limit", self.limit.map(|l| l.to_string()));
        Ok(q)
    }
}

// The derives' reading by hand, for the bindings' arguments (crate::read_value says why).

pub(crate) fn read_status(v: &Value) -> Read<IncidentStatus> {
    const ALL: [IncidentStatus; 3] = [
        IncidentStatus::Triggered,
        IncidentStatus::Acknowledged,
        IncidentStatus::Resolved,
    ];
    unit_variant(v, &["triggered", "acknowledged", "resolved"]).map(|i| ALL[i])
}

pub(crate) fn read_urgency(v: &Value) -> Read<Urgency> {
    unit_variant(v, &["high", "low"]).map(|i| [Urgency::High, Urgency::Low][i])
}

impl IncidentFilter {
    pub(crate) fn read(v: &Value) -> Read<Self> {
        const SHAPE: Shape = Shape {
            name: "struct IncidentFilter",
            fields: &[
                "since",
                "until",
                "date_range",
                "statuses",
                "service_ids",
                "team_ids",
                "user_ids",
                "urgencies",
                "incident_key",
                "sort_by",
                "include",
                "time_zone",
                "total",
                "limit",
            ],
            optional: Shape::ALL,
            defaulted: Shape::ALL,
            deny_unknown: true,
        };
        let mut f = IncidentFilter::default();
        SHAPE.read(v, &mut |i, x| {
            match i {
                0 => f.since = option(x, string)?,
                1 => f.until = option(x, string)?,
                2 => f.date_range = option(x, string)?,
                3 => f.statuses = seq(x, read_status)?,
                4 => f.service_ids = strings(x)?,
                5 => f.team_ids = strings(x)?,
                6 => f.user_ids = strings(x)?,
                7 => f.urgencies = seq(x, read_urgency)?,
                8 => f.incident_key = option(x, string)?,
                9 => f.sort_by = strings(x)?,
                10 => f.include = strings(x)?,
                11 => f.time_zone = option(x, string)?,
                12 => f.total = boolean(x)?,
                _ => f.limit = option(x, u32)?,
            }
            Ok(())
        })?;
        Ok(f)
    }
}

impl NewIncident {
    pub(crate) fn read(v: &Value) -> Read<Self> {
        const SHAPE: Shape = Shape {
            name: "struct NewIncident",
            fields: &[
                "title",
                "service_id",
                "urgency",
                "details",
                "incident_key",
                "priority_id",
                "escalation_policy_id",
                "assignee_ids",
            ],
            optional: Shape::ALL,
            defaulted: Shape::ALL,
            deny_unknown: true,
        };
        let mut n = NewIncident::default();
        SHAPE.read(v, &mut |i, x| {
            match i {
                0 => n.title = string(x)?,
                1 => n.service_id = string(x)?,
                2 => n.urgency = option(x, read_urgency)?,
                3 => n.details = option(x, string)?,
                4 => n.incident_key = option(x, string)?,
                5 => n.priority_id = option(x, string)?,
                6 => n.escalation_policy_id = option(x, string)?,
                _ => n.assignee_ids = strings(x)?,
            }
            Ok(())
        })?;
        Ok(n)
    }
}

impl IncidentUpdate {
    pub(crate) fn read(v: &Value) -> Read<Self> {
        const SHAPE: Shape = Shape {
            name: "struct IncidentUpdate",
            fields: &[
                "status",
                "title",
                "urgency",
                "resolution",
                "escalation_level",
                "assignee_ids",
                "escalation_policy_id",
                "priority_id",
            ],
            optional: Shape::ALL,
            defaulted: Shape::ALL,
            deny_unknown: true,
        };
        let mut u = IncidentUpdate::default();
        SHAPE.read(v, &mut |i, x| {
            match i {
                0 => u.status = option(x, read_status)?,
                1 => u.title = option(x, string)?,
                2 => u.urgency = option(x, read_urgency)?,
                3 => u.resolution = option(x, string)?,
                4 => u.escalation_level = option(x, u32)?,
                5 => u.assignee_ids = strings(x)?,
                6 => u.escalation_policy_id = option(x, string)?,
                _ => u.priority_id = option(x, string)?,
            }
            Ok(())
        })?;
        Ok(u)
    }
}

/// A new incident.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NewIncident {
    /// Title (required).
    pub title: String,
    /// The service (required).
    pub service_id: String,
    /// Urgency; the service's default when absent.
    pub urgency: Option<Urgency>,
    /// Details shown in the incident body.
    pub details: Option<String>,
    /// A de-duplication key: a second create with the same key is refused by PagerDuty
    /// while the first incident is open.
    pub incident_key: Option<String>,
    /// Priority.
    pub priority_id: Option<String>,
    /// Escalation policy (instead of the service's).
    pub escalation_policy_id: Option<String>,
    /// Users to assign (instead of the escalation policy).
    pub assignee_ids: Vec<String>,
}

/// Changes to an incident. `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IncidentUpdate {
    /// New status.
    pub status: Option<IncidentStatus>,
    /// New title.
    pub title: Option<String>,
    /// New urgency.
    pub urgency: Option<Urgency>,
    /// Resolution note (with `status: resolved`).
    pub resolution: Option<String>,
    /// Escalate to this level.
    pub escalation_level: Option<u32>,
    /// Reassign to these users.
    pub assignee_ids: Vec<String>,
    /// New escalation policy.
    pub escalation_policy_id: Option<String>,
    /// New priority.
    pub priority_id: Option<String>,
}

impl IncidentUpdate {
    fn to_json(&self, id: Option<&str>) -> Value {
        let mut m = serde_json::Map::new();
        if let Some(id) = id {
            m.insert("id".into(), Value::from(id));
        }
        m.insert("type".into(), Value::from("incident_reference"));
        if let Some(s) = self.status {
            m.insert("status".into(), Value::from(s.as_str()));
        }
        if let Some(t) = &self.title {
            m.insert("title".into(), Value::from(t.as_str()));
        }
        if let Some(u) = self.urgency {
            m.insert("urgency".into(), Value::from(u.as_str()));
        }
        if let Some(r) = &self.resolution {
            m.insert("resolution".into(), Value::from(r.as_str()));
        }
        if let Some(l) = self.escalation_level {
            m.insert("escalation_level".into(), Value::from(l));
        }
        if !self.assignee_ids.is_empty() {
            m.insert("assignments".into(), assignments(&self.assignee_ids));
        }
        if let Some(e) = &self.escalation_policy_id {
            m.insert(
                "escalation_policy".into(),
                reference(e, "escalation_policy_reference"),
            );
        }
        if let Some(p) = &self.priority_id {
            m.insert("priority".into(), reference(p, "priority_reference"));
        }
        Value::Object(m)
    }
}

fn reference(id: &str, kind: &str) -> Value {
    // What `Reference::new(id, kind)` serializes to, built by hand (no serializer per type in
    // the module).
    object([("id", id.into()), ("type", kind.into())])
}

fn assignments(ids: &[String]) -> Value {
    Value::Array(
        ids.iter()
            .map(|id| object([("assignee", reference(id, "user_reference"))]))
            .collect(),
    )
}

fn required(field: &str, value: &str) -> Result<(), Error> {
    if value.trim().is_empty() {
        return Err(Error::invalid(field, "is required"));
    }
    Ok(())
}

impl Rest {
    /// `GET /incidents`, page by page.
    pub fn list_incidents(&self, filter: &IncidentFilter) -> Result<Pager, Error> {
        Pager::new(self, "/incidents", filter.to_query()?)
    }

    /// `GET /incidents/{id}`.
    pub fn get_incident(&self, id: &str) -> Result<Op<Incident>, Error> {
        let req = self
            .call(Method::Get, &path("/incidents", "id", id, "")?)
            .build()?;
        Ok(Op::entity(req, "incident"))
    }

    /// `POST /incidents` (needs `From`).
    pub fn create_incident(&self, new: &NewIncident) -> Result<Op<Incident>, Error> {
        required("incident.title", &new.title)?;
        crate::rest::check_id("incident.service.id", &new.service_id)?;
        let mut m = serde_json::Map::new();
        m.insert("type".into(), Value::from("incident"));
        m.insert("title".into(), Value::from(new.title.as_str()));
        m.insert(
            "service".into(),
            reference(&new.service_id, "service_reference"),
        );
        if let Some(u) = new.urgency {
            m.insert("urgency".into(), Value::from(u.as_str()));
        }
        if let Some(d) = &new.details {
            m.insert(
                "body".into(),
                object([
                    ("type", "incident_body".into()),
                    ("details", d.as_str().into()),
                ]),
            );
        }
        if let Some(k) = &new.incident_key {
            m.insert("incident_key".into(), Value::from(k.as_str()));
        }
        if let Some(p) = &new.priority_id {
            m.insert("priority".into(), reference(p, "priority_reference"));
        }
        if let Some(e) = &new.escalation_policy_id {
            m.insert(
                "escalation_policy".into(),
                reference(e, "escalation_policy_reference"),
            );
        }
        if !new.assignee_ids.is_empty() {
            m.insert("assignments".into(), assignments(&new.assignee_ids));
        }
        let req = self
            .call(Method::Post, "/incidents")
            .entity_value("incident", &Value::Object(m))
            .build()?;
        Ok(Op::entity(req, "incident"))
    }

    /// `PUT /incidents/{id}` (needs `From`): acknowledge, resolve, reassign, ...
    pub fn update_incident(
        &self,
        id: &str,
        update: &IncidentUpdate,
    ) -> Result<Op<Incident>, Error> {
        let req = self
            .call(Method::Put, &path("/incidents", "id", id, "")?)
            .entity_value("incident", &update.to_json(None))
            .build()?;
        Ok(Op::entity(req, "incident"))
    }

    /// `PUT /incidents` (needs `From`): up to 250 incidents in one request.
    pub fn manage_incidents(
        &self,
        updates: &[(String, IncidentUpdate)],
    ) -> Result<Op<Vec<Incident>>, Error> {
        if updates.is_empty() || updates.len() > 250 {
            return Err(Error::invalid("incidents", "must hold 1 to 250 updates"));
        }
        let mut items = Vec::with_capacity(updates.len());
        for (id, u) in updates {
            crate::rest::check_id("incidents[].id", id)?;
            items.push(u.to_json(Some(id)));
        }
        let req = self
            .call(Method::Put, "/incidents")
            .json_value(&object([("incidents", Value::Array(items))]))
            .build()?;
        Ok(Op::entity(req, "incidents"))
    }

    /// `PUT /incidents/{id}/merge` (needs `From`): merges the sources into `id`.
    pub fn merge_incidents(&self, id: &str, source_ids: &[String]) -> Result<Op<Incident>, Error> {
        if source_ids.is_empty() {
            return Err(Error::invalid(
                "source_incidents",
                "must name at least one incident",
            ));
        }
        let mut sources = Vec::with_capacity(source_ids.len());
        for s in source_ids {
            crate::rest::check_id("source_incidents[].id", s)?;
            sources.push(reference(s, "incident_reference"));
        }
        let req = self
            .call(Method::Put, &path("/incidents", "id", id, "/merge")?)
            .json_value(&object([("source_incidents", Value::Array(sources))]))
            .build()?;
        Ok(Op::entity(req, "incident"))
    }

    /// `POST /incidents/{id}/snooze` (needs `From`) for `seconds`.
    pub fn snooze_incident(&self, id: &str, seconds: u32) -> Result<Op<Incident>, Error> {
        if seconds == 0 {
            return Err(Error::invalid("duration", "must be at least one second"));
        }
        let req = self
            .call(Method::Post, &path("/incidents", "id", id, "/snooze")?)
            .json_value(&object([("duration", seconds.into())]))
            .build()?;
        Ok(Op::entity(req, "incident"))
    }

    /// `GET /incidents/{id}/notes` (not paginated: PagerDuty returns them all).
    pub fn list_incident_notes(&self, id: &str) -> Result<Op<Vec<Note>>, Error> {
        let req = self
            .call(Method::Get, &path("/incidents", "id", id, "/notes")?)
            .build()?;
        Ok(Op::entity(req, "notes"))
    }

    /// `POST /incidents/{id}/notes` (needs `From`).
    pub fn create_incident_note(&self, id: &str, content: &str) -> Result<Op<Note>, Error> {
        required("note.content", content)?;
        let req = self
            .call(Method::Post, &path("/incidents", "id", id, "/notes")?)
            .entity_value("note", &object([("content", content.into())]))
            .build()?;
        Ok(Op::entity(req, "note"))
    }

    /// `GET /incidents/{id}/log_entries`, page by page.
    pub fn list_incident_log_entries(
        &self,
        id: &str,
        since: Option<String>,
        until: Option<String>,
    ) -> Result<Pager, Error> {
        let q = window(since, until)?;
        Pager::new(self, &path("/incidents", "id", id, "/log_entries")?, q)
    }

    /// `GET /log_entries` across the account, page by page.
    pub fn list_log_entries(
        &self,
        since: Option<String>,
        until: Option<String>,
        team_ids: &[String],
    ) -> Result<Pager, Error> {
        let mut q = window(since, until)?;
        q.push_array("team_ids", team_ids.iter().cloned());
        Pager::new(self, "/log_entries", q)
    }

    /// `GET /log_entries/{id}`.
    pub fn get_log_entry(&self, id: &str) -> Result<Op<LogEntry>, Error> {
        let req = self
            .call(Method::Get, &path("/log_entries", "id", id, "")?)
            .build()?;
        Ok(Op::entity(req, "log_entry"))
    }

    /// `GET /incidents/{id}/alerts`, page by page.
    pub fn list_incident_alerts(&self, id: &str, statuses: &[&str]) -> Result<Pager, Error> {
        let mut q = Query::new();
        q.push_array("statuses", statuses.iter().copied());
        Pager::new(self, &path("/incidents", "id", id, "/alerts")?, q)
    }

    /// `GET /incidents/{id}/alerts/{alert_id}`.
    pub fn get_incident_alert(&self, id: &str, alert_id: &str) -> Result<Op<Alert>, Error> {
        crate::rest::check_id("alert_id", alert_id)?;
        let req = self
            .call(
                Method::Get,
                &path("/incidents", "id", id, &format!("/alerts/{alert_id}"))?,
            )
            .build()?;
        Ok(Op::entity(req, "alert"))
    }
}

#[cfg(test)]
mod read_tests {
    use crate::read_value::tests::same_as_serde;
    use serde_json::json;

    #[test]
    fn arguments_read_as_their_derives_read_them() {
        same_as_serde(
            super::IncidentFilter::read,
            json!({"since": "s", "until": "u", "date_range": "all", "statuses": ["triggered"],
                   "service_ids": ["P1"], "team_ids": [], "user_ids": ["U"],
                   "urgencies": ["high", "low"], "incident_key": "k", "sort_by": ["a:desc"],
                   "include": ["users"], "time_zone": "UTC", "total": true, "limit": 20}),
        );
        same_as_serde(
            super::NewIncident::read,
            json!({"title": "t", "service_id": "P", "urgency": "low", "details": "d",
                   "incident_key": "k", "priority_id": "P", "escalation_policy_id": "E",
                   "assignee_ids": ["U1", "U2"]}),
        );
        same_as_serde(
            super::IncidentUpdate::read,
            json!({"status": "acknowledged", "title": "t", "urgency": "high",
                   "resolution": "r", "escalation_level": 2, "assignee_ids": ["U"],
                   "escalation_policy_id": "E", "priority_id": "P"}),
        );
        same_as_serde(
            crate::operations::oncalls::OnCallFilter::read,
            json!({"since": "s", "until": "u", "earliest": true, "user_ids": ["U"],
                   "escalation_policy_ids": ["E"], "schedule_ids": ["S"], "time_zone": "UTC",
                   "include": ["users"]}),
        );
    }

    #[test]
    fn names_and_references_are_written_as_their_derives_write_them() {
        use super::{IncidentStatus, Urgency};
        for s in [
            IncidentStatus::Triggered,
            IncidentStatus::Acknowledged,
            IncidentStatus::Resolved,
        ] {
            assert_eq!(json!(s.as_str()), serde_json::to_value(s).unwrap());
        }
        for u in [Urgency::High, Urgency::Low] {
            assert_eq!(json!(u.as_str()), serde_json::to_value(u).unwrap());
        }
        assert_eq!(
            super::reference("P1", "user_reference"),
            serde_json::to_value(crate::models::Reference::new("P1", "user_reference")).unwrap()
        );
    }

    #[test]
    fn a_manage_pair_reads_as_its_derive_reads_it() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct One {
            id: String,
            update: super::IncidentUpdate,
        }
        fn ours(v: &serde_json::Value) -> crate::read_value::Read<One> {
            crate::bindings::registry::read_one_update(v).map(|(id, update)| One { id, update })
        }
        same_as_serde(
            ours,
            json!({"id": "P1", "update": {"status": "resolved", "title": "t"}}),
        );
    }
}
