//! Typed REST resources: the fields people use, with every other field kept in `extra` so
//! nothing PagerDuty sends is lost (and new fields need no release).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Fields of a resource that have no typed member.
pub type Extra = Map<String, Value>;

/// A reference to another resource (`{"id": "P1", "type": "service_reference", ...}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Reference {
    /// ID.
    pub id: String,
    /// `service_reference`, `user`, ...
    #[serde(rename = "type", default)]
    pub kind: String,
    /// A short description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The API URL of the resource.
    #[serde(rename = "self", default, skip_serializing_if = "Option::is_none")]
    pub self_url: Option<String>,
    /// The web URL of the resource.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html_url: Option<String>,
}

impl Reference {
    /// `{"id": id, "type": kind}`.
    pub fn new(id: &str, kind: &str) -> Self {
        Reference {
            id: id.to_owned(),
            kind: kind.to_owned(),
            ..Reference::default()
        }
    }
}

macro_rules! resource {
    ($(#[$doc:meta])* $name:ident { $($(#[$fdoc:meta])* $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
        pub struct $name {
            /// ID.
            pub id: String,
            /// Resource type.
            #[serde(rename = "type", default)]
            pub kind: String,
            /// A short description.
            #[serde(default)]
            pub summary: Option<String>,
            /// The web URL.
            #[serde(default)]
            pub html_url: Option<String>,
            $($(#[$fdoc])* #[serde(default)] pub $field: $ty,)*
            /// Every other field, as sent.
            #[serde(flatten)]
            pub extra: Extra,
        }
    };
}

resource!(
    /// An incident.
    Incident {
        /// The incident's number in the account.
        incident_number: Option<u64>,
        /// Title.
        title: Option<String>,
        /// `triggered`, `acknowledged` or `resolved`.
        status: Option<String>,
        /// `high` or `low`.
        urgency: Option<String>,
        /// When it was created (ISO 8601).
        created_at: Option<String>,
        /// When its status last changed.
        last_status_change_at: Option<String>,
        /// The de-duplication key.
        incident_key: Option<String>,
        /// The service.
        service: Option<Reference>,
        /// The escalation policy.
        escalation_policy: Option<Reference>,
        /// The priority.
        priority: Option<Reference>,
        /// Teams.
        teams: Vec<Reference>,
        /// Current assignments (`{"at": .., "assignee": {..}}`).
        assignments: Vec<Value>,
    }
);

resource!(
    /// A note on an incident.
    Note {
        /// Text.
        content: Option<String>,
        /// When it was written.
        created_at: Option<String>,
        /// Who wrote it.
        user: Option<Reference>,
    }
);

resource!(
    /// A log entry.
    LogEntry {
        /// When it happened.
        created_at: Option<String>,
        /// Who or what caused it.
        agent: Option<Reference>,
        /// The channel it came through.
        channel: Option<Value>,
        /// The incident.
        incident: Option<Reference>,
    }
);

resource!(
    /// An alert.
    Alert {
        /// `triggered` or `resolved`.
        status: Option<String>,
        /// The de-duplication key.
        alert_key: Option<String>,
        /// When it was created.
        created_at: Option<String>,
        /// `critical`, `error`, `warning` or `info`.
        severity: Option<String>,
        /// The incident it belongs to.
        incident: Option<Reference>,
        /// The service.
        service: Option<Reference>,
        /// The event body that created it.
        body: Option<Value>,
    }
);

resource!(
    /// A service.
    Service {
        /// Name.
        name: Option<String>,
        /// Description.
        description: Option<String>,
        /// `active`, `warning`, `critical`, `maintenance` or `disabled`.
        status: Option<String>,
        /// Its escalation policy.
        escalation_policy: Option<Reference>,
        /// Teams.
        teams: Vec<Reference>,
        /// Integrations.
        integrations: Vec<Reference>,
    }
);

resource!(
    /// A user.
    User {
        /// Name.
        name: Option<String>,
        /// Email.
        email: Option<String>,
        /// Role (`admin`, `user`, `limited_user`, `read_only_user`, ...).
        role: Option<String>,
        /// Time zone.
        time_zone: Option<String>,
        /// Contact methods.
        contact_methods: Vec<Reference>,
        /// Notification rules.
        notification_rules: Vec<Reference>,
        /// Teams.
        teams: Vec<Reference>,
    }
);

resource!(
    /// A contact method (email, phone, SMS, push).
    ContactMethod {
        /// A label.
        label: Option<String>,
        /// The address, number or device.
        address: Option<String>,
        /// Country code for phone and SMS.
        country_code: Option<u32>,
    }
);

resource!(
    /// A notification rule.
    NotificationRule {
        /// Minutes after the incident starts.
        start_delay_in_minutes: Option<u32>,
        /// `high` or `low`.
        urgency: Option<String>,
        /// Which contact method.
        contact_method: Option<Reference>,
    }
);

resource!(
    /// An on-call schedule.
    Schedule {
        /// Name.
        name: Option<String>,
        /// Time zone.
        time_zone: Option<String>,
        /// Description.
        description: Option<String>,
        /// Users in the schedule.
        users: Vec<Reference>,
        /// Escalation policies that use it.
        escalation_policies: Vec<Reference>,
    }
);

resource!(
    /// A schedule override.
    Override {
        /// Start.
        start: Option<String>,
        /// End.
        end: Option<String>,
        /// Who is on call instead.
        user: Option<Reference>,
    }
);

resource!(
    /// An escalation policy.
    EscalationPolicy {
        /// Name.
        name: Option<String>,
        /// Escalation rules.
        escalation_rules: Vec<Value>,
        /// Services that use it.
        services: Vec<Reference>,
        /// Times the rules repeat.
        num_loops: Option<u32>,
    }
);

resource!(
    /// A team.
    Team {
        /// Name.
        name: Option<String>,
        /// Description.
        description: Option<String>,
    }
);

resource!(
    /// A priority.
    Priority {
        /// Name (`P1`).
        name: Option<String>,
        /// Description.
        description: Option<String>,
    }
);

resource!(
    /// A tag.
    Tag {
        /// The tag's text.
        label: Option<String>,
    }
);

resource!(
    /// A change event as the REST API lists it.
    ChangeEvent {
        /// When it happened.
        timestamp: Option<String>,
        /// Services it touched.
        services: Vec<Reference>,
        /// The integration it came through.
        integration: Option<Reference>,
        /// Links.
        links: Vec<Value>,
    }
);

/// An on-call entry: who is on call, for which policy, level and schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct OnCall {
    /// The user.
    #[serde(default)]
    pub user: Option<Reference>,
    /// The schedule, if the on-call comes from one.
    #[serde(default)]
    pub schedule: Option<Reference>,
    /// The escalation policy.
    #[serde(default)]
    pub escalation_policy: Option<Reference>,
    /// The escalation level.
    #[serde(default)]
    pub escalation_level: Option<u32>,
    /// Start (null means always on call).
    #[serde(default)]
    pub start: Option<String>,
    /// End.
    #[serde(default)]
    pub end: Option<String>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_are_kept_and_round_trip() {
        let json = r#"{"id":"P1","type":"incident","title":"x","incident_number":7,"brand_new_field":{"a":1},"teams":[]}"#;
        let i: Incident = serde_json::from_str(json).unwrap();
        assert_eq!(i.incident_number, Some(7));
        assert_eq!(i.extra["brand_new_field"]["a"], 1);
        let back = serde_json::to_value(&i).unwrap();
        assert_eq!(back["brand_new_field"]["a"], 1);
        assert_eq!(back["type"], "incident");
    }

    #[test]
    fn sparse_resources_parse() {
        let u: User = serde_json::from_str(r#"{"id":"PU1"}"#).unwrap();
        assert_eq!(u.id, "PU1");
        assert!(u.email.is_none());
        assert!(serde_json::from_str::<User>(r#"{"name":"no id"}"#).is_err());
    }
}
