//! Every typed operation, once: name, method, the spec's path template, arguments with their
//! types, what it returns, how it pages, a one-line doc, and the typed helper that builds it.
//!
//! This table is the contract between the core and its bindings. The C ABI (`pd_rest_op`,
//! `pd_pager_op`), the JavaScript package and the Python package dispatch through it by name
//! ([`op`], [`pager`]) with the arguments as one JSON object, checked here against the table
//! (unknown, missing and wrongly typed arguments are refused naming `args.<name>`) before the
//! typed helper runs. Their methods, type declarations and `docs/operations.md` are generated
//! from it (`core/tests/generated.rs`), and the spec tests check each row against PagerDuty's
//! official OpenAPI document: adding a row here is all it takes to reach every runtime.

use serde_json::{Map, Value};

use crate::error::Error;
use crate::http::Method;
use crate::operations::incidents::{IncidentFilter, IncidentUpdate, NewIncident};
use crate::operations::oncalls::OnCallFilter;
use crate::operations::tags::Taggable;
use crate::operations::{JsonOp, ListFilter};
use crate::pagination::Pager;
use crate::read_value::{self, Read, Shape};
use crate::rest::Rest;

/// The type of an argument (and what a binding declares for it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    /// A PagerDuty ID (letters, digits, `_`, `-`).
    Id,
    /// Any string.
    Str,
    /// An ISO 8601 date and time.
    DateTime,
    /// A non-negative whole number.
    Int,
    /// `true` or `false`.
    Bool,
    /// One of these strings.
    Enum(&'static [&'static str]),
    /// A list of strings.
    Strs,
    /// A list of PagerDuty IDs.
    Ids,
    /// A list of these strings.
    Enums(&'static [&'static str]),
    /// An object with these fields.
    Object(&'static [Arg]),
    /// A list of objects with these fields.
    Objects(&'static [Arg]),
    /// Any JSON object, sent as given (its shape is PagerDuty's: see the spec).
    Json,
}

/// One argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arg {
    /// The name, as in PagerDuty's API (snake_case).
    pub name: &'static str,
    /// Its type.
    pub ty: Type,
    /// Whether it must be given.
    pub required: bool,
    /// Whether it fills a parameter of the path template (bindings take these first, by
    /// position).
    pub in_path: bool,
    /// One line (empty in wasm32 builds: only the generated declarations read it).
    pub doc: &'static str,
}

/// What an operation gives back. The names are PagerDuty's resource types, which the bindings
/// declare from the official spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Returns {
    /// One resource.
    One(&'static str),
    /// A list of resources, in one answer.
    Many(&'static str),
    /// The resources of a list endpoint, page by page (an iterator in every binding).
    Pages(&'static str),
    /// `true` or `false`.
    Bool,
    /// Nothing (`null`).
    Nothing,
    /// A list of strings.
    Strings,
    /// One resource, or `null` when there is none.
    Maybe(&'static str),
}

/// How an operation is built from its arguments.
#[derive(Clone, Copy)]
pub enum Build {
    /// One request.
    Op(fn(&Rest, &Args) -> Result<JsonOp, Error>),
    /// A list walk.
    Pager(fn(&Rest, &Args) -> Result<Pager, Error>),
}

/// One row of the registry.
#[derive(Clone, Copy)]
pub struct Operation {
    /// The name in every runtime (snake_case; camelCase in JavaScript).
    pub name: &'static str,
    /// HTTP method.
    pub method: Method,
    /// The spec's path template.
    pub path: &'static str,
    /// The arguments, in the order bindings take the required ones.
    pub args: &'static [Arg],
    /// What it gives back.
    pub returns: Returns,
    /// One line (empty in wasm32 builds: only the generated declarations read it).
    pub doc: &'static str,
    /// The typed helper.
    pub build: Build,
}

impl std::fmt::Debug for Operation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Operation")
            .field("name", &self.name)
            .field("method", &self.method)
            .field("path", &self.path)
            .finish()
    }
}

/// An operation's arguments, checked against its row.
#[derive(Debug)]
pub struct Args<'a>(&'a Map<String, Value>);

impl Args<'_> {
    // Each argument read by hand with serde's messages, not `serde_json::from_value` per type
    // (crate::read_value says why).
    fn get<T>(&self, name: &str, read: fn(&Value) -> Read<T>) -> Result<T, Error> {
        read(self.0.get(name).unwrap_or(&Value::Null))
            .map_err(|e| Error::invalid(format!("args.{name}"), e))
    }
    fn opt<T>(&self, name: &str, read: fn(&Value) -> Read<T>) -> Result<Option<T>, Error> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(_) => self.get(name, read).map(Some),
        }
    }
    fn s(&self, name: &str) -> Result<String, Error> {
        self.get(name, read_value::string)
    }
    fn opt_s(&self, name: &str) -> Result<Option<String>, Error> {
        self.opt(name, read_value::string)
    }
    fn strs(&self, name: &str) -> Result<Vec<String>, Error> {
        Ok(self.opt(name, read_value::strings)?.unwrap_or_default())
    }
    fn value(&self, name: &str) -> Value {
        self.0.get(name).cloned().unwrap_or(Value::Null)
    }
    /// The whole object as `T` (for helpers that take a filter or body struct).
    fn all<T>(&self, read: fn(&Value) -> Read<T>) -> Result<T, Error> {
        read(&Value::Object(self.0.clone())).map_err(|e| Error::invalid("args", e))
    }
    fn list_filter(&self) -> Result<ListFilter, Error> {
        Ok(ListFilter {
            query: self.opt_s("query")?,
            team_ids: self.strs("team_ids")?,
            include: self.strs("include")?,
            limit: self.opt("limit", read_value::u32)?,
        })
    }
    fn taggable(&self) -> Result<Taggable, Error> {
        Ok(match self.s("entity_type")?.as_str() {
            "users" => Taggable::Users,
            "teams" => Taggable::Teams,
            _ => Taggable::EscalationPolicies,
        })
    }
}

// Argument rows used by several operations.
const fn req(name: &'static str, ty: Type, doc: &'static str) -> Arg {
    Arg {
        name,
        ty,
        required: true,
        in_path: false,
        doc: crate::doc(doc),
    }
}
const fn opt(name: &'static str, ty: Type, doc: &'static str) -> Arg {
    Arg {
        name,
        ty,
        required: false,
        in_path: false,
        doc: crate::doc(doc),
    }
}
/// A path parameter (always required).
const fn path(name: &'static str, ty: Type, doc: &'static str) -> Arg {
    Arg {
        name,
        ty,
        required: true,
        in_path: true,
        doc: crate::doc(doc),
    }
}

const ID: Arg = path("id", Type::Id, "The resource's ID.");
const SINCE: Arg = opt("since", Type::DateTime, "Start of the window (ISO 8601).");
const UNTIL: Arg = opt("until", Type::DateTime, "End of the window (ISO 8601).");
const LIMIT: Arg = opt("limit", Type::Int, "Page size, 1 to 100.");
const QUERY: Arg = opt("query", Type::Str, "Only those whose name matches.");
const TEAM_IDS: Arg = opt("team_ids", Type::Ids, "Only these teams'.");
const INCLUDE: Arg = opt("include", Type::Strs, "Related resources to include.");
const LIST: &[Arg] = &[QUERY, TEAM_IDS, INCLUDE, LIMIT];

const STATUSES: &[&str] = &["triggered", "acknowledged", "resolved"];
const URGENCIES: &[&str] = &["high", "low"];
const TAGGABLE: &[&str] = &["users", "teams", "escalation_policies"];

const INCIDENT_UPDATE: &[Arg] = &[
    opt("status", Type::Enum(STATUSES), "acknowledged or resolved."),
    opt("title", Type::Str, "A new title."),
    opt("urgency", Type::Enum(URGENCIES), "high or low."),
    opt("resolution", Type::Str, "Why it was resolved (a note)."),
    opt("escalation_level", Type::Int, "Escalate to this level."),
    opt("assignee_ids", Type::Ids, "Reassign to these users."),
    opt(
        "escalation_policy_id",
        Type::Id,
        "Move to this escalation policy.",
    ),
    opt("priority_id", Type::Id, "Set this priority."),
];

/// Every typed operation, in the order of the spec's resources.
pub const OPERATIONS: &[Operation] = &[
    Operation {
        name: "list_incidents",
        method: Method::Get,
        path: "/incidents",
        args: &[
            SINCE,
            UNTIL,
            opt(
                "date_range",
                Type::Enum(&["all"]),
                "\"all\" to ignore since/until.",
            ),
            opt("statuses", Type::Enums(STATUSES), "Only these statuses."),
            opt("service_ids", Type::Ids, "Only these services'."),
            TEAM_IDS,
            opt("user_ids", Type::Ids, "Only those assigned to these users."),
            opt("urgencies", Type::Enums(URGENCIES), "Only these urgencies."),
            opt(
                "incident_key",
                Type::Str,
                "Only the incident with this key.",
            ),
            opt("sort_by", Type::Strs, "Sort fields, e.g. created_at:desc."),
            INCLUDE,
            opt("time_zone", Type::Str, "Time zone of the answer's times."),
            opt("total", Type::Bool, "Ask for the total count."),
            LIMIT,
        ],
        returns: Returns::Pages("Incident"),
        doc: crate::doc("Incidents matching the filters, page by page."),
        build: Build::Pager(|r, a| r.list_incidents(&a.all(IncidentFilter::read)?)),
    },
    Operation {
        name: "create_incident",
        method: Method::Post,
        path: "/incidents",
        args: &[
            req("title", Type::Str, "The incident's title."),
            req("service_id", Type::Id, "The service it is on."),
            opt("urgency", Type::Enum(URGENCIES), "high or low."),
            opt("details", Type::Str, "The body's details text."),
            opt("incident_key", Type::Str, "Deduplication key."),
            opt("priority_id", Type::Id, "Its priority."),
            opt("escalation_policy_id", Type::Id, "Its escalation policy."),
            opt("assignee_ids", Type::Ids, "Assign to these users."),
        ],
        returns: Returns::One("Incident"),
        doc: crate::doc("Opens an incident."),
        build: Build::Op(|r, a| {
            Ok(r.create_incident(&a.all(NewIncident::read)?)?
                .into_json_op())
        }),
    },
    Operation {
        name: "find_incident_by_key",
        method: Method::Get,
        path: "/incidents",
        args: &[req(
            "incident_key",
            Type::Str,
            "The incident's key, or its alert's dedup key (never empty).",
        )],
        returns: Returns::Maybe("Incident"),
        doc: crate::doc(
            "The incident with this incident_key (or whose alert has it as dedup key), or null.",
        ),
        build: Build::Op(|r, a| r.find_incident_by_key(&a.s("incident_key")?)),
    },
    Operation {
        name: "manage_incidents",
        method: Method::Put,
        path: "/incidents",
        args: &[req(
            "updates",
            Type::Objects(&[
                req("id", Type::Id, "The incident's ID."),
                req("update", Type::Object(INCIDENT_UPDATE), "What to change."),
            ]),
            "One {id, update} per incident.",
        )],
        returns: Returns::Many("Incident"),
        doc: crate::doc("Updates several incidents at once."),
        build: Build::Op(|r, a| {
            let pairs = a.get("updates", |v| read_value::seq(v, read_one_update))?;
            Ok(r.manage_incidents(&pairs)?.into_json_op())
        }),
    },
    Operation {
        name: "get_incident",
        method: Method::Get,
        path: "/incidents/{id}",
        args: &[ID],
        returns: Returns::One("Incident"),
        doc: crate::doc("One incident."),
        build: Build::Op(|r, a| Ok(r.get_incident(&a.s("id")?)?.into_json_op())),
    },
    Operation {
        name: "update_incident",
        method: Method::Put,
        path: "/incidents/{id}",
        args: &[
            ID,
            req("update", Type::Object(INCIDENT_UPDATE), "What to change."),
        ],
        returns: Returns::One("Incident"),
        doc: crate::doc("Acknowledges, resolves, reassigns or otherwise changes an incident."),
        build: Build::Op(|r, a| {
            Ok(
                r.update_incident(&a.s("id")?, &a.get("update", IncidentUpdate::read)?)?
                    .into_json_op(),
            )
        }),
    },
    Operation {
        name: "merge_incidents",
        method: Method::Put,
        path: "/incidents/{id}/merge",
        args: &[
            ID,
            req(
                "source_ids",
                Type::Ids,
                "The incidents merged into this one.",
            ),
        ],
        returns: Returns::One("Incident"),
        doc: crate::doc("Merges other incidents into this one."),
        build: Build::Op(|r, a| {
            Ok(r.merge_incidents(&a.s("id")?, &a.strs("source_ids")?)?
                .into_json_op())
        }),
    },
    Operation {
        name: "snooze_incident",
        method: Method::Post,
        path: "/incidents/{id}/snooze",
        args: &[ID, req("seconds", Type::Int, "How long to snooze.")],
        returns: Returns::One("Incident"),
        doc: crate::doc("Snoozes an acknowledged incident."),
        build: Build::Op(|r, a| {
            Ok(
                r.snooze_incident(&a.s("id")?, a.get("seconds", read_value::u32)?)?
                    .into_json_op(),
            )
        }),
    },
    Operation {
        name: "list_incident_notes",
        method: Method::Get,
        path: "/incidents/{id}/notes",
        args: &[ID],
        returns: Returns::Many("Note"),
        doc: crate::doc("An incident's notes."),
        build: Build::Op(|r, a| Ok(r.list_incident_notes(&a.s("id")?)?.into_json_op())),
    },
    Operation {
        name: "create_incident_note",
        method: Method::Post,
        path: "/incidents/{id}/notes",
        args: &[ID, req("content", Type::Str, "The note's text.")],
        returns: Returns::One("Note"),
        doc: crate::doc("Adds a note to an incident."),
        build: Build::Op(|r, a| {
            Ok(r.create_incident_note(&a.s("id")?, &a.s("content")?)?
                .into_json_op())
        }),
    },
    Operation {
        name: "list_incident_log_entries",
        method: Method::Get,
        path: "/incidents/{id}/log_entries",
        args: &[ID, SINCE, UNTIL],
        returns: Returns::Pages("LogEntry"),
        doc: crate::doc("An incident's log entries, page by page."),
        build: Build::Pager(|r, a| {
            r.list_incident_log_entries(&a.s("id")?, a.opt_s("since")?, a.opt_s("until")?)
        }),
    },
    Operation {
        name: "list_incident_alerts",
        method: Method::Get,
        path: "/incidents/{id}/alerts",
        args: &[
            ID,
            opt(
                "statuses",
                Type::Enums(&["triggered", "resolved"]),
                "Only these statuses.",
            ),
        ],
        returns: Returns::Pages("Alert"),
        doc: crate::doc("An incident's alerts, page by page."),
        build: Build::Pager(|r, a| {
            let statuses = a.strs("statuses")?;
            let refs: Vec<&str> = statuses.iter().map(String::as_str).collect();
            r.list_incident_alerts(&a.s("id")?, &refs)
        }),
    },
    Operation {
        name: "get_incident_alert",
        method: Method::Get,
        path: "/incidents/{id}/alerts/{alert_id}",
        args: &[ID, path("alert_id", Type::Id, "The alert's ID.")],
        returns: Returns::One("Alert"),
        doc: crate::doc("One alert of an incident."),
        build: Build::Op(|r, a| {
            Ok(r.get_incident_alert(&a.s("id")?, &a.s("alert_id")?)?
                .into_json_op())
        }),
    },
    Operation {
        name: "list_log_entries",
        method: Method::Get,
        path: "/log_entries",
        args: &[SINCE, UNTIL, TEAM_IDS],
        returns: Returns::Pages("LogEntry"),
        doc: crate::doc("The account's log entries, page by page."),
        build: Build::Pager(|r, a| {
            r.list_log_entries(a.opt_s("since")?, a.opt_s("until")?, &a.strs("team_ids")?)
        }),
    },
    Operation {
        name: "get_log_entry",
        method: Method::Get,
        path: "/log_entries/{id}",
        args: &[ID],
        returns: Returns::One("LogEntry"),
        doc: crate::doc("One log entry."),
        build: Build::Op(|r, a| Ok(r.get_log_entry(&a.s("id")?)?.into_json_op())),
    },
    Operation {
        name: "list_services",
        method: Method::Get,
        path: "/services",
        args: LIST,
        returns: Returns::Pages("Service"),
        doc: crate::doc("Services, page by page."),
        build: Build::Pager(|r, a| r.list_services(&a.list_filter()?)),
    },
    Operation {
        name: "create_service",
        method: Method::Post,
        path: "/services",
        args: &[req(
            "service",
            Type::Json,
            "The service (name, escalation_policy, ...).",
        )],
        returns: Returns::One("Service"),
        doc: crate::doc("Creates a service."),
        build: Build::Op(|r, a| Ok(r.create_service(&a.value("service"))?.into_json_op())),
    },
    Operation {
        name: "get_service",
        method: Method::Get,
        path: "/services/{id}",
        args: &[ID],
        returns: Returns::One("Service"),
        doc: crate::doc("One service."),
        build: Build::Op(|r, a| Ok(r.get_service(&a.s("id")?)?.into_json_op())),
    },
    Operation {
        name: "update_service",
        method: Method::Put,
        path: "/services/{id}",
        args: &[ID, req("changes", Type::Json, "The fields to change.")],
        returns: Returns::One("Service"),
        doc: crate::doc("Changes a service."),
        build: Build::Op(|r, a| {
            Ok(r.update_service(&a.s("id")?, &a.value("changes"))?
                .into_json_op())
        }),
    },
    Operation {
        name: "delete_service",
        method: Method::Delete,
        path: "/services/{id}",
        args: &[ID],
        returns: Returns::Nothing,
        doc: crate::doc("Deletes a service."),
        build: Build::Op(|r, a| Ok(r.delete_service(&a.s("id")?)?.into_json_op())),
    },
    Operation {
        name: "create_service_integration",
        method: Method::Post,
        path: "/services/{id}/integrations",
        args: &[
            ID,
            req(
                "integration",
                Type::Json,
                "The integration (type, name, vendor, ...).",
            ),
        ],
        returns: Returns::One("Integration"),
        doc: crate::doc("Adds an integration to a service."),
        build: Build::Op(|r, a| {
            Ok(
                r.create_service_integration(&a.s("id")?, &a.value("integration"))?
                    .into_json_op(),
            )
        }),
    },
    Operation {
        name: "get_service_integration",
        method: Method::Get,
        path: "/services/{id}/integrations/{integration_id}",
        args: &[
            ID,
            path("integration_id", Type::Id, "The integration's ID."),
        ],
        returns: Returns::One("Integration"),
        doc: crate::doc("One integration of a service."),
        build: Build::Op(|r, a| {
            Ok(
                r.get_service_integration(&a.s("id")?, &a.s("integration_id")?)?
                    .into_json_op(),
            )
        }),
    },
    Operation {
        name: "list_service_change_events",
        method: Method::Get,
        path: "/services/{id}/change_events",
        args: &[ID, SINCE, UNTIL],
        returns: Returns::Pages("ChangeEvent"),
        doc: crate::doc("A service's change events, page by page."),
        build: Build::Pager(|r, a| {
            r.list_service_change_events(&a.s("id")?, a.opt_s("since")?, a.opt_s("until")?)
        }),
    },
    Operation {
        name: "list_users",
        method: Method::Get,
        path: "/users",
        args: LIST,
        returns: Returns::Pages("User"),
        doc: crate::doc("Users, page by page."),
        build: Build::Pager(|r, a| r.list_users(&a.list_filter()?)),
    },
    Operation {
        name: "current_user",
        method: Method::Get,
        path: "/users/me",
        args: &[],
        returns: Returns::One("User"),
        doc: crate::doc("The user a user token belongs to."),
        build: Build::Op(|r, _| Ok(r.current_user()?.into_json_op())),
    },
    Operation {
        name: "get_user",
        method: Method::Get,
        path: "/users/{id}",
        args: &[ID],
        returns: Returns::One("User"),
        doc: crate::doc("One user."),
        build: Build::Op(|r, a| Ok(r.get_user(&a.s("id")?)?.into_json_op())),
    },
    Operation {
        name: "list_contact_methods",
        method: Method::Get,
        path: "/users/{id}/contact_methods",
        args: &[path("user_id", Type::Id, "The user's ID.")],
        returns: Returns::Many("ContactMethod"),
        doc: crate::doc("A user's contact methods."),
        build: Build::Op(|r, a| Ok(r.list_contact_methods(&a.s("user_id")?)?.into_json_op())),
    },
    Operation {
        name: "list_notification_rules",
        method: Method::Get,
        path: "/users/{id}/notification_rules",
        args: &[
            path("user_id", Type::Id, "The user's ID."),
            opt(
                "urgency",
                Type::Enum(&["high", "low", "any"]),
                "Only this urgency's.",
            ),
        ],
        returns: Returns::Many("NotificationRule"),
        doc: crate::doc("A user's notification rules."),
        build: Build::Op(|r, a| {
            let urgency = a.opt_s("urgency")?;
            Ok(
                r.list_notification_rules(&a.s("user_id")?, urgency.as_deref())?
                    .into_json_op(),
            )
        }),
    },
    Operation {
        name: "list_schedules",
        method: Method::Get,
        path: "/schedules",
        args: LIST,
        returns: Returns::Pages("Schedule"),
        doc: crate::doc("Schedules, page by page."),
        build: Build::Pager(|r, a| r.list_schedules(&a.list_filter()?)),
    },
    Operation {
        name: "get_schedule",
        method: Method::Get,
        path: "/schedules/{id}",
        args: &[ID, SINCE, UNTIL],
        returns: Returns::One("Schedule"),
        doc: crate::doc("One schedule, rendered for the window."),
        build: Build::Op(|r, a| {
            Ok(
                r.get_schedule(&a.s("id")?, a.opt_s("since")?, a.opt_s("until")?)?
                    .into_json_op(),
            )
        }),
    },
    Operation {
        name: "list_schedule_users",
        method: Method::Get,
        path: "/schedules/{id}/users",
        args: &[ID, SINCE, UNTIL],
        returns: Returns::Many("User"),
        doc: crate::doc("The users on call in a schedule during the window."),
        build: Build::Op(|r, a| {
            Ok(
                r.list_schedule_users(&a.s("id")?, a.opt_s("since")?, a.opt_s("until")?)?
                    .into_json_op(),
            )
        }),
    },
    Operation {
        name: "list_overrides",
        method: Method::Get,
        path: "/schedules/{id}/overrides",
        args: &[
            ID,
            req("since", Type::DateTime, "Start of the window (ISO 8601)."),
            req("until", Type::DateTime, "End of the window (ISO 8601)."),
        ],
        returns: Returns::Many("Override"),
        doc: crate::doc("A schedule's overrides in the window."),
        build: Build::Op(|r, a| {
            Ok(
                r.list_overrides(&a.s("id")?, &a.s("since")?, &a.s("until")?)?
                    .into_json_op(),
            )
        }),
    },
    Operation {
        name: "create_override",
        method: Method::Post,
        path: "/schedules/{id}/overrides",
        args: &[
            ID,
            req("user_id", Type::Id, "Who takes over."),
            req("start", Type::DateTime, "From (ISO 8601)."),
            req("end", Type::DateTime, "Until (ISO 8601)."),
        ],
        returns: Returns::Many("Override"),
        doc: crate::doc("Puts a user on call in a schedule for a while."),
        build: Build::Op(|r, a| {
            Ok(
                r.create_override(&a.s("id")?, &a.s("user_id")?, &a.s("start")?, &a.s("end")?)?
                    .into_json_op(),
            )
        }),
    },
    Operation {
        name: "delete_override",
        method: Method::Delete,
        path: "/schedules/{id}/overrides/{override_id}",
        args: &[ID, path("override_id", Type::Id, "The override's ID.")],
        returns: Returns::Nothing,
        doc: crate::doc("Removes an override."),
        build: Build::Op(|r, a| {
            Ok(r.delete_override(&a.s("id")?, &a.s("override_id")?)?
                .into_json_op())
        }),
    },
    Operation {
        name: "list_escalation_policies",
        method: Method::Get,
        path: "/escalation_policies",
        args: &[
            QUERY,
            TEAM_IDS,
            INCLUDE,
            LIMIT,
            opt("user_ids", Type::Ids, "Only those these users are on."),
        ],
        returns: Returns::Pages("EscalationPolicy"),
        doc: crate::doc("Escalation policies, page by page."),
        build: Build::Pager(|r, a| {
            r.list_escalation_policies(&a.list_filter()?, &a.strs("user_ids")?)
        }),
    },
    Operation {
        name: "get_escalation_policy",
        method: Method::Get,
        path: "/escalation_policies/{id}",
        args: &[ID],
        returns: Returns::One("EscalationPolicy"),
        doc: crate::doc("One escalation policy."),
        build: Build::Op(|r, a| Ok(r.get_escalation_policy(&a.s("id")?)?.into_json_op())),
    },
    Operation {
        name: "list_oncalls",
        method: Method::Get,
        path: "/oncalls",
        args: &[
            SINCE,
            UNTIL,
            opt(
                "earliest",
                Type::Bool,
                "Only the earliest on-call per user and level.",
            ),
            opt("user_ids", Type::Ids, "Only these users."),
            opt(
                "escalation_policy_ids",
                Type::Ids,
                "Only these escalation policies.",
            ),
            opt("schedule_ids", Type::Ids, "Only these schedules."),
            opt("time_zone", Type::Str, "Time zone of the answer's times."),
            INCLUDE,
        ],
        returns: Returns::Pages("OnCall"),
        doc: crate::doc("Who is on call, page by page."),
        build: Build::Pager(|r, a| r.list_oncalls(&a.all(OnCallFilter::read)?)),
    },
    Operation {
        name: "list_teams",
        method: Method::Get,
        path: "/teams",
        args: &[QUERY, LIMIT],
        returns: Returns::Pages("Team"),
        doc: crate::doc("Teams, page by page."),
        build: Build::Pager(|r, a| r.list_teams(&a.list_filter()?)),
    },
    Operation {
        name: "get_team",
        method: Method::Get,
        path: "/teams/{id}",
        args: &[ID],
        returns: Returns::One("Team"),
        doc: crate::doc("One team."),
        build: Build::Op(|r, a| Ok(r.get_team(&a.s("id")?)?.into_json_op())),
    },
    Operation {
        name: "list_priorities",
        method: Method::Get,
        path: "/priorities",
        args: &[],
        returns: Returns::Pages("Priority"),
        doc: crate::doc("The account's incident priorities."),
        build: Build::Pager(|r, _| r.list_priorities()),
    },
    Operation {
        name: "list_tags",
        method: Method::Get,
        path: "/tags",
        args: &[QUERY, LIMIT],
        returns: Returns::Pages("Tag"),
        doc: crate::doc("Tags, page by page."),
        build: Build::Pager(|r, a| r.list_tags(&a.list_filter()?)),
    },
    Operation {
        name: "get_tag",
        method: Method::Get,
        path: "/tags/{id}",
        args: &[ID],
        returns: Returns::One("Tag"),
        doc: crate::doc("One tag."),
        build: Build::Op(|r, a| Ok(r.get_tag(&a.s("id")?)?.into_json_op())),
    },
    Operation {
        name: "list_entity_tags",
        method: Method::Get,
        path: "/{entity_type}/{id}/tags",
        args: &[
            path("entity_type", Type::Enum(TAGGABLE), "What is tagged."),
            ID,
        ],
        returns: Returns::Pages("Tag"),
        doc: crate::doc("The tags on a user, team or escalation policy, page by page."),
        build: Build::Pager(|r, a| r.list_entity_tags(a.taggable()?, &a.s("id")?)),
    },
    Operation {
        name: "change_tags",
        method: Method::Post,
        path: "/{entity_type}/{id}/change_tags",
        args: &[
            path("entity_type", Type::Enum(TAGGABLE), "What is tagged."),
            ID,
            opt(
                "add",
                Type::Strs,
                "Labels of tags to add (created when new).",
            ),
            opt("remove", Type::Ids, "IDs of tags to remove."),
        ],
        returns: Returns::Nothing,
        doc: crate::doc("Adds and removes tags on a user, team or escalation policy."),
        build: Build::Op(|r, a| {
            Ok(r.change_tags(
                a.taggable()?,
                &a.s("id")?,
                &a.strs("add")?,
                &a.strs("remove")?,
            )?
            .into_json_op())
        }),
    },
    Operation {
        name: "list_abilities",
        method: Method::Get,
        path: "/abilities",
        args: &[],
        returns: Returns::Strings,
        doc: crate::doc("The account's abilities (features of its plan)."),
        build: Build::Op(|r, _| Ok(r.list_abilities()?.into_json_op())),
    },
    Operation {
        name: "test_ability",
        method: Method::Get,
        path: "/abilities/{id}",
        args: &[path("ability", Type::Str, "The ability's name.")],
        returns: Returns::Bool,
        doc: crate::doc("Whether the account has an ability."),
        build: Build::Op(|r, a| Ok(r.test_ability(&a.s("ability")?)?.into_json_op())),
    },
    Operation {
        name: "list_change_events",
        method: Method::Get,
        path: "/change_events",
        args: &[
            SINCE,
            UNTIL,
            TEAM_IDS,
            opt("integration_ids", Type::Ids, "Only these integrations'."),
        ],
        returns: Returns::Pages("ChangeEvent"),
        doc: crate::doc("The account's change events, page by page."),
        build: Build::Pager(|r, a| {
            r.list_change_events(
                a.opt_s("since")?,
                a.opt_s("until")?,
                &a.strs("team_ids")?,
                &a.strs("integration_ids")?,
            )
        }),
    },
    Operation {
        name: "get_change_event",
        method: Method::Get,
        path: "/change_events/{id}",
        args: &[ID],
        returns: Returns::One("ChangeEvent"),
        doc: crate::doc("One change event."),
        build: Build::Op(|r, a| Ok(r.get_change_event(&a.s("id")?)?.into_json_op())),
    },
];

/// One `{id, update}` of `manage_incidents`, as the derive of `struct One { id: String, update:
/// IncidentUpdate }` read it.
pub(crate) fn read_one_update(v: &Value) -> Read<(String, IncidentUpdate)> {
    const SHAPE: Shape = Shape {
        name: "struct One",
        fields: &["id", "update"],
        optional: 0,
        defaulted: 0,
        deny_unknown: false,
    };
    let (mut id, mut update) = (String::new(), IncidentUpdate::default());
    SHAPE.read(v, &mut |i, x| {
        match i {
            0 => id = read_value::string(x)?,
            _ => update = IncidentUpdate::read(x)?,
        }
        Ok(())
    })?;
    Ok((id, update))
}

/// The row named `name`.
pub fn find(name: &str) -> Result<&'static Operation, Error> {
    OPERATIONS.iter().find(|o| o.name == name).ok_or_else(|| {
        Error::invalid(
            "operation",
            format!("{name:?} is not a known operation (see docs/operations.md)"),
        )
    })
}

/// A one-request operation by name, its arguments checked against its row.
pub fn op(rest: &Rest, name: &str, args: &Value) -> Result<JsonOp, Error> {
    let o = find(name)?;
    let a = check(o, args)?;
    match o.build {
        Build::Op(f) => f(rest, &a),
        Build::Pager(_) => Err(Error::invalid(
            "operation",
            format!("{name} is a list walked page by page: use its pager"),
        )),
    }
}

/// A list operation by name, its arguments (filters) checked against its row.
pub fn pager(rest: &Rest, name: &str, args: &Value) -> Result<Pager, Error> {
    let o = find(name)?;
    let a = check(o, args)?;
    match o.build {
        Build::Pager(f) => f(rest, &a),
        Build::Op(_) => Err(Error::invalid(
            "operation",
            format!("{name} is not a list: call it as an operation"),
        )),
    }
}

/// Checks `args` (an object, or `null` for none) against the row: every argument known, every
/// required one present, every value of its type.
fn check<'a>(o: &Operation, args: &'a Value) -> Result<Args<'a>, Error> {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    let map = match args {
        Value::Null => EMPTY.get_or_init(Map::new),
        Value::Object(m) => m,
        _ => return Err(Error::invalid("args", "must be an object")),
    };
    check_fields(o.args, map, "args")?;
    Ok(Args(map))
}

fn check_fields(spec: &[Arg], map: &Map<String, Value>, at: &str) -> Result<(), Error> {
    if let Some(k) = map
        .keys()
        .find(|k| !spec.iter().any(|a| a.name == k.as_str()))
    {
        let known: Vec<&str> = spec.iter().map(|a| a.name).collect();
        return Err(Error::invalid(
            format!("{at}.{k}"),
            if known.is_empty() {
                "is not an argument (this operation takes none)".to_owned()
            } else {
                format!("is not an argument (known: {})", known.join(", "))
            },
        ));
    }
    for a in spec {
        let field = format!("{at}.{}", a.name);
        match map.get(a.name) {
            None | Some(Value::Null) if a.required => {
                return Err(Error::invalid(field, "is required"))
            }
            None | Some(Value::Null) => {}
            Some(v) => check_type(a.ty, v, &field)?,
        }
    }
    Ok(())
}

fn check_type(ty: Type, v: &Value, field: &str) -> Result<(), Error> {
    let bad = |what: &str| Err(Error::invalid(field, format!("must be {what}")));
    match ty {
        Type::Id => match v.as_str() {
            Some(s) => crate::rest::check_id(field, s),
            None => bad("a PagerDuty ID (a string)"),
        },
        Type::Str | Type::DateTime => match v {
            Value::String(_) => Ok(()),
            _ => bad("a string"),
        },
        Type::Int => match v.as_u64() {
            Some(_) => Ok(()),
            None => bad("a whole number"),
        },
        Type::Bool => match v {
            Value::Bool(_) => Ok(()),
            _ => bad("true or false"),
        },
        Type::Enum(values) => match v.as_str() {
            Some(s) if values.contains(&s) => Ok(()),
            _ => bad(&format!("one of {}", values.join(", "))),
        },
        Type::Strs | Type::Ids | Type::Enums(_) | Type::Objects(_) => {
            let Value::Array(items) = v else {
                return bad("a list");
            };
            let item = match ty {
                Type::Strs => Type::Str,
                Type::Ids => Type::Id,
                Type::Enums(values) => Type::Enum(values),
                Type::Objects(fields) => Type::Object(fields),
                _ => unreachable!("a list type"),
            };
            for (i, x) in items.iter().enumerate() {
                check_type(item, x, &format!("{field}[{i}]"))?;
            }
            Ok(())
        }
        Type::Object(fields) => match v {
            Value::Object(m) => check_fields(fields, m, field),
            _ => bad("an object"),
        },
        Type::Json => match v {
            Value::Object(_) => Ok(()),
            _ => bad("an object"),
        },
    }
}

/// The registry as JSON, for bindings that check their own surface against it (and for
/// callers who discover operations at run time): `[{"name", "method", "path", "list", "doc",
/// "args": [{"name", "type", "required", "doc"}]}]`.
pub fn to_json() -> Value {
    Value::Array(
        OPERATIONS
            .iter()
            .map(|o| {
                let args = o.args.iter().map(|a| {
                    crate::write_value::object([
                        ("name", a.name.into()),
                        ("required", a.required.into()),
                        ("doc", a.doc.into()),
                    ])
                });
                crate::write_value::object([
                    ("name", o.name.into()),
                    ("method", o.method.as_str().into()),
                    ("path", o.path.into()),
                    ("list", matches!(o.build, Build::Pager(_)).into()),
                    ("doc", o.doc.into()),
                    ("args", Value::Array(args.collect())),
                ])
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::RestToken;
    use crate::http::Response;
    use crate::region::Endpoints;
    use serde_json::json;

    fn rest() -> Rest {
        Rest::new(
            RestToken::general_access("y_NbAkKc66ryYTWUXYEu")
                .unwrap()
                .into(),
            Endpoints::default(),
        )
        .with_default_from("me@example.com")
        .unwrap()
    }

    #[test]
    fn names_are_unique_and_lists_are_pagers() {
        let mut names: Vec<&str> = OPERATIONS.iter().map(|o| o.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), OPERATIONS.len());
        for o in OPERATIONS {
            let pages = matches!(o.returns, Returns::Pages(_));
            assert_eq!(pages, matches!(o.build, Build::Pager(_)), "{}", o.name);
            let in_path = o.args.iter().filter(|a| a.in_path).count();
            assert_eq!(in_path, o.path.matches('{').count(), "{}", o.name);
            assert!(
                o.args.iter().take(in_path).all(|a| a.in_path),
                "{}: path first",
                o.name
            );
        }
    }

    #[test]
    fn arguments_are_checked_against_the_row() {
        let err = |name: &str, args: Value| {
            let built = op(&rest(), name, &args)
                .map(|_| ())
                .or_else(|_| pager(&rest(), name, &args).map(|_| ()));
            assert!(built.is_err(), "{name} {args} was accepted");
        };
        err("get_incident", json!({}));
        err("get_incident", json!({"id": 5}));
        err("get_incident", json!({"id": "../users"}));
        err("get_incident", json!({"id": "P1", "idd": "x"}));
        err("list_incidents", json!({"statuses": ["open"]}));
        err("list_incidents", json!({"statuses": "triggered"}));
        err(
            "update_incident",
            json!({"id": "P1", "update": {"state": "resolved"}}),
        );
        err(
            "manage_incidents",
            json!({"updates": [{"id": "P1", "update": {"status": 3}}]}),
        );
        let e = op(&rest(), "get_incident", &json!({"id": "P1", "idd": "x"})).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid args.idd: is not an argument (known: id)"
        );
        let e = op(
            &rest(),
            "update_incident",
            &json!({"id": "P1", "update": {"status": "open"}}),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid args.update.status: must be one of triggered, acknowledged, resolved"
        );
        let e = op(&rest(), "launch_rockets", &Value::Null).unwrap_err();
        assert_eq!(e.code(), "invalid_input");
        let e = op(&rest(), "list_incidents", &Value::Null).unwrap_err();
        assert!(e.to_string().contains("use its pager"), "{e}");
    }

    #[test]
    fn results_are_pagerduty_json_as_sent() {
        let o = op(&rest(), "test_ability", &json!({"ability": "teams"})).unwrap();
        assert!(o.request.url.ends_with("/abilities/teams"));
        assert_eq!(
            o.parse(&Response::new(402, vec![], "{}")).unwrap(),
            json!(false)
        );
        let o = op(&rest(), "get_incident", &json!({"id": "PABC123"})).unwrap();
        let v = o
            .parse(&Response::new(
                200,
                vec![],
                r#"{"incident":{"id":"PABC123","status":"triggered"}}"#,
            ))
            .unwrap();
        assert_eq!(v, json!({"id": "PABC123", "status": "triggered"}));
        let p = pager(
            &rest(),
            "list_incidents",
            &json!({"statuses": ["triggered"], "limit": 10}),
        )
        .unwrap();
        assert_eq!(p.collection(), "incidents");
    }
}
