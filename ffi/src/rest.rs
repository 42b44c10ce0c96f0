//! `pd_rest`: a REST API v2 client that does its own HTTP. Safe to share between threads.

use std::ffi::c_char;
use std::sync::Arc;

use pagerduty_core::credentials::{OAuthToken, RestCredential, RestToken};
use pagerduty_core::http::Method;
use pagerduty_core::operations::incidents::{IncidentUpdate, NewIncident};
use pagerduty_core::operations::Op;
use pagerduty_core::query::Query;
use pagerduty_core::region::Endpoints;
use pagerduty_core::response_error::Api;
use pagerduty_core::rest::{parse_json, Rest};
use pagerduty_core::{Error, ErrorCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::boundary::{arg, give, give_string, guard, handle, invalid, json_arg, opt_arg, out_ptr};
use crate::transport::{Settings, Transport};

/// A REST API v2 client (opaque). Create with `pd_rest_new`, free with `pd_rest_free`.
/// One client may be used from several threads at once.
#[allow(non_camel_case_types)]
pub struct pd_rest {
    pub(crate) inner: Arc<RestClient>,
}

pub(crate) struct RestClient {
    pub rest: Rest,
    pub transport: Transport,
}

pub(crate) fn credential(token: &str, kind: &str) -> Result<RestCredential, Error> {
    Ok(match kind {
        "" | "general" | "general_access" => RestToken::general_access(token)?.into(),
        "user" | "user_token" => RestToken::user_token(token)?.into(),
        "oauth" | "bearer" => OAuthToken::new(token)?.into(),
        _ => {
            return Err(invalid(
                "token_kind",
                "must be \"general\", \"user\" or \"oauth\"",
            ))
        }
    })
}

/// Creates a REST client.
///
/// `token`: a 20-character REST API key, or an OAuth token with `"token_kind": "oauth"`.
/// `options_json` (may be NULL): `{"region": "us"|"eu"|"https://base.url", "token_kind":
/// "general"|"user"|"oauth", "from": "email", "timeout_ms": 30000, "user_agent": "...",
/// "retry": {"max_attempts": 6, "deadline_ms": 60000, "base_delay_ms": 500, "max_delay_ms": 30000}}`.
/// On success `*out` holds a client to free with `pd_rest_free`.
///
/// # Safety
/// Strings are NULL or NUL-terminated; `out` is writable.
#[no_mangle]
pub unsafe extern "C" fn pd_rest_new(
    token: *const c_char,
    options_json: *const c_char,
    out: *mut *mut pd_rest,
) -> ErrorCode {
    guard(|| {
        out_ptr(out, "out")?;
        let token = arg(token, "token")?;
        let options = json_arg(opt_arg(options_json, "options_json")?, "options_json")?;
        let settings = Settings::from_json(&options)?;
        let kind = options
            .get("token_kind")
            .and_then(Value::as_str)
            .unwrap_or("");
        let mut rest = Rest::new(
            credential(token, kind)?,
            Endpoints::parse(&settings.region)?,
        )
        .with_timeout(settings.timeout);
        if let Some(from) = options.get("from").and_then(Value::as_str) {
            rest = rest.with_default_from(from)?;
        }
        let transport = Transport::new(&settings)?;
        give(
            out,
            pd_rest {
                inner: Arc::new(RestClient { rest, transport }),
            },
        );
        Ok(())
    })
}

/// Frees a client made by `pd_rest_new` (NULL is ignored). Pagers made from it stay usable.
///
/// # Safety
/// `client` is NULL or a client not yet freed; no other thread is using it.
#[no_mangle]
pub unsafe extern "C" fn pd_rest_free(client: *mut pd_rest) {
    if !client.is_null() {
        drop(Box::from_raw(client));
    }
}

/// Any REST call: `method` ("GET", "POST", ...), `path` ("/incidents/P1" or a full URL on the
/// configured host), `query_json` (an object; arrays become `name[]`; may be NULL) and
/// `body_json` (may be NULL). On success `*out_json` holds the response body (`null` for an
/// empty one), freed with `pd_string_free`. Retries follow the client's retry settings.
///
/// # Safety
/// Strings are NULL or NUL-terminated; `out_json` is writable.
#[no_mangle]
pub unsafe extern "C" fn pd_rest_request(
    client: *const pd_rest,
    method: *const c_char,
    path: *const c_char,
    query_json: *const c_char,
    body_json: *const c_char,
    out_json: *mut *mut c_char,
) -> ErrorCode {
    guard(|| {
        out_ptr(out_json, "out_json")?;
        let c = &handle(client, "client")?.inner;
        let m = arg(method, "method")?;
        let method = Method::parse(m)
            .ok_or_else(|| invalid("method", "must be GET, POST, PUT, DELETE or PATCH"))?;
        let path = arg(path, "path")?;
        let query = Query::from_json(&json_arg(opt_arg(query_json, "query_json")?, "query_json")?)?;
        let mut call = c.rest.call(method, path).query(&query);
        if let Some(body) = opt_arg(body_json, "body_json")? {
            call = call.json_text(body);
        }
        let response = c.transport.send(call.build()?, Api::Rest)?;
        let value = parse_json(&response)?;
        give_string(out_json, value.to_string())
    })
}

fn field<T: DeserializeOwned>(args: &Value, name: &str) -> Result<T, Error> {
    serde_json::from_value(args.get(name).cloned().unwrap_or(Value::Null))
        .map_err(|e| invalid(&format!("args.{name}"), &e.to_string()))
}

fn opt<T: DeserializeOwned>(args: &Value, name: &str) -> Result<Option<T>, Error> {
    match args.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(_) => field(args, name).map(Some),
    }
}

fn run<T: DeserializeOwned + Serialize>(c: &RestClient, op: Op<T>) -> Result<String, Error> {
    let response = c.transport.send(op.request.clone(), Api::Rest)?;
    let value = op.parse(&response)?;
    serde_json::to_string(&value).map_err(|e| invalid("result", &e.to_string()))
}

/// One of the core's typed operations, by name, with its arguments as a JSON object. On success
/// `*out_json` holds the typed result (an incident, a list of notes, `true`/`false` for
/// `test_ability`, `null` for deletions), freed with `pd_string_free`.
///
/// Operations: `get_incident {id}`, `create_incident {title, service_id, urgency, details,
/// incident_key, priority_id, escalation_policy_id, assignee_ids}`, `update_incident {id,
/// update: {status, title, urgency, resolution, escalation_level, assignee_ids,
/// escalation_policy_id, priority_id}}`, `manage_incidents {updates: [{id, update}]}`,
/// `merge_incidents {id, source_ids}`, `snooze_incident {id, seconds}`, `list_incident_notes
/// {id}`, `create_incident_note {id, content}`, `get_incident_alert {id, alert_id}`,
/// `get_log_entry {id}`, `get_service {id}`, `create_service {service}`, `update_service {id,
/// changes}`, `delete_service {id}`, `get_user {id}`, `current_user {}`, `list_contact_methods
/// {user_id}`, `list_notification_rules {user_id, urgency}`, `get_schedule {id, since, until}`,
/// `list_schedule_users {id, since, until}`, `list_overrides {id, since, until}`,
/// `create_override {id, user_id, start, end}`, `delete_override {id, override_id}`,
/// `get_escalation_policy {id}`, `get_team {id}`, `get_tag {id}`, `list_abilities {}`,
/// `test_ability {ability}`, `get_change_event {id}`. Lists that page are read with `pd_pager_new`.
///
/// # Safety
/// Strings are NULL or NUL-terminated; `out_json` is writable.
#[no_mangle]
pub unsafe extern "C" fn pd_rest_op(
    client: *const pd_rest,
    operation: *const c_char,
    args_json: *const c_char,
    out_json: *mut *mut c_char,
) -> ErrorCode {
    guard(|| {
        out_ptr(out_json, "out_json")?;
        let c = &handle(client, "client")?.inner;
        let name = arg(operation, "operation")?;
        let a = json_arg(opt_arg(args_json, "args_json")?, "args_json")?;
        let r = &c.rest;
        let id = || field::<String>(&a, "id");
        let text = match name {
            "get_incident" => run(c, r.get_incident(&id()?)?)?,
            "create_incident" => run(
                c,
                r.create_incident(
                    &serde_json::from_value::<NewIncident>(a.clone())
                        .map_err(|e| invalid("args", &e.to_string()))?,
                )?,
            )?,
            "update_incident" => run(
                c,
                r.update_incident(&id()?, &field::<IncidentUpdate>(&a, "update")?)?,
            )?,
            "manage_incidents" => {
                #[derive(serde::Deserialize)]
                struct One {
                    id: String,
                    update: IncidentUpdate,
                }
                let list: Vec<One> = field(&a, "updates")?;
                let pairs: Vec<(String, IncidentUpdate)> =
                    list.into_iter().map(|o| (o.id, o.update)).collect();
                run(c, r.manage_incidents(&pairs)?)?
            }
            "merge_incidents" => run(
                c,
                r.merge_incidents(&id()?, &field::<Vec<String>>(&a, "source_ids")?)?,
            )?,
            "snooze_incident" => run(c, r.snooze_incident(&id()?, field(&a, "seconds")?)?)?,
            "list_incident_notes" => run(c, r.list_incident_notes(&id()?)?)?,
            "create_incident_note" => run(
                c,
                r.create_incident_note(&id()?, &field::<String>(&a, "content")?)?,
            )?,
            "get_incident_alert" => run(
                c,
                r.get_incident_alert(&id()?, &field::<String>(&a, "alert_id")?)?,
            )?,
            "get_log_entry" => run(c, r.get_log_entry(&id()?)?)?,
            "get_service" => run(c, r.get_service(&id()?)?)?,
            "create_service" => run(c, r.create_service(&field::<Value>(&a, "service")?)?)?,
            "update_service" => run(
                c,
                r.update_service(&id()?, &field::<Value>(&a, "changes")?)?,
            )?,
            "delete_service" => run(c, r.delete_service(&id()?)?)?,
            "get_user" => run(c, r.get_user(&id()?)?)?,
            "current_user" => run(c, r.current_user()?)?,
            "list_contact_methods" => {
                run(c, r.list_contact_methods(&field::<String>(&a, "user_id")?)?)?
            }
            "list_notification_rules" => run(
                c,
                r.list_notification_rules(
                    &field::<String>(&a, "user_id")?,
                    opt::<String>(&a, "urgency")?.as_deref(),
                )?,
            )?,
            "get_schedule" => run(
                c,
                r.get_schedule(&id()?, opt(&a, "since")?, opt(&a, "until")?)?,
            )?,
            "list_schedule_users" => run(
                c,
                r.list_schedule_users(&id()?, opt(&a, "since")?, opt(&a, "until")?)?,
            )?,
            "list_overrides" => run(
                c,
                r.list_overrides(
                    &id()?,
                    &field::<String>(&a, "since")?,
                    &field::<String>(&a, "until")?,
                )?,
            )?,
            "create_override" => run(
                c,
                r.create_override(
                    &id()?,
                    &field::<String>(&a, "user_id")?,
                    &field::<String>(&a, "start")?,
                    &field::<String>(&a, "end")?,
                )?,
            )?,
            "delete_override" => run(
                c,
                r.delete_override(&id()?, &field::<String>(&a, "override_id")?)?,
            )?,
            "get_escalation_policy" => run(c, r.get_escalation_policy(&id()?)?)?,
            "get_team" => run(c, r.get_team(&id()?)?)?,
            "get_tag" => run(c, r.get_tag(&id()?)?)?,
            "list_abilities" => run(c, r.list_abilities()?)?,
            "test_ability" => run(c, r.test_ability(&field::<String>(&a, "ability")?)?)?,
            "get_change_event" => run(c, r.get_change_event(&id()?)?)?,
            _ => {
                return Err(invalid(
                    "operation",
                    &format!("{name:?} is not a known operation"),
                ))
            }
        };
        give_string(out_json, text)
    })
}

/// Names a status: `"ok"`, `"rate_limited"`, ... (a static string; never free it).
#[no_mangle]
pub extern "C" fn pd_status_name(status: ErrorCode) -> *const c_char {
    crate::status_name(status)
}
