//! REST API v2: authentication, permissions, `From`, and the resources the tests and the demo use.

use serde_json::{json, Value};

use crate::reply::{all, one, query_pairs, Reply};
use crate::state::{reference, KeyKind, State};

/// Who is calling.
#[derive(Debug, Clone)]
pub struct Caller {
    pub key: String,
    pub kind: KeyKind,
}

/// Reads `Authorization: Token token=KEY` or `Bearer KEY`.
pub fn authenticate(state: &State, authorization: Option<&str>) -> Result<Caller, Reply> {
    let unauthorized = |why: &str| Reply::rest_error(401, 2006, "Unauthorized", &[why]);
    let Some(value) = authorization else {
        return Err(unauthorized(
            "No Authorization header: send `Token token=KEY` or `Bearer TOKEN`",
        ));
    };
    let key = value
        .strip_prefix("Token token=")
        .or_else(|| value.strip_prefix("Bearer "))
        .ok_or_else(|| {
            unauthorized("The Authorization header must be `Token token=KEY` or `Bearer TOKEN`")
        })?
        .trim();
    if state.service_by_key(key).is_some() {
        return Err(unauthorized(
            "This is an integration key: it only works with the Events API",
        ));
    }
    if let Some(grant) = state.oauth_tokens.get(key) {
        if grant.expires <= std::time::Instant::now() {
            return Err(unauthorized("The access token has expired"));
        }
        return Ok(Caller {
            key: key.to_owned(),
            kind: KeyKind::OAuth(grant.clone()),
        });
    }
    match state.keys.get(key) {
        Some(kind) => Ok(Caller {
            key: key.to_owned(),
            kind: kind.clone(),
        }),
        None => Err(unauthorized("Invalid API key")),
    }
}

/// The operations whose `From` header PagerDuty requires (from its REST API reference).
fn needs_from(method: &str, segs: &[&str]) -> bool {
    matches!(
        (method, segs),
        ("PUT" | "POST", ["incidents"])
            | ("PUT", ["incidents", _])
            | ("PUT", ["incidents", _, "alerts"])
            | ("PUT", ["incidents", _, "alerts", _])
            | ("PUT", ["incidents", _, "merge"])
            | ("POST", ["incidents", _, "notes"])
            | ("PUT", ["incidents", _, "notes", _])
            | ("POST", ["incidents", _, "snooze"])
            | ("POST", ["incidents", _, "status_updates"])
            | ("PUT", ["log_entries", _, "channel"])
            | ("POST", ["maintenance_windows"])
            | ("POST", ["users"])
    )
}

/// Read-only keys and roles may not write; responders may only work incidents.
fn authorize(state: &State, caller: &Caller, method: &str, segs: &[&str]) -> Result<(), Reply> {
    if let KeyKind::OAuth(grant) = &caller.kind {
        return crate::oauth::authorize(grant, method, segs);
    }
    if method == "GET" {
        return Ok(());
    }
    let forbidden = |why: &str| Reply::rest_error(403, 2010, "Access Denied", &[why]);
    match &caller.kind {
        KeyKind::FullAccess | KeyKind::OAuth(_) => Ok(()),
        KeyKind::ReadOnly => Err(forbidden("This API key is read-only")),
        KeyKind::User(id) => {
            let role = state.user(id).map(|u| u.role.as_str()).unwrap_or("");
            let incident_work = segs.first() == Some(&"incidents");
            match role {
                "admin" | "owner" | "manager" => Ok(()),
                "user" | "limited_user" if incident_work => Ok(()),
                "user" | "limited_user" => Err(forbidden("Your role may not change this resource")),
                _ => Err(forbidden("Your role may only read")),
            }
        }
    }
}

/// One REST request.
pub fn handle(
    state: &mut State,
    caller: &Caller,
    method: &str,
    path: &str,
    query: Option<&str>,
    from: Option<&str>,
    body: &[u8],
) -> Reply {
    let segs: Vec<&str> = path
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    if let Err(r) = authorize(state, caller, method, &segs) {
        return r;
    }
    let account_key = matches!(
        caller.kind,
        KeyKind::FullAccess | KeyKind::ReadOnly | KeyKind::OAuth(_)
    );
    if needs_from(method, &segs) && account_key {
        match from {
            None => {
                return Reply::rest_error(
                    400,
                    2016,
                    "Invalid Input Provided",
                    &["A valid user email is required in the From header for this operation with an account-level API key"],
                )
            }
            Some(email) if state.user_by_email(email).is_none() => {
                return Reply::rest_error(400, 2016, "Invalid Input Provided", &["The From header does not name a user of this account"])
            }
            _ => {}
        }
    }
    let q = query_pairs(query);
    let body: Value = if body.is_empty() {
        Value::Null
    } else {
        match serde_json::from_slice(body) {
            Ok(v) => v,
            Err(_) => {
                return Reply::rest_error(
                    400,
                    2001,
                    "Invalid Input Provided",
                    &["The body is not valid JSON"],
                )
            }
        }
    };
    match (method, segs.as_slice()) {
        ("GET", ["incidents"]) => list_incidents(state, &q),
        ("POST", ["incidents"]) => create_incident(state, &body),
        ("PUT", ["incidents"]) => manage_incidents(state, &body),
        ("GET", ["incidents", id]) => with_incident(state, id, |s, i| {
            Reply::json(200, &json!({"incident": s.incident_json(i)}))
        }),
        ("PUT", ["incidents", id]) => {
            update_incident(state, id, body.get("incident").unwrap_or(&Value::Null))
        }
        ("GET", ["incidents", id, "notes"]) => with_incident(state, id, |_, i| {
            Reply::json(200, &json!({"notes": i.notes}))
        }),
        ("POST", ["incidents", id, "notes"]) => add_note(state, id, &body, from, caller),
        ("GET", ["incidents", id, "log_entries"]) => match state.incident(id) {
            Some(i) => paginate(i.log_entries.clone(), "log_entries", &q),
            None => Reply::not_found(),
        },
        ("GET", ["incidents", id, "alerts"]) => match state.incident(id) {
            Some(i) => {
                let alerts = state
                    .alerts
                    .iter()
                    .filter(|a| i.alert_ids.contains(&a.id))
                    .map(|a| state.alert_json(a))
                    .collect();
                paginate(alerts, "alerts", &q)
            }
            None => Reply::not_found(),
        },
        ("PUT", ["incidents", id, "merge"]) => merge(state, id, &body),
        ("POST", ["incidents", id, "snooze"]) => with_incident(state, id, |s, i| {
            Reply::json(201, &json!({"incident": s.incident_json(i)}))
        }),
        ("GET", ["log_entries"]) => {
            let entries = state
                .incidents
                .iter()
                .flat_map(|i| i.log_entries.iter().cloned())
                .collect();
            paginate(entries, "log_entries", &q)
        }
        ("GET", ["services"]) => {
            let items = state
                .services
                .iter()
                .filter(|s| matches_query(&s.name, &q) && in_teams(&s.team_ids, &q))
                .map(|s| state.service_json(s))
                .collect();
            paginate(items, "services", &q)
        }
        ("GET", ["services", id]) => match state.service(id) {
            Some(s) => Reply::json(200, &json!({"service": state.service_json(s)})),
            None => Reply::not_found(),
        },
        ("POST", ["services"]) => {
            let name = body
                .pointer("/service/name")
                .and_then(Value::as_str)
                .unwrap_or("");
            if name.is_empty() {
                return Reply::rest_error(
                    400,
                    2001,
                    "Invalid Input Provided",
                    &["Name can't be blank."],
                );
            }
            Reply::json(
                201,
                &json!({"service": {"id": "PSVCNEW", "type": "service", "name": name}}),
            )
        }
        ("GET", ["users"]) => {
            let items = state
                .users
                .iter()
                .filter(|u| matches_query(&u.name, &q) && in_teams(&u.team_ids, &q))
                .map(|u| state.user_json(u))
                .collect();
            paginate(items, "users", &q)
        }
        ("GET", ["users", "me"]) => match &caller.kind {
            KeyKind::User(id) => Reply::json(
                200,
                &json!({"user": state.user(id).map(|u| state.user_json(u))}),
            ),
            _ => Reply::rest_error(
                400,
                2001,
                "Invalid Input Provided",
                &["/users/me needs a user token: an account-level key has no user"],
            ),
        },
        ("GET", ["users", id]) => match state.user(id) {
            Some(u) => Reply::json(200, &json!({"user": state.user_json(u)})),
            None => Reply::not_found(),
        },
        ("GET", ["users", id, "contact_methods"]) => match state.user(id) {
            Some(u) => Reply::json(
                200,
                &json!({"contact_methods": [
                    {"id": format!("PCM{}", &u.id[5..]), "type": "email_contact_method", "label": "Work", "address": u.email, "summary": "Work"},
                    {"id": format!("PCMS{}", &u.id[5..]), "type": "sms_contact_method", "label": "Mobile", "address": "5555550100", "country_code": 1, "summary": "Mobile"},
                ]}),
            ),
            None => Reply::not_found(),
        },
        ("GET", ["users", id, "notification_rules"]) => match state.user(id) {
            Some(u) => Reply::json(
                200,
                &json!({"notification_rules": [
                    {"id": format!("PNR{}", &u.id[5..]), "type": "assignment_notification_rule", "start_delay_in_minutes": 0, "urgency": one(&q, "urgency").unwrap_or("high"),
                     "contact_method": {"id": format!("PCM{}", &u.id[5..]), "type": "email_contact_method_reference"}},
                ]}),
            ),
            None => Reply::not_found(),
        },
        ("GET", ["teams"]) => paginate(state.teams.clone(), "teams", &q),
        ("GET", ["teams", id]) => find(&state.teams, id, "team"),
        ("GET", ["escalation_policies"]) => {
            paginate(state.escalation_policies.clone(), "escalation_policies", &q)
        }
        ("GET", ["escalation_policies", id]) => {
            find(&state.escalation_policies, id, "escalation_policy")
        }
        ("GET", ["schedules"]) => paginate(state.schedules.clone(), "schedules", &q),
        ("GET", ["schedules", id]) => find(&state.schedules, id, "schedule"),
        ("GET", ["schedules", id, "users"]) => {
            match state.schedules.iter().find(|s| s["id"] == *id) {
                Some(s) => {
                    let users: Vec<Value> = s["users"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|r| r["id"].as_str())
                        .filter_map(|u| state.user(u))
                        .map(|u| state.user_json(u))
                        .collect();
                    Reply::json(200, &json!({"users": users}))
                }
                None => Reply::not_found(),
            }
        }
        ("GET", ["schedules", id, "overrides"]) => {
            if one(&q, "since").is_none() || one(&q, "until").is_none() {
                return Reply::rest_error(
                    400,
                    2001,
                    "Invalid Input Provided",
                    &["since and until are required"],
                );
            }
            let overrides: Vec<&Value> = state
                .overrides
                .iter()
                .filter(|(s, _)| s == id)
                .map(|(_, o)| o)
                .collect();
            Reply::json(200, &json!({"overrides": overrides}))
        }
        ("POST", ["schedules", id, "overrides"]) => {
            let mut out = vec![];
            for o in body["overrides"].as_array().into_iter().flatten() {
                let oid = format!("POVR{:04}", state.overrides.len() + 1);
                let mut o = o.clone();
                o["id"] = json!(oid);
                state.overrides.push((id.to_string(), o.clone()));
                out.push(json!({"status": 201, "override": o}));
            }
            Reply::json(201, &Value::Array(out))
        }
        ("GET", ["oncalls"]) => {
            let mut entries = vec![];
            for (level, (ep, user)) in [("PESC001", "PUSER01"), ("PESC002", "PUSER02")]
                .iter()
                .enumerate()
            {
                let u = state.user(user).map(|u| u.name.clone()).unwrap_or_default();
                entries.push(json!({"escalation_policy": reference("escalation_policy", "escalation_policies", ep, "on-call"),
                    "escalation_level": level + 1, "schedule": if level == 0 { reference("schedule", "schedules", "PSCHED1", "Checkout primary") } else { Value::Null },
                    "user": reference("user", "users", user, &u), "start": "2026-11-23T00:00:00Z", "end": "2026-11-30T00:00:00Z"}));
            }
            let users = all(&q, "user_ids");
            entries.retain(|e| users.is_empty() || users.iter().any(|u| e["user"]["id"] == *u));
            paginate(entries, "oncalls", &q)
        }
        ("GET", ["priorities"]) => paginate(state.priorities.clone(), "priorities", &q),
        ("GET", ["tags"]) => paginate(state.tags.clone(), "tags", &q),
        ("GET", ["tags", id]) => find(&state.tags, id, "tag"),
        ("GET", ["abilities"]) => Reply::json(
            200,
            &json!({"abilities": ["teams", "urgencies", "read_only_users", "tags"]}),
        ),
        ("GET", ["abilities", ability]) => {
            if ["teams", "urgencies", "read_only_users", "tags"].contains(ability) {
                Reply::empty(204)
            } else {
                Reply::rest_error(
                    402,
                    2012,
                    "Payment Required",
                    &["The account does not have this ability"],
                )
            }
        }
        ("GET", ["audit", "records"]) => cursor_page(&state.audit_records, "records", &q),
        _ => Reply::not_found(),
    }
}

fn matches_query(name: &str, q: &[(String, String)]) -> bool {
    one(q, "query").is_none_or(|s| name.to_lowercase().contains(&s.to_lowercase()))
}

fn in_teams(teams: &[String], q: &[(String, String)]) -> bool {
    let want = all(q, "team_ids");
    want.is_empty() || teams.iter().any(|t| want.contains(t))
}

fn find(items: &[Value], id: &str, entity: &str) -> Reply {
    match items.iter().find(|v| v["id"] == id) {
        Some(v) => Reply::json(200, &json!({ entity: v })),
        None => Reply::not_found(),
    }
}

fn with_incident(
    state: &State,
    id: &str,
    f: impl FnOnce(&State, &crate::state::Incident) -> Reply,
) -> Reply {
    match state.incident(id) {
        Some(i) => f(state, i),
        None => Reply::not_found(),
    }
}

/// Classic pagination: `limit` (default 25, at most 100), `offset`, `more`, `total`, and the
/// 10,000 cap on offset + limit.
fn page_bounds(q: &[(String, String)]) -> Result<(usize, usize), Reply> {
    let limit = one(q, "limit")
        .and_then(|l| l.parse::<usize>().ok())
        .unwrap_or(25)
        .clamp(1, 100);
    let offset = one(q, "offset")
        .and_then(|o| o.parse::<usize>().ok())
        .unwrap_or(0);
    if offset + limit > 10_000 {
        return Err(Reply::rest_error(
            400,
            2002,
            "Invalid Input Provided",
            &["Offset must be less than 10000."],
        ));
    }
    Ok((offset, limit))
}

/// `],"limit":..,"offset":..,"more":..,"total":..}` after the items of a page.
fn envelope_tail(offset: usize, limit: usize, len: usize, with_total: bool) -> String {
    let total = if with_total {
        len.to_string()
    } else {
        "null".into()
    };
    format!(
        r#"],"limit":{limit},"offset":{offset},"more":{},"total":{total}}}"#,
        offset + limit < len
    )
}

fn paginate(items: Vec<Value>, key: &str, q: &[(String, String)]) -> Reply {
    let (offset, limit) = match page_bounds(q) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let slice: Vec<String> = items
        .iter()
        .skip(offset)
        .take(limit)
        .map(Value::to_string)
        .collect();
    let tail = envelope_tail(offset, limit, items.len(), one(q, "total") == Some("true"));
    Reply::raw_json(
        200,
        format!("{{\"{key}\":[{}{tail}", slice.join(",")).into_bytes(),
    )
}

fn list_incidents(state: &mut State, q: &[(String, String)]) -> Reply {
    let statuses = all(q, "statuses");
    let services = all(q, "service_ids");
    let teams = all(q, "team_ids");
    let urgencies = all(q, "urgencies");
    let users = all(q, "user_ids");
    let key = one(q, "incident_key");
    let ignore_dates = one(q, "date_range") == Some("all");
    let since = one(q, "since").filter(|_| !ignore_dates).map(parse_time);
    let until = one(q, "until").filter(|_| !ignore_dates).map(parse_time);
    for bound in [&since, &until] {
        if let Some(None) = bound {
            return Reply::rest_error(
                400,
                2001,
                "Invalid Input Provided",
                &["since and until must be ISO 8601 dates"],
            );
        }
    }
    let matching = state
        .incidents
        .iter()
        .filter(|i| statuses.is_empty() || statuses.contains(&i.status))
        .filter(|i| services.is_empty() || services.contains(&i.service_id))
        .filter(|i| teams.is_empty() || i.team_ids.iter().any(|t| teams.contains(t)))
        .filter(|i| urgencies.is_empty() || urgencies.contains(&i.urgency))
        .filter(|i| users.is_empty() || users.contains(&i.assignee_id))
        .filter(|i| key.is_none_or(|k| i.incident_key == k))
        .filter(|i| {
            if since.is_none() && until.is_none() {
                return true;
            }
            let created = parse_time(&i.created_at);
            since
                .flatten()
                .is_none_or(|s| created.is_some_and(|c| c >= s))
                && until
                    .flatten()
                    .is_none_or(|u| created.is_some_and(|c| c < u))
        });
    let (offset, limit) = match page_bounds(q) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let want_total = one(q, "total") == Some("true");
    // One pass, stopping early unless a total was asked for.
    let mut page = Vec::with_capacity(limit);
    let mut seen = 0usize;
    for i in matching {
        if seen >= offset && seen < offset + limit {
            page.push(i.id.clone());
        }
        seen += 1;
        if !want_total && seen > offset + limit {
            break;
        }
    }
    let mut out = String::with_capacity(limit * 2600 + 128);
    out.push_str("{\"incidents\":[");
    for (n, id) in page.iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        let at = state.incident_index[id];
        out.push_str(&state.incident_text(at));
    }
    out.push_str(&envelope_tail(offset, limit, seen, want_total));
    Reply::raw_json(200, out.into_bytes())
}

fn parse_time(s: &str) -> Option<time::OffsetDateTime> {
    use time::format_description::well_known::Iso8601;
    time::OffsetDateTime::parse(s, &Iso8601::DEFAULT)
        .ok()
        .or_else(|| {
            time::Date::parse(s, &Iso8601::DEFAULT)
                .ok()
                .map(|d| d.midnight().assume_utc())
        })
}

fn cursor_page(items: &[Value], key: &str, q: &[(String, String)]) -> Reply {
    let limit = one(q, "limit")
        .and_then(|l| l.parse::<usize>().ok())
        .unwrap_or(100)
        .clamp(1, 100);
    let start = match one(q, "cursor") {
        None => 0,
        Some(c) => match c
            .strip_prefix("mockcursor-")
            .and_then(|n| n.parse::<usize>().ok())
        {
            Some(n) if n <= items.len() => n,
            _ => {
                return Reply::rest_error(400, 2001, "Invalid Input Provided", &["Invalid cursor"])
            }
        },
    };
    let end = (start + limit).min(items.len());
    let next = if end < items.len() {
        json!(format!("mockcursor-{end}"))
    } else {
        Value::Null
    };
    Reply::json(
        200,
        &json!({ key: &items[start..end], "limit": limit, "next_cursor": next }),
    )
}

const STATUSES: [&str; 3] = ["triggered", "acknowledged", "resolved"];

fn create_incident(state: &mut State, body: &Value) -> Reply {
    let inc = &body["incident"];
    let title = inc["title"].as_str().unwrap_or("");
    let service = inc
        .pointer("/service/id")
        .and_then(Value::as_str)
        .unwrap_or("");
    let mut errors = vec![];
    if title.trim().is_empty() {
        errors.push("Title can't be blank.");
    }
    if state.service(service).is_none() {
        errors.push("Service not found.");
    }
    if !errors.is_empty() {
        return Reply::rest_error(400, 2001, "Invalid Input Provided", &errors);
    }
    let key = inc["incident_key"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| state.rng.hex32());
    if state
        .incidents
        .iter()
        .any(|i| i.incident_key == key && i.service_id == service && i.status != "resolved")
    {
        return Reply::rest_error(
            400,
            2001,
            "Invalid Input Provided",
            &["Open incident with matching dedup key already exists on this service"],
        );
    }
    let urgency = inc["urgency"].as_str().unwrap_or("high").to_owned();
    let created = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let id = state.create_incident(service, title, &urgency, &key, created);
    with_incident(state, &id, |s, i| {
        Reply::json(201, &json!({"incident": s.incident_json(i)}))
    })
}

fn apply_update(state: &mut State, id: &str, u: &Value) -> Result<(), &'static str> {
    if let Some(s) = u["status"].as_str() {
        if !STATUSES.contains(&s) {
            return Err("Status is invalid.");
        }
    }
    if let Some(urg) = u["urgency"].as_str() {
        if urg != "high" && urg != "low" {
            return Err("Urgency is invalid.");
        }
    }
    state
        .update_incident(id, |i| {
            if let Some(s) = u["status"].as_str() {
                // A resolved incident stays resolved.
                if i.status != "resolved" {
                    i.status = s.to_owned();
                    i.log_entries
                        .push(json!({"type": format!("{s}_log_entry"), "summary": s}));
                }
            }
            if let Some(t) = u["title"].as_str() {
                i.title = t.to_owned();
            }
            if let Some(urg) = u["urgency"].as_str() {
                i.urgency = urg.to_owned();
            }
        })
        .ok_or("Incident not found.")
}

fn update_incident(state: &mut State, id: &str, u: &Value) -> Reply {
    if state.incident(id).is_none() {
        return Reply::not_found();
    }
    match apply_update(state, id, u) {
        Ok(()) => with_incident(state, id, |s, i| {
            Reply::json(200, &json!({"incident": s.incident_json(i)}))
        }),
        Err(e) => Reply::rest_error(400, 2001, "Invalid Input Provided", &[e]),
    }
}

fn manage_incidents(state: &mut State, body: &Value) -> Reply {
    let Some(list) = body["incidents"].as_array() else {
        return Reply::rest_error(
            400,
            2001,
            "Invalid Input Provided",
            &["incidents must be an array"],
        );
    };
    let mut out = vec![];
    for u in list {
        let id = u["id"].as_str().unwrap_or("");
        if let Err(e) = apply_update(state, id, u) {
            return Reply::rest_error(400, 2001, "Invalid Input Provided", &[e]);
        }
        out.push(
            state
                .incident(id)
                .map(|i| state.incident_json(i))
                .unwrap_or(Value::Null),
        );
    }
    Reply::json(200, &json!({"incidents": out}))
}

fn add_note(
    state: &mut State,
    id: &str,
    body: &Value,
    from: Option<&str>,
    caller: &Caller,
) -> Reply {
    let content = body
        .pointer("/note/content")
        .and_then(Value::as_str)
        .unwrap_or("");
    if content.trim().is_empty() {
        return Reply::rest_error(
            400,
            2001,
            "Invalid Input Provided",
            &["Content can't be blank."],
        );
    }
    let author = match (&caller.kind, from) {
        (KeyKind::User(uid), _) => state.user(uid).cloned(),
        (_, Some(email)) => state.user_by_email(email).cloned(),
        _ => None,
    };
    let note = json!({
        "id": format!("PNOTE{:05}", state.incidents.iter().map(|i| i.notes.len()).sum::<usize>() + 1),
        "content": content,
        "created_at": time::OffsetDateTime::now_utc().format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
        "user": author.map(|u| reference("user", "users", &u.id, &u.name)),
    });
    match state.update_incident(id, |i| i.notes.push(note.clone())) {
        Some(()) => Reply::json(201, &json!({ "note": note })),
        None => Reply::not_found(),
    }
}

fn merge(state: &mut State, id: &str, body: &Value) -> Reply {
    if state.incident(id).is_none() {
        return Reply::not_found();
    }
    for s in body["source_incidents"].as_array().into_iter().flatten() {
        let sid = s["id"].as_str().unwrap_or("");
        if state
            .update_incident(sid, |i| i.status = "resolved".into())
            .is_none()
        {
            return Reply::rest_error(
                400,
                2001,
                "Invalid Input Provided",
                &["Source incident not found."],
            );
        }
    }
    with_incident(state, id, |s, i| {
        Reply::json(200, &json!({"incident": s.incident_json(i)}))
    })
}
