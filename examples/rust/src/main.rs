//! The demo: what an SRE's script does at 3 a.m., through pagerduty-core and pagerduty-client's
//! blocking transport (reqwest), the same one libpagerduty gives C and Python.
//!
//! Against the simulator by default (`make demo` starts one and sets PAGERDUTY_BASE_URL);
//! against PagerDuty when PAGERDUTY_TOKEN, PAGERDUTY_ROUTING_KEY (and PAGERDUTY_FROM) are set.

use pagerduty_client::blocking::Transport;
use pagerduty_client::{random_bytes, Settings};
use pagerduty_core::credentials::{IntegrationKey, RestToken};
use pagerduty_core::events::{Events, Severity, Trigger};
use pagerduty_core::models::Incident;
use pagerduty_core::operations::incidents::{IncidentFilter, IncidentStatus};
use pagerduty_core::region::Endpoints;
use pagerduty_core::response_error::Api;
use pagerduty_core::rest::Rest;
use pagerduty_core::Error;

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn main() {
    if let Err(e) = run() {
        // Errors carry a stable code; they never contain a key.
        eprintln!("demo failed [{}]: {e}", e.code());
        std::process::exit(1);
    }
}

fn run() -> Result<(), Error> {
    let endpoints = match env("PAGERDUTY_BASE_URL") {
        Some(url) => Endpoints::custom(&url)?,
        None => Endpoints::parse(&env("PAGERDUTY_REGION").unwrap_or_else(|| "us".into()))?,
    };
    let token = env("PAGERDUTY_TOKEN").unwrap_or_else(|| "pdmock_full_access_1".into());
    let routing_key =
        env("PAGERDUTY_ROUTING_KEY").unwrap_or_else(|| "pdmockintegrationkey000000000001".into());
    let from = env("PAGERDUTY_FROM").unwrap_or_else(|| "ada@example.com".into());
    println!("REST  {}", endpoints.rest());
    println!("Events {}", endpoints.events());

    let http = Transport::new(&Settings::default())?;
    let key = IntegrationKey::new(&routing_key)?;
    let events = Events::new(endpoints.clone());

    // 1. Trigger without a dedup_key: the core makes one before the first attempt.
    let trigger = Trigger {
        component: Some("postgres".into()),
        custom_details: Some(serde_json::json!({"free_percent": 4})),
        ..Trigger::new(
            "Disk /var at 96% on db-1 (pagerduty-core demo)",
            "db-1.prod",
            Severity::Critical,
        )
    };
    let op = events.trigger(&key, &trigger, random_bytes()?)?;
    let accepted = op.parse(&http.send(op.request.clone(), op.api())?)?;
    let dedup_key = accepted.dedup_key.unwrap_or_default();
    println!(
        "triggered      dedup_key={dedup_key} ({})",
        accepted.message
    );

    // 2. Acknowledge and resolve by that key.
    let op = events.acknowledge(&key, &dedup_key)?;
    op.parse(&http.send(op.request.clone(), op.api())?)?;
    println!("acknowledged   dedup_key={dedup_key}");

    // 3. REST: walk open incidents page by page through the pager.
    let rest = Rest::new(RestToken::general_access(&token)?.into(), endpoints.clone())
        .with_default_from(&from)?;
    let filter = IncidentFilter {
        statuses: vec![IncidentStatus::Triggered, IncidentStatus::Acknowledged],
        limit: Some(100),
        ..Default::default()
    };
    let mut pager = rest.list_incidents(&filter)?;
    let (mut pages, mut count, mut ours) = (0, 0, None::<Incident>);
    while let Some(request) = pager.next_request()? {
        let page = pager.handle_response(http.send(request, Api::Rest)?)?;
        pages += 1;
        for incident in page.deserialize::<Incident>()? {
            if incident.incident_key.as_deref() == Some(dedup_key.as_str()) {
                ours = Some(incident.clone());
            }
            count += 1;
        }
    }
    println!(
        "open incidents {count} in {pages} page(s){}",
        if pager.truncated() {
            " (stopped at the 10,000 cap)"
        } else {
            ""
        }
    );

    // 4. A note on ours, then resolve it through the Events API.
    if let Some(incident) = ours {
        println!(
            "our incident   #{} {} [{}]",
            incident.incident_number.unwrap_or(0),
            incident.id,
            incident.status.as_deref().unwrap_or("?")
        );
        let op = rest.create_incident_note(
            &incident.id,
            "Freed 20 GB of old WAL files. -- pagerduty-core demo",
        )?;
        let note = op.parse(&http.send(op.request.clone(), Api::Rest)?)?;
        println!("note added     {}", note.id);
    }
    let op = events.resolve(&key, &dedup_key)?;
    op.parse(&http.send(op.request.clone(), op.api())?)?;
    println!("resolved       dedup_key={dedup_key}");

    // 5. What goes wrong is typed, and no key is ever shown.
    match RestToken::general_access(&routing_key) {
        Err(e) => println!("wrong key kind [{}] {e}", e.code()),
        Ok(_) => println!("(the routing key is not 32 characters?)"),
    }
    if env("PAGERDUTY_TOKEN").is_none() {
        let read_only = Rest::new(
            RestToken::general_access("pdmock_read_only_key")?.into(),
            endpoints,
        )
        .with_default_from(&from)?;
        let op = read_only.create_incident_note("Q0000000000001", "should be refused")?;
        match http
            .send(op.request.clone(), Api::Rest)
            .and_then(|r| op.parse(&r))
        {
            Err(e) => println!("read-only key  [{}] {e}", e.code()),
            Ok(_) => println!("read-only key  unexpectedly allowed"),
        }
    }
    Ok(())
}
