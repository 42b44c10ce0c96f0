//! `cargo bench -p pagerduty-core` (or `make bench-core`): prints figures, asserts nothing.
//!
//! 1. Build 100,000 REST requests (a filtered incident list page).
//! 2. Walk 1,000 pages of 100 realistic incidents (~2 KB each, shaped like the spec's
//!    Incident) through the pager, against `serde_json::from_slice::<Value>` over the same bytes,
//!    and the core's own reader (`json_text::parse`) against it.
//!
//! Each figure is the median of several rounds; the machine is shared, so read ratios.

use std::hint::black_box;
use std::time::{Duration, Instant};

use pagerduty_core::credentials::RestToken;
use pagerduty_core::http::Response;
use pagerduty_core::models::Incident;
use pagerduty_core::operations::incidents::{IncidentFilter, IncidentStatus};
use pagerduty_core::pagination::Page;
use pagerduty_core::region::Endpoints;
use pagerduty_core::rest::Rest;

const ROUNDS: usize = 7;
const PAGES: usize = 1000;

fn incident(n: usize) -> String {
    let id = format!("Q{n:013}");
    format!(
        r#"{{"id":"{id}","type":"incident","summary":"[#{n}] The server is on fire: disk /var at 98% on db-{n}.prod","self":"https://api.pagerduty.com/incidents/{id}","html_url":"https://acme.pagerduty.com/incidents/{id}","incident_number":{n},"title":"The server is on fire: disk /var at 98% on db-{n}.prod","description":"The server is on fire: disk /var at 98% on db-{n}.prod","created_at":"2026-11-23T13:{m:02}:17Z","updated_at":"2026-11-23T14:{m:02}:05Z","status":"triggered","incident_key":"baf7cf21b1da41b4b0221008339ff357-{n}","service":{{"id":"PWIXJZS","type":"service_reference","summary":"My Mail Service","self":"https://api.pagerduty.com/services/PWIXJZS","html_url":"https://acme.pagerduty.com/service-directory/PWIXJZS"}},"assignments":[{{"at":"2026-11-23T13:{m:02}:17Z","assignee":{{"id":"PXPGF42","type":"user_reference","summary":"Earline Greenholt","self":"https://api.pagerduty.com/users/PXPGF42","html_url":"https://acme.pagerduty.com/users/PXPGF42"}}}}],"assigned_via":"escalation_policy","last_status_change_at":"2026-11-23T13:{m:02}:17Z","resolved_at":null,"first_trigger_log_entry":{{"id":"Q02JTSNZWHSEKV","type":"trigger_log_entry_reference","summary":"Triggered through the API","self":"https://api.pagerduty.com/log_entries/Q02JTSNZWHSEKV"}},"alert_counts":{{"all":2,"triggered":1,"resolved":1}},"is_mergeable":true,"escalation_policy":{{"id":"PT20YPA","type":"escalation_policy_reference","summary":"Another Escalation Policy","self":"https://api.pagerduty.com/escalation_policies/PT20YPA","html_url":"https://acme.pagerduty.com/escalation_policies/PT20YPA"}},"teams":[{{"id":"PQ9K7I8","type":"team_reference","summary":"Engineering","self":"https://api.pagerduty.com/teams/PQ9K7I8","html_url":"https://acme.pagerduty.com/teams/PQ9K7I8"}}],"pending_actions":[{{"type":"unacknowledge","at":"2026-11-23T15:{m:02}:17Z"}},{{"type":"resolve","at":"2026-11-24T13:{m:02}:17Z"}}],"acknowledgements":[],"alert_grouping":null,"last_status_change_by":{{"id":"PXPGF42","type":"user_reference","summary":"Earline Greenholt"}},"priority":{{"id":"P53ZZH5","type":"priority_reference","summary":"P2","self":"https://api.pagerduty.com/priorities/P53ZZH5","html_url":null}},"resolve_reason":null,"conference_bridge":{{"conference_number":"+1-415-555-1212,,,,1234#","conference_url":"https://example.com/acb-123"}},"incidents_responders":[],"responder_requests":[],"urgency":"high","body":{{"type":"incident_body","details":"A disk is getting full on this machine. Investigate what fills it."}}}}"#,
        m = n % 60
    )
}

fn page(p: usize) -> Vec<u8> {
    let items: Vec<String> = (0..100).map(|i| incident(p * 100 + i)).collect();
    format!(
        r#"{{"incidents":[{}],"limit":100,"offset":{},"more":{},"total":null}}"#,
        items.join(","),
        p * 100,
        p + 1 < PAGES
    )
    .into_bytes()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn per(d: Duration, n: usize) -> String {
    let ns = d.as_nanos() as f64 / n as f64;
    if ns > 10_000.0 {
        format!("{:.1} µs", ns / 1000.0)
    } else {
        format!("{ns:.0} ns")
    }
}

fn main() {
    let rest = Rest::new(
        RestToken::general_access("y_NbAkKc66ryYTWUXYEu")
            .unwrap()
            .into(),
        Endpoints::default(),
    );
    let filter = IncidentFilter {
        since: Some("2026-11-01T00:00:00Z".into()),
        statuses: vec![IncidentStatus::Triggered, IncidentStatus::Acknowledged],
        service_ids: vec!["PWIXJZS".into()],
        ..Default::default()
    };

    // 1. Request building.
    let mut builds = vec![];
    for _ in 0..ROUNDS {
        let t = Instant::now();
        for _ in 0..100_000 {
            let mut pager = rest.list_incidents(&filter).unwrap();
            black_box(pager.next_request().unwrap());
        }
        builds.push(t.elapsed());
    }
    let b = median(builds);
    println!(
        "build 100,000 REST requests: {:.1} ms median ({} each)",
        b.as_secs_f64() * 1e3,
        per(b, 100_000)
    );

    // 2. Pages.
    let pages: Vec<Vec<u8>> = (0..PAGES).map(page).collect();
    let bytes: usize = pages.iter().map(Vec::len).sum();
    println!(
        "pages: {PAGES} x 100 incidents, {:.1} MB, {:.0} bytes per incident",
        bytes as f64 / 1e6,
        bytes as f64 / (PAGES * 100) as f64
    );
    let (mut ours, mut value, mut text, mut typed, mut walk) =
        (vec![], vec![], vec![], vec![], vec![]);
    let mut walked = 0;
    for _ in 0..ROUNDS {
        // Page::parse owns its body; the copy it is handed is made outside the timing.
        let mut t_ours = Duration::ZERO;
        for p in &pages {
            let response = Response::new(200, vec![], p.clone());
            let t = Instant::now();
            let page = Page::parse(response, "incidents").unwrap();
            black_box(page.item(99));
            t_ours += t.elapsed();
        }
        ours.push(t_ours);

        let t = Instant::now();
        for p in &pages {
            black_box(serde_json::from_slice::<serde_json::Value>(p).unwrap());
        }
        value.push(t.elapsed());

        let t = Instant::now();
        for p in &pages {
            black_box(pagerduty_core::json_text::parse(p).unwrap());
        }
        text.push(t.elapsed());

        let t = Instant::now();
        for p in &pages {
            let page = Page::parse(Response::new(200, vec![], p.clone()), "incidents").unwrap();
            black_box(page.deserialize::<Incident>().unwrap());
        }
        typed.push(t.elapsed());

        // The whole walk as a binding drives it: request, response, page, items.
        let t = Instant::now();
        let mut pager = rest.list_incidents(&IncidentFilter::default()).unwrap();
        let mut i = 0;
        // At the 10,000 cap the next request is the `truncated` error (there are more).
        while let Ok(Some(req)) = pager.next_request() {
            black_box(&req);
            let page = pager
                .handle_response(Response::new(200, vec![], pages[i].clone()))
                .unwrap();
            walked = page.items().count() + i * 100;
            i += 1;
        }
        assert!(pager.truncated());
        walk.push(t.elapsed());
    }
    let (o, v, j, ty, w) = (
        median(ours),
        median(value),
        median(text),
        median(typed),
        median(walk),
    );
    println!(
        "Page::parse (items as raw JSON):        {} per page",
        per(o, PAGES)
    );
    println!(
        "serde_json::from_slice::<Value>:        {} per page",
        per(v, PAGES)
    );
    println!(
        "json_text::parse (the core's reader):   {} per page, {:.2}x serde_json's",
        per(j, PAGES),
        j.as_secs_f64() / v.as_secs_f64()
    );
    println!(
        "ratio Page::parse / Value:              {:.2}x (target <= 1.20x)",
        o.as_secs_f64() / v.as_secs_f64()
    );
    println!(
        "Page::parse + deserialize::<Incident>:  {} per page (copy of body included)",
        per(ty, PAGES)
    );
    println!(
        "Pager walk to the 10,000 cap ({walked} incidents): {:.1} ms (copy of each body included)",
        w.as_secs_f64() * 1e3
    );
}
