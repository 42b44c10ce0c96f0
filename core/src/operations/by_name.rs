//! The typed helpers by name, with their arguments as one JSON object: the single entry point
//! the C ABI (`pd_rest_op`) and the JavaScript package share, so both accept exactly the same
//! operations and arguments.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::incidents::{IncidentUpdate, NewIncident};
use super::Op;
use crate::error::Error;
use crate::rest::Rest;

/// An operation whose result is PagerDuty's JSON as is (the entity inside its wrapper, `true` /
/// `false` for abilities, `null` for deletions): what bindings hand across, with no typed
/// decode and re-encode in between (which also kept every model's serde code out of the wasm).
pub type JsonOp = Op<Value>;

impl<T> Op<T> {
    /// This operation with its result as JSON.
    pub fn into_json_op(self) -> JsonOp {
        Op {
            request: self.request,
            reader: self.reader,
            _out: std::marker::PhantomData,
        }
    }
}

fn field<T: DeserializeOwned>(args: &Value, name: &str) -> Result<T, Error> {
    serde_json::from_value(args.get(name).cloned().unwrap_or(Value::Null))
        .map_err(|e| Error::invalid(format!("args.{name}"), e.to_string()))
}

fn opt<T: DeserializeOwned>(args: &Value, name: &str) -> Result<Option<T>, Error> {
    match args.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(_) => field(args, name).map(Some),
    }
}

/// Names of the operations [`by_name`] knows.
pub const NAMES: &[&str] = &[
    "get_incident",
    "create_incident",
    "update_incident",
    "manage_incidents",
    "merge_incidents",
    "snooze_incident",
    "list_incident_notes",
    "create_incident_note",
    "get_incident_alert",
    "get_log_entry",
    "get_service",
    "create_service",
    "update_service",
    "delete_service",
    "get_user",
    "current_user",
    "list_contact_methods",
    "list_notification_rules",
    "get_schedule",
    "list_schedule_users",
    "list_overrides",
    "create_override",
    "delete_override",
    "get_escalation_policy",
    "get_team",
    "get_tag",
    "list_abilities",
    "test_ability",
    "get_change_event",
];

/// One of the typed helpers by name; `args` is a JSON object (`null` for none). Lists that page
/// are read with a [`crate::pagination::Pager`] instead.
///
/// Operations and their arguments: `get_incident {id}`, `create_incident {title, service_id,
/// urgency, details, incident_key, priority_id, escalation_policy_id, assignee_ids}`,
/// `update_incident {id, update: {status, title, urgency, resolution, escalation_level,
/// assignee_ids, escalation_policy_id, priority_id}}`, `manage_incidents {updates: [{id,
/// update}]}`, `merge_incidents {id, source_ids}`, `snooze_incident {id, seconds}`,
/// `list_incident_notes {id}`, `create_incident_note {id, content}`, `get_incident_alert {id,
/// alert_id}`, `get_log_entry {id}`, `get_service {id}`, `create_service {service}`,
/// `update_service {id, changes}`, `delete_service {id}`, `get_user {id}`, `current_user {}`,
/// `list_contact_methods {user_id}`, `list_notification_rules {user_id, urgency}`,
/// `get_schedule {id, since, until}`, `list_schedule_users {id, since, until}`,
/// `list_overrides {id, since, until}`, `create_override {id, user_id, start, end}`,
/// `delete_override {id, override_id}`, `get_escalation_policy {id}`, `get_team {id}`,
/// `get_tag {id}`, `list_abilities {}`, `test_ability {ability}`, `get_change_event {id}`.
/// The result is the typed value as JSON: an incident, a list of notes, `true`/`false` for
/// `test_ability`, `null` for deletions.
pub fn by_name(r: &Rest, name: &str, args: &Value) -> Result<JsonOp, Error> {
    let a = args;
    let id = || field::<String>(a, "id");
    let s = |n: &str| field::<String>(a, n);
    Ok(match name {
        "get_incident" => r.get_incident(&id()?)?.into_json_op(),
        "create_incident" => r
            .create_incident(
                &serde_json::from_value::<NewIncident>(a.clone())
                    .map_err(|e| Error::invalid("args", e.to_string()))?,
            )?
            .into_json_op(),
        "update_incident" => r
            .update_incident(&id()?, &field::<IncidentUpdate>(a, "update")?)?
            .into_json_op(),
        "manage_incidents" => {
            #[derive(serde::Deserialize)]
            struct One {
                id: String,
                update: IncidentUpdate,
            }
            let list: Vec<One> = field(a, "updates")?;
            let pairs: Vec<(String, IncidentUpdate)> =
                list.into_iter().map(|o| (o.id, o.update)).collect();
            r.manage_incidents(&pairs)?.into_json_op()
        }
        "merge_incidents" => r
            .merge_incidents(&id()?, &field::<Vec<String>>(a, "source_ids")?)?
            .into_json_op(),
        "snooze_incident" => r
            .snooze_incident(&id()?, field(a, "seconds")?)?
            .into_json_op(),
        "list_incident_notes" => r.list_incident_notes(&id()?)?.into_json_op(),
        "create_incident_note" => r
            .create_incident_note(&id()?, &s("content")?)?
            .into_json_op(),
        "get_incident_alert" => r
            .get_incident_alert(&id()?, &s("alert_id")?)?
            .into_json_op(),
        "get_log_entry" => r.get_log_entry(&id()?)?.into_json_op(),
        "get_service" => r.get_service(&id()?)?.into_json_op(),
        "create_service" => r
            .create_service(&field::<Value>(a, "service")?)?
            .into_json_op(),
        "update_service" => r
            .update_service(&id()?, &field::<Value>(a, "changes")?)?
            .into_json_op(),
        "delete_service" => r.delete_service(&id()?)?.into_json_op(),
        "get_user" => r.get_user(&id()?)?.into_json_op(),
        "current_user" => r.current_user()?.into_json_op(),
        "list_contact_methods" => r.list_contact_methods(&s("user_id")?)?.into_json_op(),
        "list_notification_rules" => r
            .list_notification_rules(&s("user_id")?, opt::<String>(a, "urgency")?.as_deref())?
            .into_json_op(),
        "get_schedule" => r
            .get_schedule(&id()?, opt(a, "since")?, opt(a, "until")?)?
            .into_json_op(),
        "list_schedule_users" => r
            .list_schedule_users(&id()?, opt(a, "since")?, opt(a, "until")?)?
            .into_json_op(),
        "list_overrides" => r
            .list_overrides(&id()?, &s("since")?, &s("until")?)?
            .into_json_op(),
        "create_override" => r
            .create_override(&id()?, &s("user_id")?, &s("start")?, &s("end")?)?
            .into_json_op(),
        "delete_override" => r
            .delete_override(&id()?, &s("override_id")?)?
            .into_json_op(),
        "get_escalation_policy" => r.get_escalation_policy(&id()?)?.into_json_op(),
        "get_team" => r.get_team(&id()?)?.into_json_op(),
        "get_tag" => r.get_tag(&id()?)?.into_json_op(),
        "list_abilities" => r.list_abilities()?.into_json_op(),
        "test_ability" => r.test_ability(&s("ability")?)?.into_json_op(),
        "get_change_event" => r.get_change_event(&id()?)?.into_json_op(),
        _ => {
            return Err(Error::invalid(
                "operation",
                format!("{name:?} is not a known operation"),
            ))
        }
    })
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
    fn every_name_is_dispatched() {
        for name in NAMES {
            let err = by_name(&rest(), name, &json!({})).err();
            // Missing arguments are fine; an unknown operation is not.
            if let Some(e) = err {
                assert!(
                    !e.to_string().contains("not a known operation"),
                    "{name}: {e}"
                );
            }
        }
        let e = by_name(&rest(), "launch_rockets", &Value::Null).unwrap_err();
        assert_eq!(e.code(), "invalid_input");
    }

    #[test]
    fn typed_result_comes_back_as_json() {
        let op = by_name(&rest(), "test_ability", &json!({"ability": "teams"})).unwrap();
        assert!(op.request.url.ends_with("/abilities/teams"));
        assert_eq!(
            op.parse(&Response::new(402, vec![], "{}")).unwrap(),
            json!(false)
        );
        let op = by_name(&rest(), "get_incident", &json!({"id": "PABC123"})).unwrap();
        let v = op
            .parse(&Response::new(
                200,
                vec![],
                r#"{"incident":{"id":"PABC123","status":"triggered"}}"#,
            ))
            .unwrap();
        assert_eq!(v["id"], "PABC123");
        // PagerDuty's JSON as sent: no fields of the typed model added as nulls.
        assert_eq!(v, json!({"id": "PABC123", "status": "triggered"}));
        let e = by_name(&rest(), "get_incident", &json!({"id": 5})).unwrap_err();
        assert!(e.to_string().contains("args.id"), "{e}");
    }
}
