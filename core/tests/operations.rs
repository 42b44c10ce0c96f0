//! Every typed REST helper's request, field by field, and its response reader.

use pagerduty_core::credentials::RestToken;
use pagerduty_core::http::{Method, Request, Response};
use pagerduty_core::operations::incidents::{
    IncidentFilter, IncidentStatus, IncidentUpdate, NewIncident, Urgency,
};
use pagerduty_core::operations::oncalls::OnCallFilter;
use pagerduty_core::operations::tags::Taggable;
use pagerduty_core::operations::ListFilter;
use pagerduty_core::pagination::{Pager, Scheme};
use pagerduty_core::region::Endpoints;
use pagerduty_core::rest::{Rest, ACCEPT};
use serde_json::{json, Value};

const KEY: &str = "y_NbAkKc66ryYTWUXYEu";
const FROM: &str = "oncall@example.com";

fn rest() -> Rest {
    Rest::new(
        RestToken::general_access(KEY).unwrap().into(),
        Endpoints::default(),
    )
    .with_default_from(FROM)
    .unwrap()
}

fn bare() -> Rest {
    Rest::new(
        RestToken::general_access(KEY).unwrap().into(),
        Endpoints::default(),
    )
}

/// Method, URL (path and query decoded into pairs), From, body.
fn check(
    req: &Request,
    method: Method,
    path: &str,
    query: &[(&str, &str)],
    from: bool,
    body: Option<Value>,
) {
    let url = url::Url::parse(&req.url).unwrap();
    assert_eq!(req.method, method, "{}", req.url);
    assert_eq!(url.host_str(), Some("api.pagerduty.com"));
    assert_eq!(url.path(), path);
    let got: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (k.into(), v.into()))
        .collect();
    let want: Vec<(String, String)> = query
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(got, want, "{}", req.url);
    assert_eq!(req.header("accept"), Some(ACCEPT));
    assert_eq!(
        req.header("authorization"),
        Some(format!("Token token={KEY}").as_str())
    );
    assert_eq!(req.header("content-type"), Some("application/json"));
    assert_eq!(
        req.header("from"),
        if from { Some(FROM) } else { None },
        "{} {}",
        req.method,
        req.url
    );
    let got_body = req
        .body
        .as_ref()
        .map(|b| serde_json::from_str::<Value>(b).unwrap());
    assert_eq!(got_body, body, "{}", req.url);
}

fn first(mut pager: Pager) -> Request {
    pager.next_request().unwrap().unwrap()
}

#[test]
fn list_incidents_with_every_filter() {
    let filter = IncidentFilter {
        since: Some("2026-11-01T00:00:00Z".into()),
        until: Some("2026-11-23T00:00:00Z".into()),
        date_range: None,
        statuses: vec![IncidentStatus::Triggered, IncidentStatus::Acknowledged],
        service_ids: vec!["PS1".into(), "PS2".into()],
        team_ids: vec!["PT1".into()],
        user_ids: vec!["PU1".into()],
        urgencies: vec![Urgency::High],
        incident_key: Some("disk/db-1".into()),
        sort_by: vec!["created_at:desc".into()],
        include: vec!["services".into()],
        time_zone: Some("Europe/Paris".into()),
        total: true,
        limit: Some(50),
    };
    check(
        &first(rest().list_incidents(&filter).unwrap()),
        Method::Get,
        "/incidents",
        &[
            ("since", "2026-11-01T00:00:00Z"),
            ("until", "2026-11-23T00:00:00Z"),
            ("statuses[]", "triggered"),
            ("statuses[]", "acknowledged"),
            ("service_ids[]", "PS1"),
            ("service_ids[]", "PS2"),
            ("team_ids[]", "PT1"),
            ("user_ids[]", "PU1"),
            ("urgencies[]", "high"),
            ("incident_key", "disk/db-1"),
            ("sort_by", "created_at:desc"),
            ("include[]", "services"),
            ("time_zone", "Europe/Paris"),
            ("total", "true"),
            ("limit", "50"),
            ("offset", "0"),
        ],
        false,
        None,
    );
    check(
        &first(rest().list_incidents(&IncidentFilter::default()).unwrap()),
        Method::Get,
        "/incidents",
        &[("limit", "100"), ("offset", "0")],
        false,
        None,
    );
    let bad = IncidentFilter {
        since: Some("last tuesday".into()),
        ..Default::default()
    };
    assert_eq!(
        rest().list_incidents(&bad).unwrap_err().to_string(),
        "invalid since: \"last tuesday\" is not an ISO 8601 date and time such as 2026-11-23T16:42:17Z"
    );
}

#[test]
fn incident_reads_and_writes() {
    let r = rest();
    check(
        &r.get_incident("PI1").unwrap().request,
        Method::Get,
        "/incidents/PI1",
        &[],
        false,
        None,
    );
    let new = NewIncident {
        title: "Disk full on db-1".into(),
        service_id: "PS1".into(),
        urgency: Some(Urgency::High),
        details: Some("95% used".into()),
        incident_key: Some("disk/db-1".into()),
        priority_id: Some("PP1".into()),
        escalation_policy_id: Some("PE1".into()),
        assignee_ids: vec!["PU1".into()],
    };
    check(
        &r.create_incident(&new).unwrap().request,
        Method::Post,
        "/incidents",
        &[],
        true,
        Some(json!({"incident": {
            "type": "incident",
            "title": "Disk full on db-1",
            "service": {"id": "PS1", "type": "service_reference"},
            "urgency": "high",
            "body": {"type": "incident_body", "details": "95% used"},
            "incident_key": "disk/db-1",
            "priority": {"id": "PP1", "type": "priority_reference"},
            "escalation_policy": {"id": "PE1", "type": "escalation_policy_reference"},
            "assignments": [{"assignee": {"id": "PU1", "type": "user_reference"}}],
        }})),
    );
    let ack = IncidentUpdate {
        status: Some(IncidentStatus::Resolved),
        resolution: Some("freed space".into()),
        ..Default::default()
    };
    check(
        &r.update_incident("PI1", &ack).unwrap().request,
        Method::Put,
        "/incidents/PI1",
        &[],
        true,
        Some(
            json!({"incident": {"type": "incident_reference", "status": "resolved", "resolution": "freed space"}}),
        ),
    );
    check(
        &r.manage_incidents(&[
            ("PI1".into(), ack.clone()),
            (
                "PI2".into(),
                IncidentUpdate {
                    escalation_level: Some(2),
                    ..Default::default()
                },
            ),
        ])
        .unwrap()
        .request,
        Method::Put,
        "/incidents",
        &[],
        true,
        Some(json!({"incidents": [
            {"id": "PI1", "type": "incident_reference", "status": "resolved", "resolution": "freed space"},
            {"id": "PI2", "type": "incident_reference", "escalation_level": 2},
        ]})),
    );
    check(
        &r.merge_incidents("PI1", &["PI2".into(), "PI3".into()])
            .unwrap()
            .request,
        Method::Put,
        "/incidents/PI1/merge",
        &[],
        true,
        Some(
            json!({"source_incidents": [{"id": "PI2", "type": "incident_reference"}, {"id": "PI3", "type": "incident_reference"}]}),
        ),
    );
    check(
        &r.snooze_incident("PI1", 3600).unwrap().request,
        Method::Post,
        "/incidents/PI1/snooze",
        &[],
        true,
        Some(json!({"duration": 3600})),
    );
    check(
        &r.list_incident_notes("PI1").unwrap().request,
        Method::Get,
        "/incidents/PI1/notes",
        &[],
        false,
        None,
    );
    check(
        &r.create_incident_note("PI1", "Looking into it")
            .unwrap()
            .request,
        Method::Post,
        "/incidents/PI1/notes",
        &[],
        true,
        Some(json!({"note": {"content": "Looking into it"}})),
    );
    check(
        &first(
            r.list_incident_log_entries("PI1", Some("2026-11-01T00:00:00Z".into()), None)
                .unwrap(),
        ),
        Method::Get,
        "/incidents/PI1/log_entries",
        &[
            ("since", "2026-11-01T00:00:00Z"),
            ("limit", "100"),
            ("offset", "0"),
        ],
        false,
        None,
    );
    check(
        &first(r.list_log_entries(None, None, &["PT1".into()]).unwrap()),
        Method::Get,
        "/log_entries",
        &[("team_ids[]", "PT1"), ("limit", "100"), ("offset", "0")],
        false,
        None,
    );
    check(
        &r.get_log_entry("PL1").unwrap().request,
        Method::Get,
        "/log_entries/PL1",
        &[],
        false,
        None,
    );
    check(
        &first(r.list_incident_alerts("PI1", &["triggered"]).unwrap()),
        Method::Get,
        "/incidents/PI1/alerts",
        &[
            ("statuses[]", "triggered"),
            ("limit", "100"),
            ("offset", "0"),
        ],
        false,
        None,
    );
    check(
        &r.get_incident_alert("PI1", "PA1").unwrap().request,
        Method::Get,
        "/incidents/PI1/alerts/PA1",
        &[],
        false,
        None,
    );
}

#[test]
fn writes_that_need_from_fail_without_it_before_any_io() {
    let b = bare();
    let errors = [
        b.create_incident(&NewIncident {
            title: "t".into(),
            service_id: "PS1".into(),
            ..Default::default()
        })
        .unwrap_err(),
        b.update_incident("PI1", &IncidentUpdate::default())
            .unwrap_err(),
        b.manage_incidents(&[("PI1".into(), IncidentUpdate::default())])
            .unwrap_err(),
        b.merge_incidents("PI1", &["PI2".into()]).unwrap_err(),
        b.snooze_incident("PI1", 60).unwrap_err(),
        b.create_incident_note("PI1", "x").unwrap_err(),
    ];
    for e in errors {
        assert_eq!(e.code(), "invalid_input");
        assert!(e.to_string().starts_with("invalid from: "), "{e}");
    }
}

#[test]
fn helper_input_is_validated() {
    let r = rest();
    assert_eq!(
        r.get_incident("PI1/../../users").unwrap_err().to_string(),
        "invalid id: must be a PagerDuty ID (letters, digits, '_' or '-')"
    );
    assert_eq!(
        r.create_incident(&NewIncident {
            title: " ".into(),
            service_id: "PS1".into(),
            ..Default::default()
        })
        .unwrap_err()
        .to_string(),
        "invalid incident.title: is required"
    );
    assert_eq!(
        r.manage_incidents(&[]).unwrap_err().to_string(),
        "invalid incidents: must hold 1 to 250 updates"
    );
    assert_eq!(
        r.snooze_incident("PI1", 0).unwrap_err().to_string(),
        "invalid duration: must be at least one second"
    );
    assert_eq!(
        r.create_override("PSC1", "PU1", "2026-11-23T10:00:00Z", "tomorrow").unwrap_err().to_string(),
        "invalid override.end: \"tomorrow\" is not an ISO 8601 date and time such as 2026-11-23T16:42:17Z"
    );
}

#[test]
fn services_users_schedules_policies_teams() {
    let r = rest();
    let filter = ListFilter {
        query: Some("web".into()),
        team_ids: vec!["PT1".into()],
        include: vec!["teams".into()],
        limit: Some(10),
    };
    let q = [
        ("query", "web"),
        ("team_ids[]", "PT1"),
        ("include[]", "teams"),
        ("limit", "10"),
        ("offset", "0"),
    ];
    check(
        &first(r.list_services(&filter).unwrap()),
        Method::Get,
        "/services",
        &q,
        false,
        None,
    );
    check(
        &r.get_service("PS1").unwrap().request,
        Method::Get,
        "/services/PS1",
        &[],
        false,
        None,
    );
    let svc = json!({"name": "web", "escalation_policy": {"id": "PE1", "type": "escalation_policy_reference"}});
    check(
        &r.create_service(&svc).unwrap().request,
        Method::Post,
        "/services",
        &[],
        true,
        Some(json!({"service": svc})),
    );
    check(
        &r.update_service("PS1", &json!({"name": "web2"}))
            .unwrap()
            .request,
        Method::Put,
        "/services/PS1",
        &[],
        true,
        Some(json!({"service": {"name": "web2"}})),
    );
    check(
        &r.delete_service("PS1").unwrap().request,
        Method::Delete,
        "/services/PS1",
        &[],
        true,
        None,
    );
    check(
        &r.get_service_integration("PS1", "PN1").unwrap().request,
        Method::Get,
        "/services/PS1/integrations/PN1",
        &[],
        false,
        None,
    );
    check(
        &r.create_service_integration("PS1", &json!({"type": "events_api_v2_inbound_integration"}))
            .unwrap()
            .request,
        Method::Post,
        "/services/PS1/integrations",
        &[],
        true,
        Some(json!({"integration": {"type": "events_api_v2_inbound_integration"}})),
    );

    check(
        &first(r.list_users(&filter).unwrap()),
        Method::Get,
        "/users",
        &q,
        false,
        None,
    );
    check(
        &r.get_user("PU1").unwrap().request,
        Method::Get,
        "/users/PU1",
        &[],
        false,
        None,
    );
    check(
        &r.current_user().unwrap().request,
        Method::Get,
        "/users/me",
        &[],
        false,
        None,
    );
    check(
        &r.list_contact_methods("PU1").unwrap().request,
        Method::Get,
        "/users/PU1/contact_methods",
        &[],
        false,
        None,
    );
    check(
        &r.list_notification_rules("PU1", Some("high"))
            .unwrap()
            .request,
        Method::Get,
        "/users/PU1/notification_rules",
        &[("urgency", "high")],
        false,
        None,
    );

    check(
        &first(r.list_schedules(&ListFilter::default()).unwrap()),
        Method::Get,
        "/schedules",
        &[("limit", "100"), ("offset", "0")],
        false,
        None,
    );
    check(
        &r.get_schedule(
            "PSC1",
            Some("2026-11-01T00:00:00Z".into()),
            Some("2026-11-08T00:00:00Z".into()),
        )
        .unwrap()
        .request,
        Method::Get,
        "/schedules/PSC1",
        &[
            ("since", "2026-11-01T00:00:00Z"),
            ("until", "2026-11-08T00:00:00Z"),
        ],
        false,
        None,
    );
    check(
        &r.list_schedule_users("PSC1", None, None).unwrap().request,
        Method::Get,
        "/schedules/PSC1/users",
        &[],
        false,
        None,
    );
    check(
        &r.list_overrides("PSC1", "2026-11-01T00:00:00Z", "2026-11-08T00:00:00Z")
            .unwrap()
            .request,
        Method::Get,
        "/schedules/PSC1/overrides",
        &[
            ("since", "2026-11-01T00:00:00Z"),
            ("until", "2026-11-08T00:00:00Z"),
        ],
        false,
        None,
    );
    check(
        &r.create_override(
            "PSC1",
            "PU1",
            "2026-11-23T10:00:00Z",
            "2026-11-23T18:00:00Z",
        )
        .unwrap()
        .request,
        Method::Post,
        "/schedules/PSC1/overrides",
        &[],
        true,
        Some(
            json!({"overrides": [{"start": "2026-11-23T10:00:00Z", "end": "2026-11-23T18:00:00Z", "user": {"id": "PU1", "type": "user_reference"}}]}),
        ),
    );
    check(
        &r.delete_override("PSC1", "PO1").unwrap().request,
        Method::Delete,
        "/schedules/PSC1/overrides/PO1",
        &[],
        true,
        None,
    );

    check(
        &first(
            r.list_escalation_policies(&ListFilter::default(), &["PU1".into()])
                .unwrap(),
        ),
        Method::Get,
        "/escalation_policies",
        &[("user_ids[]", "PU1"), ("limit", "100"), ("offset", "0")],
        false,
        None,
    );
    check(
        &r.get_escalation_policy("PE1").unwrap().request,
        Method::Get,
        "/escalation_policies/PE1",
        &[],
        false,
        None,
    );
    check(
        &first(r.list_teams(&ListFilter::default()).unwrap()),
        Method::Get,
        "/teams",
        &[("limit", "100"), ("offset", "0")],
        false,
        None,
    );
    check(
        &r.get_team("PT1").unwrap().request,
        Method::Get,
        "/teams/PT1",
        &[],
        false,
        None,
    );
}

#[test]
fn oncalls_priorities_tags_abilities_change_events() {
    let r = rest();
    let f = OnCallFilter {
        since: Some("2026-11-23T00:00:00Z".into()),
        until: None,
        earliest: true,
        user_ids: vec!["PU1".into()],
        escalation_policy_ids: vec!["PE1".into()],
        schedule_ids: vec!["PSC1".into()],
        time_zone: Some("UTC".into()),
        include: vec!["users".into()],
    };
    check(
        &first(r.list_oncalls(&f).unwrap()),
        Method::Get,
        "/oncalls",
        &[
            ("since", "2026-11-23T00:00:00Z"),
            ("earliest", "true"),
            ("user_ids[]", "PU1"),
            ("escalation_policy_ids[]", "PE1"),
            ("schedule_ids[]", "PSC1"),
            ("time_zone", "UTC"),
            ("include[]", "users"),
            ("limit", "100"),
            ("offset", "0"),
        ],
        false,
        None,
    );
    check(
        &first(r.list_priorities().unwrap()),
        Method::Get,
        "/priorities",
        &[("limit", "100"), ("offset", "0")],
        false,
        None,
    );
    check(
        &first(r.list_tags(&ListFilter::default()).unwrap()),
        Method::Get,
        "/tags",
        &[("limit", "100"), ("offset", "0")],
        false,
        None,
    );
    check(
        &r.get_tag("PTG1").unwrap().request,
        Method::Get,
        "/tags/PTG1",
        &[],
        false,
        None,
    );
    check(
        &first(r.list_entity_tags(Taggable::Teams, "PT1").unwrap()),
        Method::Get,
        "/teams/PT1/tags",
        &[("limit", "100"), ("offset", "0")],
        false,
        None,
    );
    check(
        &r.change_tags(Taggable::Users, "PU1", &["db".into()], &["PTG1".into()])
            .unwrap()
            .request,
        Method::Post,
        "/users/PU1/change_tags",
        &[],
        true,
        Some(
            json!({"add": [{"type": "tag", "label": "db"}], "remove": [{"type": "tag_reference", "id": "PTG1"}]}),
        ),
    );
    check(
        &r.list_abilities().unwrap().request,
        Method::Get,
        "/abilities",
        &[],
        false,
        None,
    );
    check(
        &r.test_ability("teams").unwrap().request,
        Method::Get,
        "/abilities/teams",
        &[],
        false,
        None,
    );
    check(
        &first(
            r.list_change_events(None, None, &["PT1".into()], &["PN1".into()])
                .unwrap(),
        ),
        Method::Get,
        "/change_events",
        &[
            ("team_ids[]", "PT1"),
            ("integration_ids[]", "PN1"),
            ("limit", "100"),
            ("offset", "0"),
        ],
        false,
        None,
    );
    check(
        &first(r.list_service_change_events("PS1", None, None).unwrap()),
        Method::Get,
        "/services/PS1/change_events",
        &[("limit", "100"), ("offset", "0")],
        false,
        None,
    );
    check(
        &r.get_change_event("PC1").unwrap().request,
        Method::Get,
        "/change_events/PC1",
        &[],
        false,
        None,
    );
}

#[test]
fn readers_unwrap_entities_and_map_statuses() {
    let r = rest();
    let op = r.get_incident("PI1").unwrap();
    let i = op
        .parse(&Response::new(
            200,
            vec![],
            r#"{"incident":{"id":"PI1","incident_number":42,"status":"triggered"}}"#,
        ))
        .unwrap();
    assert_eq!((i.id.as_str(), i.incident_number), ("PI1", Some(42)));
    let notes = r
        .list_incident_notes("PI1")
        .unwrap()
        .parse(&Response::new(
            200,
            vec![],
            r#"{"notes":[{"id":"N1","content":"hi"}]}"#,
        ))
        .unwrap();
    assert_eq!(notes[0].content.as_deref(), Some("hi"));
    assert!(r
        .delete_service("PS1")
        .unwrap()
        .parse(&Response::new(204, vec![], ""))
        .is_ok());
    let ability = r.test_ability("teams").unwrap();
    assert!(ability.parse(&Response::new(204, vec![], "")).unwrap());
    assert!(!ability
        .parse(&Response::new(
            402,
            vec![],
            r#"{"error":{"message":"Payment Required"}}"#
        ))
        .unwrap());
    assert_eq!(
        ability
            .parse(&Response::new(401, vec![], ""))
            .unwrap_err()
            .code(),
        "unauthorized"
    );
    let abilities = r
        .list_abilities()
        .unwrap()
        .parse(&Response::new(
            200,
            vec![],
            r#"{"abilities":["teams","urgencies"]}"#,
        ))
        .unwrap();
    assert_eq!(abilities, ["teams", "urgencies"]);
    let forbidden = Response::new(
        403,
        vec![("x-request-id".into(), "R9".into())],
        r#"{"error":{"message":"Access Denied","code":2010}}"#,
    );
    let err = op.parse(&forbidden).unwrap_err();
    assert_eq!(
        err.to_string(),
        "forbidden: HTTP 403: Access Denied (code 2010) [request id R9]. The key may not do this: a read-only key \
         cannot write, and a user token can only do what its user's role allows"
    );
}

#[test]
fn typed_pages() {
    let mut p = rest().list_incidents(&IncidentFilter::default()).unwrap();
    assert_eq!(p.scheme(), Scheme::Classic);
    let _ = p.next_request().unwrap();
    let page = p
        .handle_response(Response::new(
            200,
            vec![],
            r#"{"incidents":[{"id":"PI1","title":"a"}],"more":false}"#,
        ))
        .unwrap();
    let items: Vec<pagerduty_core::models::Incident> = page.deserialize().unwrap();
    assert_eq!(items[0].title.as_deref(), Some("a"));
}
