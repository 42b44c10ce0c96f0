//! Webhooks v3, typed: every event type PagerDuty documents, a typed `data` per kind, a
//! dispatcher, and a replay guard keyed on `X-Webhook-Id`.
//!
//! The list of event types is [`WebhookEventType`] and its table [`WebhookEventType::ALL`]:
//! the TypeScript union, the Python `Literal` and the C constants (`pd_webhook_event_type`)
//! are generated from it. A type this list does not know (PagerDuty adds some over time, and
//! early-access ones come and go) is [`WebhookEventType::Other`], its data kept as raw JSON:
//! never an error.
//!
//! PagerDuty repeats a webhook's `X-Webhook-Id` on every delivery attempt of it, and attempts
//! again when an answer is not a 2xx within 5 seconds. [`ReplayGuard`] remembers the IDs of
//! the webhooks handled (a bounded LRU the caller owns), so a re-delivered webhook is handled
//! once: ask [`ReplayGuard::seen`] first, call [`ReplayGuard::remember`] once it was handled.
//!
//! ```
//! use pagerduty_core::webhook_events::{parse_typed, ReplayGuard, WebhookData, WebhookEventType, WebhookRouter};
//!
//! let body = br#"{"event":{"id":"E1","event_type":"incident.acknowledged","resource_type":"incident",
//!   "occurred_at":"2026-11-23T16:00:00Z","agent":null,"client":null,
//!   "data":{"id":"P123","type":"incident","status":"acknowledged","title":"Disk full"}}}"#;
//! let mut guard = ReplayGuard::new(1000)?;
//! let mut handled = Vec::new();
//! for _delivery in 0..2 {
//!     // (verify the signature first: pagerduty_core::webhook::WebhookVerifier)
//!     if guard.seen("0f4b6a1e-webhook-id") {
//!         continue; // a re-delivery: answer 2xx, do nothing
//!     }
//!     let event = parse_typed(body)?;
//!     let mut router = WebhookRouter::new();
//!     router.on(WebhookEventType::IncidentAcknowledged, |e| {
//!         if let WebhookData::Incident(i) = &e.data {
//!             handled.push(i.id.clone());
//!         }
//!     });
//!     router.dispatch(&event);
//!     guard.remember("0f4b6a1e-webhook-id");
//! }
//! assert_eq!(handled, ["P123"]);
//! # Ok::<(), pagerduty_core::Error>(())
//! ```

use std::collections::{HashMap, VecDeque};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::Error;
use crate::models::Reference;

/// The header PagerDuty repeats on every delivery attempt of one webhook.
pub const WEBHOOK_ID_HEADER: &str = "X-Webhook-Id";

/// Every webhook v3 event type PagerDuty documents (developer docs, "Webhooks Overview", and
/// `pagey.ping`, the test event of `POST /webhook_subscriptions/{id}/ping`). The numbers are
/// C's `PD_WEBHOOK_EVENT_TYPE_*` constants; 0 is a type this list does not know.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WebhookEventType {
    /// A type this library does not know: its data is kept as raw JSON.
    Other = 0,
    /// `incident.acknowledged`
    IncidentAcknowledged = 1,
    /// `incident.annotated`
    IncidentAnnotated = 2,
    /// `incident.conference_bridge.updated`
    IncidentConferenceBridgeUpdated = 3,
    /// `incident.custom_field_values.updated`
    IncidentCustomFieldValuesUpdated = 4,
    /// `incident.delegated`
    IncidentDelegated = 5,
    /// `incident.escalated`
    IncidentEscalated = 6,
    /// `incident.incident_type.changed`
    IncidentIncidentTypeChanged = 7,
    /// `incident.priority_updated`
    IncidentPriorityUpdated = 8,
    /// `incident.reassigned`
    IncidentReassigned = 9,
    /// `incident.reopened`
    IncidentReopened = 10,
    /// `incident.resolved`
    IncidentResolved = 11,
    /// `incident.responder.added`
    IncidentResponderAdded = 12,
    /// `incident.responder.replied`
    IncidentResponderReplied = 13,
    /// `incident.role.assigned`
    IncidentRoleAssigned = 14,
    /// `incident.service_updated`
    IncidentServiceUpdated = 15,
    /// `incident.status_update_published`
    IncidentStatusUpdatePublished = 16,
    /// `incident.task.completed`
    IncidentTaskCompleted = 17,
    /// `incident.task.created`
    IncidentTaskCreated = 18,
    /// `incident.task.updated`
    IncidentTaskUpdated = 19,
    /// `incident.triggered`
    IncidentTriggered = 20,
    /// `incident.unacknowledged`
    IncidentUnacknowledged = 21,
    /// `incident.action_invocation.created`
    IncidentActionInvocationCreated = 22,
    /// `incident.action_invocation.terminated`
    IncidentActionInvocationTerminated = 23,
    /// `incident.action_invocation.updated`
    IncidentActionInvocationUpdated = 24,
    /// `incident.workflow.started`
    IncidentWorkflowStarted = 25,
    /// `incident.workflow.completed`
    IncidentWorkflowCompleted = 26,
    /// `service.created`
    ServiceCreated = 27,
    /// `service.custom_field_values.updated`
    ServiceCustomFieldValuesUpdated = 28,
    /// `service.deleted`
    ServiceDeleted = 29,
    /// `service.updated`
    ServiceUpdated = 30,
    /// `pagey.ping`
    PageyPing = 31,
}

impl WebhookEventType {
    /// Every known type, in numeric order (`Other` excluded).
    ///
    /// cbindgen:ignore
    pub const ALL: [WebhookEventType; 31] = [
        Self::IncidentAcknowledged,
        Self::IncidentAnnotated,
        Self::IncidentConferenceBridgeUpdated,
        Self::IncidentCustomFieldValuesUpdated,
        Self::IncidentDelegated,
        Self::IncidentEscalated,
        Self::IncidentIncidentTypeChanged,
        Self::IncidentPriorityUpdated,
        Self::IncidentReassigned,
        Self::IncidentReopened,
        Self::IncidentResolved,
        Self::IncidentResponderAdded,
        Self::IncidentResponderReplied,
        Self::IncidentRoleAssigned,
        Self::IncidentServiceUpdated,
        Self::IncidentStatusUpdatePublished,
        Self::IncidentTaskCompleted,
        Self::IncidentTaskCreated,
        Self::IncidentTaskUpdated,
        Self::IncidentTriggered,
        Self::IncidentUnacknowledged,
        Self::IncidentActionInvocationCreated,
        Self::IncidentActionInvocationTerminated,
        Self::IncidentActionInvocationUpdated,
        Self::IncidentWorkflowStarted,
        Self::IncidentWorkflowCompleted,
        Self::ServiceCreated,
        Self::ServiceCustomFieldValuesUpdated,
        Self::ServiceDeleted,
        Self::ServiceUpdated,
        Self::PageyPing,
    ];

    /// `(event_type, data.type, when PagerDuty sends it)` by number: the one table the
    /// bindings' unions, literals and constants are generated from.
    const INFO: [(&'static str, &'static str, &'static str); 32] = [
        (
            "other",
            "",
            crate::doc("A type this library does not know (data kept as raw JSON)."),
        ),
        (
            "incident.acknowledged",
            "incident",
            crate::doc("An incident was acknowledged."),
        ),
        (
            "incident.annotated",
            "incident_note",
            crate::doc("A note was added to an incident."),
        ),
        (
            "incident.conference_bridge.updated",
            "incident_conference_bridge",
            crate::doc("An incident's conference bridge changed."),
        ),
        (
            "incident.custom_field_values.updated",
            "incident_field_values",
            crate::doc("An incident's custom field values changed."),
        ),
        (
            "incident.delegated",
            "incident",
            crate::doc("An incident was reassigned to another escalation policy."),
        ),
        (
            "incident.escalated",
            "incident",
            crate::doc("An incident was escalated."),
        ),
        (
            "incident.incident_type.changed",
            "incident",
            crate::doc("An incident's type changed."),
        ),
        (
            "incident.priority_updated",
            "incident",
            crate::doc("An incident's priority changed."),
        ),
        (
            "incident.reassigned",
            "incident",
            crate::doc("An incident was reassigned to another user."),
        ),
        (
            "incident.reopened",
            "incident",
            crate::doc("An incident was reopened."),
        ),
        (
            "incident.resolved",
            "incident",
            crate::doc("An incident was resolved."),
        ),
        (
            "incident.responder.added",
            "incident_responder",
            crate::doc("A responder was added to an incident."),
        ),
        (
            "incident.responder.replied",
            "incident_responder",
            crate::doc("A responder replied to a request."),
        ),
        (
            "incident.role.assigned",
            "incident_role_assignment",
            crate::doc("An incident role was assigned or unassigned."),
        ),
        (
            "incident.service_updated",
            "incident",
            crate::doc("An incident moved to another service."),
        ),
        (
            "incident.status_update_published",
            "incident_status_update",
            crate::doc("A status update was added to an incident."),
        ),
        (
            "incident.task.completed",
            "incident_task",
            crate::doc("An incident task was completed."),
        ),
        (
            "incident.task.created",
            "incident_task",
            crate::doc("An incident task was created."),
        ),
        (
            "incident.task.updated",
            "incident_task",
            crate::doc("An incident task was updated."),
        ),
        (
            "incident.triggered",
            "incident",
            crate::doc("An incident was triggered."),
        ),
        (
            "incident.unacknowledged",
            "incident",
            crate::doc("An incident was unacknowledged."),
        ),
        (
            "incident.action_invocation.created",
            "incident_action_invocation",
            crate::doc("An incident action invocation was created."),
        ),
        (
            "incident.action_invocation.terminated",
            "incident_action_invocation",
            crate::doc("An incident action invocation was terminated."),
        ),
        (
            "incident.action_invocation.updated",
            "incident_action_invocation",
            crate::doc("An incident action invocation was updated."),
        ),
        (
            "incident.workflow.started",
            "incident_workflow_instance",
            crate::doc("An incident workflow started."),
        ),
        (
            "incident.workflow.completed",
            "incident_workflow_instance",
            crate::doc("An incident workflow completed."),
        ),
        (
            "service.created",
            "service",
            crate::doc("A service was created."),
        ),
        (
            "service.custom_field_values.updated",
            "service_field_values",
            crate::doc("A service's custom field values changed."),
        ),
        (
            "service.deleted",
            "service",
            crate::doc("A service was deleted."),
        ),
        (
            "service.updated",
            "service",
            crate::doc("A service was updated."),
        ),
        (
            "pagey.ping",
            "ping",
            crate::doc("The test event of a webhook subscription."),
        ),
    ];

    /// PagerDuty's name (`incident.acknowledged`); `"other"` for [`WebhookEventType::Other`].
    pub fn as_str(self) -> &'static str {
        Self::INFO[self as usize].0
    }

    /// The `data.type` of this event type's payload (`incident`, `incident_note`, ...).
    pub fn data_type(self) -> &'static str {
        Self::INFO[self as usize].1
    }

    /// One line saying when PagerDuty sends it; empty in wasm32 builds (only the generated
    /// declarations read it).
    pub fn doc(self) -> &'static str {
        Self::INFO[self as usize].2
    }

    /// The type named `name`, or [`WebhookEventType::Other`].
    pub fn from_name(name: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == name)
            .unwrap_or(Self::Other)
    }

    /// The type numbered `code` (C's constants), if there is one.
    pub fn from_code(code: i32) -> Option<Self> {
        if code == 0 {
            return Some(Self::Other);
        }
        Self::ALL.into_iter().find(|t| *t as i32 == code)
    }
}

/// Fields of a payload that have no typed member.
pub type Extra = Map<String, Value>;

macro_rules! data_struct {
    ($(#[$m:meta])* $name:ident { $($(#[$fm:meta])* $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
        pub struct $name {
            $($(#[$fm])* #[serde(default)] pub $field: $ty,)*
            /// Every other field, as sent.
            #[serde(flatten)]
            pub extra: Extra,
        }
    };
}

data_struct!(
    /// `data.type` `incident`.
    WebhookIncident {
        /// The incident's ID.
        id: String,
        /// Its number.
        number: Option<u64>,
        /// `triggered`, `acknowledged` or `resolved`.
        status: Option<String>,
        /// Its de-duplication key.
        incident_key: Option<String>,
        /// Its title.
        title: Option<String>,
        /// `high` or `low`.
        urgency: Option<String>,
        /// When it was created.
        created_at: Option<String>,
        /// Its web page.
        html_url: Option<String>,
        /// Its service.
        service: Option<Reference>,
        /// Its assignees.
        assignees: Vec<Reference>,
        /// Its escalation policy.
        escalation_policy: Option<Reference>,
        /// Its teams.
        teams: Vec<Reference>,
        /// Its priority.
        priority: Option<Reference>,
    }
);
data_struct!(
    /// `data.type` `incident_note`.
    WebhookIncidentNote {
        /// The note's ID.
        id: String,
        /// Its text.
        content: Option<String>,
        /// Whether `content` was cut short.
        trimmed: Option<bool>,
        /// The incident.
        incident: Option<Reference>,
    }
);
data_struct!(
    /// `data.type` `incident_conference_bridge`.
    WebhookConferenceBridge {
        /// The incident.
        incident: Option<Reference>,
        /// `[{"label", "number"}]`.
        conference_numbers: Vec<Value>,
        /// The bridge's URL.
        conference_url: Option<String>,
    }
);
data_struct!(
    /// `data.type` `incident_field_values` and `service_field_values`.
    WebhookFieldValues {
        /// The incident (for `incident_field_values`).
        incident: Option<Reference>,
        /// The service (for `service_field_values`).
        service: Option<Reference>,
        /// Every custom field's value now.
        custom_fields: Vec<Value>,
        /// The fields that changed.
        changed_custom_fields: Vec<Value>,
    }
);
data_struct!(
    /// `data.type` `incident_responder`.
    WebhookResponder {
        /// The incident.
        incident: Option<Reference>,
        /// The responder.
        user: Option<Reference>,
        /// The escalation policy asked, if any.
        escalation_policy: Option<Reference>,
        /// The request's message.
        message: Option<String>,
        /// `pending`, `joined`, `declined`.
        state: Option<String>,
    }
);
data_struct!(
    /// `data.type` `incident_role_assignment`.
    WebhookRoleAssignment {
        /// The assignments.
        incident_role_assignments: Vec<Value>,
    }
);
data_struct!(
    /// `data.type` `incident_status_update`.
    WebhookStatusUpdate {
        /// The update's ID.
        id: String,
        /// Its text.
        message: Option<String>,
        /// Whether `message` was cut short.
        trimmed: Option<bool>,
        /// The incident.
        incident: Option<Reference>,
    }
);
data_struct!(
    /// `data.type` `incident_task`.
    WebhookTask {
        /// The task's ID.
        id: String,
        /// Its name.
        name: Option<String>,
        /// Its description.
        description: Option<String>,
        /// `todo`, `done`, ...
        status: Option<String>,
        /// Its assignees.
        assignees: Vec<Reference>,
        /// The incident.
        incident: Option<Reference>,
    }
);
data_struct!(
    /// `data.type` `incident_action_invocation`.
    WebhookActionInvocation {
        /// The invocation's ID.
        id: String,
        /// `created`, `running`, `terminated`, ...
        state: Option<String>,
        /// The action.
        action: Option<Reference>,
        /// The incident.
        incident: Option<Reference>,
    }
);
data_struct!(
    /// `data.type` `incident_workflow_instance`.
    WebhookWorkflowInstance {
        /// The instance's ID.
        id: String,
        /// Its name.
        summary: Option<String>,
        /// The workflow.
        incident_workflow: Option<Reference>,
        /// What started it.
        workflow_trigger: Option<Reference>,
        /// The incident.
        incident: Option<Reference>,
        /// The service.
        service: Option<Reference>,
    }
);
data_struct!(
    /// `data.type` `service`.
    WebhookService {
        /// The service's ID.
        id: String,
        /// Its name.
        summary: Option<String>,
        /// Its teams.
        teams: Vec<Reference>,
    }
);
data_struct!(
    /// `data.type` `ping` (`pagey.ping`).
    WebhookPing {
        /// "Hello from your friend Pagey!" and the like.
        message: Option<String>,
    }
);

/// An event's `data`, typed by its event type.
#[derive(Debug, Clone, PartialEq)]
pub enum WebhookData {
    /// `incident`.
    Incident(WebhookIncident),
    /// `incident_note`.
    Note(WebhookIncidentNote),
    /// `incident_conference_bridge`.
    ConferenceBridge(WebhookConferenceBridge),
    /// `incident_field_values` and `service_field_values`.
    FieldValues(WebhookFieldValues),
    /// `incident_responder`.
    Responder(WebhookResponder),
    /// `incident_role_assignment`.
    RoleAssignment(WebhookRoleAssignment),
    /// `incident_status_update`.
    StatusUpdate(WebhookStatusUpdate),
    /// `incident_task`.
    Task(WebhookTask),
    /// `incident_action_invocation`.
    ActionInvocation(WebhookActionInvocation),
    /// `incident_workflow_instance`.
    WorkflowInstance(WebhookWorkflowInstance),
    /// `service`.
    Service(WebhookService),
    /// `ping`.
    Ping(WebhookPing),
    /// An unknown event type, or data not of its documented shape: the JSON as sent.
    Other(Value),
}

impl WebhookData {
    /// `data` read as the kind `kind` documents; [`WebhookData::Other`] when it does not fit.
    pub fn read(kind: WebhookEventType, data: &Value) -> WebhookData {
        fn as_<T: DeserializeOwned>(v: &Value, f: fn(T) -> WebhookData) -> WebhookData {
            serde_json::from_value(v.clone())
                .map(f)
                .unwrap_or_else(|_| WebhookData::Other(v.clone()))
        }
        if !data.is_object() {
            return WebhookData::Other(data.clone());
        }
        match kind.data_type() {
            "incident" => as_(data, WebhookData::Incident),
            "incident_note" => as_(data, WebhookData::Note),
            "incident_conference_bridge" => as_(data, WebhookData::ConferenceBridge),
            "incident_field_values" | "service_field_values" => as_(data, WebhookData::FieldValues),
            "incident_responder" => as_(data, WebhookData::Responder),
            "incident_role_assignment" => as_(data, WebhookData::RoleAssignment),
            "incident_status_update" => as_(data, WebhookData::StatusUpdate),
            "incident_task" => as_(data, WebhookData::Task),
            "incident_action_invocation" => as_(data, WebhookData::ActionInvocation),
            "incident_workflow_instance" => as_(data, WebhookData::WorkflowInstance),
            "service" => as_(data, WebhookData::Service),
            "ping" => as_(data, WebhookData::Ping),
            _ => WebhookData::Other(data.clone()),
        }
    }
}

/// A webhook v3 event with its type and data typed.
#[derive(Debug, Clone, PartialEq)]
pub struct TypedWebhookEvent {
    /// The type; [`WebhookEventType::Other`] for one this library does not know.
    pub kind: WebhookEventType,
    /// The event as sent (`event_type` as PagerDuty spelled it, `data` as raw JSON).
    pub raw: crate::webhook::WebhookEvent,
    /// `data`, typed.
    pub data: WebhookData,
}

impl TypedWebhookEvent {
    /// The typed form of a parsed event.
    pub fn from_event(raw: crate::webhook::WebhookEvent) -> Self {
        let kind = WebhookEventType::from_name(&raw.event_type);
        let data = WebhookData::read(kind, &raw.data);
        TypedWebhookEvent { kind, raw, data }
    }
}

/// Parses a webhook v3 payload (verify it first) into a typed event. An unknown event type is
/// not an error: it is [`WebhookEventType::Other`] with its data as raw JSON.
pub fn parse_typed(body: &[u8]) -> Result<TypedWebhookEvent, Error> {
    crate::webhook::parse_event(body).map(TypedWebhookEvent::from_event)
}

type Handler<'a> = Box<dyn FnMut(&TypedWebhookEvent) + 'a>;

/// Calls the handlers registered for an event's type.
#[derive(Default)]
pub struct WebhookRouter<'a> {
    handlers: HashMap<WebhookEventType, Vec<Handler<'a>>>,
    other: Vec<Handler<'a>>,
}

impl std::fmt::Debug for WebhookRouter<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookRouter")
            .field("types", &self.handlers.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl<'a> WebhookRouter<'a> {
    /// A router with no handlers.
    pub fn new() -> Self {
        Self::default()
    }

    /// Calls `f` for every event of type `kind` (`Other`: for every event of an unknown type).
    pub fn on(&mut self, kind: WebhookEventType, f: impl FnMut(&TypedWebhookEvent) + 'a) {
        if kind == WebhookEventType::Other {
            self.other.push(Box::new(f));
        } else {
            self.handlers.entry(kind).or_default().push(Box::new(f));
        }
    }

    /// Calls the handlers of the event's type, in the order registered; the number called.
    pub fn dispatch(&mut self, event: &TypedWebhookEvent) -> usize {
        let list = if event.kind == WebhookEventType::Other {
            &mut self.other
        } else {
            match self.handlers.get_mut(&event.kind) {
                Some(l) => l,
                None => return 0,
            }
        };
        for h in list.iter_mut() {
            h(event);
        }
        list.len()
    }
}

/// The largest capacity a [`ReplayGuard`] takes.
pub const MAX_REPLAY_CAPACITY: usize = 10_000_000;

/// The `X-Webhook-Id`s of the webhooks handled, the least recently seen forgotten first when
/// full (a bounded LRU). One guard per receiver, owned by the caller; a process restart forgets.
///
/// Ask [`seen`](ReplayGuard::seen) before handling and call
/// [`remember`](ReplayGuard::remember) only once the webhook was handled: a delivery that
/// failed (and was answered with an error) is then handled again when PagerDuty retries it.
#[derive(Debug, Clone)]
pub struct ReplayGuard {
    capacity: usize,
    tick: u64,
    /// Each ID's last use.
    by_id: HashMap<String, u64>,
    /// `(tick, id)` in the order of use, oldest first; an entry whose tick is no longer its
    /// ID's (touched again since, or forgotten) is stale, skipped and dropped. A queue, not a
    /// `BTreeMap<u64, String>` by tick: the map's code was about 5 KB of the npm package's
    /// .wasm for this one type.
    by_tick: VecDeque<(u64, String)>,
}

impl ReplayGuard {
    /// A guard that remembers up to `capacity` IDs (1 to [`MAX_REPLAY_CAPACITY`]).
    pub fn new(capacity: usize) -> Result<Self, Error> {
        if capacity == 0 || capacity > MAX_REPLAY_CAPACITY {
            return Err(Error::invalid(
                "capacity",
                format!("must be 1 to {MAX_REPLAY_CAPACITY}"),
            ));
        }
        Ok(ReplayGuard {
            capacity,
            tick: 0,
            by_id: HashMap::new(),
            by_tick: VecDeque::new(),
        })
    }

    /// Whether the webhook `id` was handled (and remembered) before; a hit counts as recent
    /// use. An empty ID (no header) is never seen.
    pub fn seen(&mut self, id: &str) -> bool {
        if self.by_id.contains_key(id) {
            self.touch(id);
            true
        } else {
            false
        }
    }

    /// Records the webhook `id` as handled (an empty ID is ignored), forgetting the least
    /// recently seen one when full.
    pub fn remember(&mut self, id: &str) {
        if id.is_empty() {
            return;
        }
        if self.by_id.contains_key(id) {
            self.touch(id);
            return;
        }
        if self.by_id.len() >= self.capacity {
            // The least recently used: the first entry still current.
            while let Some((t, oldest)) = self.by_tick.pop_front() {
                if self.by_id.get(&oldest) == Some(&t) {
                    self.by_id.remove(&oldest);
                    break;
                }
            }
        }
        self.tick += 1;
        self.by_id.insert(id.to_owned(), self.tick);
        self.push(id);
    }

    /// Forgets `id` (a handler that failed after all). Its queue entry goes stale.
    pub fn forget(&mut self, id: &str) {
        self.by_id.remove(id);
    }

    /// How many IDs are remembered.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// The most IDs it remembers.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    fn touch(&mut self, id: &str) {
        if let Some(t) = self.by_id.get_mut(id) {
            self.tick += 1;
            *t = self.tick;
            self.push(id);
        }
    }

    /// Queues `id` at the current tick; past twice the live entries (and a few), drops the
    /// stale ones: amortized constant time per use, and after a use at most twice the entries
    /// (and 16) of the IDs remembered.
    fn push(&mut self, id: &str) {
        self.by_tick.push_back((self.tick, id.to_owned()));
        if self.by_tick.len() > 2 * self.by_id.len() + 16 {
            let by_id = &self.by_id;
            self.by_tick.retain(|(t, id)| by_id.get(id) == Some(t));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_complete_and_numbered_in_order() {
        assert_eq!(
            WebhookEventType::INFO.len(),
            WebhookEventType::ALL.len() + 1
        );
        for (i, t) in WebhookEventType::ALL.into_iter().enumerate() {
            assert_eq!(t as usize, i + 1);
            assert_eq!(WebhookEventType::from_name(t.as_str()), t);
            assert_eq!(WebhookEventType::from_code(t as i32), Some(t));
            assert!(!t.data_type().is_empty());
        }
        let mut names: Vec<_> = WebhookEventType::ALL.iter().map(|t| t.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 31);
        let mut kinds: Vec<_> = WebhookEventType::ALL
            .iter()
            .map(|t| t.data_type())
            .collect();
        kinds.sort_unstable();
        kinds.dedup();
        assert_eq!(kinds.len(), 13, "{kinds:?}");
        assert_eq!(
            WebhookEventType::from_name("incident.exploded"),
            WebhookEventType::Other
        );
        assert_eq!(WebhookEventType::from_code(99), None);
    }

    fn payload(event_type: &str, data: &str) -> Vec<u8> {
        format!(r#"{{"event":{{"id":"E1","event_type":"{event_type}","resource_type":"incident","occurred_at":"2020-10-02T18:45:22.169Z","agent":null,"client":null,"data":{data}}}}}"#).into_bytes()
    }

    #[test]
    fn documented_examples_are_typed_and_unknown_types_are_kept() {
        let e = parse_typed(&payload(
            "incident.priority_updated",
            r#"{"id":"PGR0VU2","type":"incident","number":2,"status":"triggered","incident_key":"d3640fbd41094207a1c11e58e46b1662","title":"A little bump in the road","priority":{"id":"PSO75BM","summary":"P1","type":"priority_reference"},"urgency":"high","resolve_reason":null}"#,
        ))
        .unwrap();
        assert_eq!(e.kind, WebhookEventType::IncidentPriorityUpdated);
        let WebhookData::Incident(i) = &e.data else {
            panic!("{:?}", e.data)
        };
        assert_eq!(i.priority.as_ref().unwrap().summary.as_deref(), Some("P1"));
        assert_eq!(i.extra["resolve_reason"], Value::Null);

        let e = parse_typed(&payload(
            "incident.annotated",
            r#"{"incident":{"id":"PGR0VU2","type":"incident_reference"},"id":"P2LA89X","content":"I sure am glad we are using PagerDuty!","trimmed":false,"type":"incident_note"}"#,
        ))
        .unwrap();
        assert!(
            matches!(&e.data, WebhookData::Note(n) if n.content.as_deref() == Some("I sure am glad we are using PagerDuty!"))
        );

        let e = parse_typed(&payload("incident.exploded", r#"{"boom":[1,2]}"#)).unwrap();
        assert_eq!(e.kind, WebhookEventType::Other);
        assert_eq!(e.raw.event_type, "incident.exploded");
        assert_eq!(
            e.data,
            WebhookData::Other(serde_json::json!({"boom": [1, 2]}))
        );

        // A known type whose data is not of its shape is kept, not refused.
        let e = parse_typed(&payload("incident.triggered", r#"{"id": 5}"#)).unwrap();
        assert_eq!(e.kind, WebhookEventType::IncidentTriggered);
        assert!(matches!(e.data, WebhookData::Other(_)));
    }

    #[test]
    fn the_router_calls_handlers_of_the_type_only() {
        let calls = std::cell::RefCell::new(Vec::new());
        {
            let mut r = WebhookRouter::new();
            r.on(WebhookEventType::IncidentResolved, |e| {
                calls.borrow_mut().push(format!("resolved {}", e.raw.id))
            });
            r.on(WebhookEventType::Other, |e| {
                calls
                    .borrow_mut()
                    .push(format!("other {}", e.raw.event_type))
            });
            for t in ["incident.resolved", "incident.triggered", "x.y"] {
                r.dispatch(&parse_typed(&payload(t, "{}")).unwrap());
            }
        }
        assert_eq!(calls.into_inner(), ["resolved E1", "other x.y"]);
    }

    #[test]
    fn the_replay_guard_is_a_bounded_lru() {
        assert!(ReplayGuard::new(0).is_err());
        let mut g = ReplayGuard::new(2).unwrap();
        assert!(!g.seen("a"));
        g.remember("a");
        g.remember("b");
        assert!(g.seen("a")); // a is now the most recent
        g.remember("c"); // b goes
        assert!(!g.seen("b"));
        assert!(g.seen("a") && g.seen("c"));
        assert_eq!(g.len(), 2);
        g.forget("a");
        assert!(!g.seen("a"));
        g.remember("");
        assert!(!g.seen(""));
    }

    #[test]
    fn the_replay_guard_forgets_as_a_map_by_tick_did() {
        // The BTreeMap-by-tick LRU the queue replaced.
        struct Model {
            capacity: usize,
            tick: u64,
            by_id: HashMap<String, u64>,
            by_tick: std::collections::BTreeMap<u64, String>,
        }
        impl Model {
            fn touch(&mut self, id: &str) {
                if let Some(t) = self.by_id.get_mut(id) {
                    self.by_tick.remove(t);
                    self.tick += 1;
                    *t = self.tick;
                    self.by_tick.insert(self.tick, id.to_owned());
                }
            }
        }
        for capacity in [1, 2, 3, 7, 40] {
            let mut g = ReplayGuard::new(capacity).unwrap();
            let mut m = Model {
                capacity,
                tick: 0,
                by_id: HashMap::new(),
                by_tick: Default::default(),
            };
            let mut rng = crate::test_rng::Rng(0x2545_f491_4f6c_dd1du64 + capacity as u64);
            for _ in 0..50_000 {
                let state = rng.next();
                let id = format!("w{}", (state >> 8) % 60);
                let used = state % 3 == 1 || state % 3 == 0 && m.by_id.contains_key(&id);
                match state % 3 {
                    0 => {
                        let hit = m.by_id.contains_key(&id);
                        if hit {
                            m.touch(&id);
                        }
                        assert_eq!(g.seen(&id), hit);
                    }
                    1 => {
                        g.remember(&id);
                        if m.by_id.contains_key(&id) {
                            m.touch(&id);
                        } else {
                            if m.by_id.len() >= m.capacity {
                                if let Some((_, oldest)) = m.by_tick.pop_first() {
                                    m.by_id.remove(&oldest);
                                }
                            }
                            m.tick += 1;
                            m.by_id.insert(id.clone(), m.tick);
                            m.by_tick.insert(m.tick, id);
                        }
                    }
                    _ => {
                        g.forget(&id);
                        if let Some(t) = m.by_id.remove(&id) {
                            m.by_tick.remove(&t);
                        }
                    }
                }
                assert_eq!(g.by_id, m.by_id);
                if used {
                    // (A forget leaves its entry for the next use's compaction.)
                    assert!(g.by_tick.len() <= 2 * g.by_id.len() + 16);
                }
            }
        }
    }
}
