//! Whole histories past the 10,000-record cap: a fake PagerDuty holding 30,000 incidents over a
//! month (with the cap, `total=true`, and `since`/`until` either half-open, as documented, or
//! inclusive at both ends) walked by `Pager::history`: every incident once, none twice, in
//! time order.

use std::collections::HashSet;

use pagerduty_core::credentials::RestToken;
use pagerduty_core::http::{Request, Response};
use pagerduty_core::pagination::Pager;
use pagerduty_core::query::Query;
use pagerduty_core::region::Endpoints;
use pagerduty_core::rest::Rest;
use pagerduty_core::ErrorCode;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

const START: i64 = 1_777_593_600; // 2026-05-01T00:00:00Z

struct Server {
    /// (created_at seconds, id)
    incidents: Vec<(i64, String)>,
    inclusive_until: bool,
    requests: usize,
}

impl Server {
    fn new(n: usize, spacing: i64, inclusive_until: bool) -> Server {
        Server {
            incidents: (0..n)
                .map(|i| (START + i as i64 * spacing, format!("P{i:07}")))
                .collect(),
            inclusive_until,
            requests: 0,
        }
    }

    fn answer(&mut self, req: &Request) -> Response {
        self.requests += 1;
        let url = url::Url::parse(&req.url).unwrap();
        let q = |k: &str| {
            url.query_pairs()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.into_owned())
        };
        let t = |k: &str| {
            OffsetDateTime::parse(&q(k).unwrap(), &Rfc3339)
                .unwrap()
                .unix_timestamp()
        };
        let (since, until) = (t("since"), t("until"));
        let offset: usize = q("offset").unwrap().parse().unwrap();
        let limit: usize = q("limit").unwrap().parse().unwrap();
        if offset + limit > 10_000 {
            return Response::new(
                400,
                vec![],
                r#"{"error":{"message":"Offset must be less than 10000.","code":2001}}"#,
            );
        }
        let matching: Vec<&(i64, String)> = self
            .incidents
            .iter()
            .filter(|(c, _)| *c >= since && (*c < until || self.inclusive_until && *c == until))
            .collect();
        let page: Vec<String> = matching
            .iter()
            .skip(offset)
            .take(limit)
            .map(|(c, id)| {
                let at = OffsetDateTime::from_unix_timestamp(*c)
                    .unwrap()
                    .format(&Rfc3339)
                    .unwrap();
                format!(r#"{{"id":"{id}","type":"incident","created_at":"{at}","title":"x"}}"#)
            })
            .collect();
        let more = offset + page.len() < matching.len();
        let total = if q("total").as_deref() == Some("true") {
            matching.len().to_string()
        } else {
            "null".into()
        };
        Response::new(
            200,
            vec![],
            format!(
                r#"{{"incidents":[{}],"limit":{limit},"offset":{offset},"more":{more},"total":{total}}}"#,
                page.join(",")
            ),
        )
    }
}

fn rest() -> Rest {
    Rest::new(
        RestToken::general_access("y_NbAkKc66ryYTWUXYEu")
            .unwrap()
            .into(),
        Endpoints::default(),
    )
}

fn walk(
    server: &mut Server,
    since: &str,
    until: &str,
) -> Result<Vec<String>, pagerduty_core::Error> {
    let mut pager = Pager::history(&rest(), "/incidents", Query::new(), since, until)?;
    let mut ids = Vec::new();
    while let Some(request) = pager.next_request()? {
        let page = pager.handle_response(server.answer(&request))?;
        for item in page.items() {
            let v: serde_json::Value = serde_json::from_str(item).unwrap();
            ids.push(v["id"].as_str().unwrap().to_owned());
        }
    }
    Ok(ids)
}

#[test]
fn thirty_thousand_incidents_over_a_month_come_back_each_once_in_order() {
    for inclusive in [false, true] {
        // 30,000 incidents 86 s apart: a month.
        let mut server = Server::new(30_000, 86, inclusive);
        let ids = walk(&mut server, "2026-04-30T00:00:00Z", "2026-06-02T00:00:00Z").unwrap();
        assert_eq!(ids.len(), 30_000, "inclusive until: {inclusive}");
        let unique: HashSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), 30_000);
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted, "in time order");
        // 300 pages of items and a handful of probes and splits, not thousands of requests.
        assert!(server.requests < 330, "{} requests", server.requests);
    }
}

#[test]
fn incidents_on_window_edges_are_neither_lost_nor_doubled() {
    // Everything on whole minutes, so that split points (in whole seconds) land on items.
    let mut server = Server::new(25_000, 60, true);
    let ids = walk(&mut server, "2026-05-01T00:00:00Z", "2026-05-18T08:40:00Z").unwrap();
    assert_eq!(ids.len(), 25_000);
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 25_000);
}

#[test]
fn more_than_the_cap_in_one_second_is_truncated_not_silent() {
    let mut server = Server::new(10_500, 0, false);
    let e = walk(&mut server, "2026-05-01T00:00:00Z", "2026-05-01T00:00:01Z").unwrap_err();
    assert_eq!(e.kind(), ErrorCode::Truncated);
}

#[test]
fn arguments_are_checked_before_any_request() {
    let bad = |path: &str, q: Query, since: &str, until: &str| {
        Pager::history(&rest(), path, q, since, until)
            .unwrap_err()
            .to_string()
    };
    assert!(bad(
        "/incidents",
        Query::new(),
        "yesterday",
        "2026-05-01T00:00:00Z"
    )
    .contains("since"));
    assert!(bad(
        "/incidents",
        Query::new(),
        "2026-05-02T00:00:00Z",
        "2026-05-01T00:00:00Z"
    )
    .contains("until"));
    let mut q = Query::new();
    q.push("since", "2026-01-01T00:00:00Z");
    assert!(bad(
        "/incidents",
        q,
        "2026-05-01T00:00:00Z",
        "2026-05-02T00:00:00Z"
    )
    .contains("since"));
    assert!(bad(
        "/audit/records",
        Query::new(),
        "2026-05-01T00:00:00Z",
        "2026-05-02T00:00:00Z"
    )
    .contains("cursor"));
}

/// A window the ISO reader takes but RFC 3339 cannot write (before year 0, or past 9999 once
/// the offset is taken off) is refused up front, naming the field: it never goes out as an
/// empty `since=` / `until=`, which would walk some other window.
#[test]
fn windows_outside_years_0_to_9999_are_refused() {
    for (since, until, field) in [
        ("-000001-06-01T00:00:00Z", "2026-01-01T00:00:00Z", "since"),
        ("2026-01-01T00:00:00Z", "9999-12-31T23:00:00-05:00", "until"),
        (
            "+009999-12-31T23:00:00Z",
            "9999-12-31T23:30:00-01:00",
            "until",
        ),
    ] {
        match Pager::history(&rest(), "/incidents", Query::new(), since, until) {
            Err(pagerduty_core::Error::InvalidInput { field: f, .. }) => {
                assert_eq!(f, field, "{since} {until}")
            }
            Err(e) => panic!("{since} {until}: {e}"),
            Ok(mut pager) => {
                let url = pager.next_request().unwrap().unwrap().url;
                panic!("{since} {until}: accepted, sends {url}");
            }
        }
    }
    // The edges stay allowed.
    let mut pager = Pager::history(
        &rest(),
        "/incidents",
        Query::new(),
        "0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
    )
    .unwrap();
    let url = pager.next_request().unwrap().unwrap().url;
    assert!(
        url.contains("since=0000-01-01T00%3A00%3A00Z&until=9999-12-31T23%3A59%3A59Z"),
        "{url}"
    );
}
