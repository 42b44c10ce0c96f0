//! Pagination: classic across the 10,000 cap, cursors, and the bodies that break naive pagers.

use pagerduty_core::credentials::RestToken;
use pagerduty_core::http::{Request, Response};
use pagerduty_core::pagination::{collection_name, Outline, Page, Pager, Scheme, Top};
use pagerduty_core::query::Query;
use pagerduty_core::region::Endpoints;
use pagerduty_core::rest::Rest;
use serde_json::Value;

fn rest() -> Rest {
    Rest::new(
        RestToken::general_access("y_NbAkKc66ryYTWUXYEu")
            .unwrap()
            .into(),
        Endpoints::default(),
    )
}

fn param(req: &Request, name: &str) -> Option<String> {
    url::Url::parse(&req.url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// A server holding `total` incidents that answers classic pages like PagerDuty, 400 past the cap.
fn classic_server(total: u64, req: &Request) -> Response {
    let offset: u64 = param(req, "offset").unwrap().parse().unwrap();
    let limit: u64 = param(req, "limit").unwrap().parse().unwrap();
    if offset + limit > 10_000 {
        return Response::new(
            400,
            vec![],
            r#"{"error":{"message":"Invalid Input Provided","code":2002,"errors":["Offset+limit must be <= 10000"]}}"#,
        );
    }
    let end = (offset + limit).min(total);
    let items: Vec<String> = (offset..end)
        .map(|i| format!(r#"{{"id":"P{i}","n":{i}}}"#))
        .collect();
    Response::new(
        200,
        vec![],
        format!(
            r#"{{"incidents":[{}],"limit":{limit},"offset":{offset},"more":{},"total":null}}"#,
            items.join(","),
            end < total
        ),
    )
}

#[test]
fn classic_walks_every_page_and_stops_at_more_false() {
    let mut q = Query::new();
    q.push_array("statuses", ["triggered"]).push("limit", "25");
    let mut pager = Pager::new(&rest(), "/incidents", q).unwrap();
    assert_eq!(pager.scheme(), Scheme::Classic);
    let mut seen = 0u64;
    let mut requests = 0;
    while let Some(req) = pager.next_request().unwrap() {
        requests += 1;
        assert_eq!(param(&req, "statuses[]").as_deref(), Some("triggered"));
        let page = pager.handle_response(classic_server(60, &req)).unwrap();
        for item in page.items() {
            let v: Value = serde_json::from_str(item).unwrap();
            assert_eq!(v["n"], seen);
            seen += 1;
        }
    }
    assert_eq!((seen, requests), (60, 3));
    assert!(pager.is_done() && !pager.truncated());
}

#[test]
fn offset_advances_by_what_was_received() {
    // The server returns fewer items than asked (permissions filtering does this).
    let mut pager = Pager::new(&rest(), "/incidents", Query::new()).unwrap();
    let req = pager.next_request().unwrap().unwrap();
    assert_eq!(param(&req, "offset").as_deref(), Some("0"));
    assert_eq!(param(&req, "limit").as_deref(), Some("100"));
    let page = pager
        .handle_response(Response::new(
            200,
            vec![],
            r#"{"incidents":[{"id":"A"},{"id":"B"}],"more":true}"#,
        ))
        .unwrap();
    assert_eq!(page.len(), 2);
    let req = pager.next_request().unwrap().unwrap();
    assert_eq!(param(&req, "offset").as_deref(), Some("2"));
}

#[test]
fn the_10000_cap_is_a_truncated_error_not_a_400_nor_a_silent_end() {
    let mut pager = Pager::new(&rest(), "/incidents", Query::new()).unwrap();
    let mut seen = 0;
    let mut last_limit = String::new();
    let end = loop {
        match pager.next_request() {
            Ok(Some(req)) => {
                last_limit = param(&req, "limit").unwrap();
                let page = pager.handle_response(classic_server(25_000, &req)).unwrap();
                seen += page.len();
            }
            Ok(None) => panic!("the walk ended silently at {seen}"),
            Err(e) => break e,
        }
    };
    assert_eq!(end.code(), "truncated");
    assert!(end.to_string().contains("10000-record offset cap"), "{end}");
    assert_eq!(seen, 10_000);
    assert_eq!(last_limit, "100");
    assert!(pager.truncated());
    // Asked again, it says the same (an iterator that is polled once more).
    assert_eq!(pager.next_request().unwrap_err().code(), "truncated");

    // Exactly 10,000 records in all: the walk ends normally.
    let mut pager = Pager::new(&rest(), "/incidents", Query::new()).unwrap();
    while let Some(req) = pager.next_request().unwrap() {
        pager.handle_response(classic_server(10_000, &req)).unwrap();
    }
    assert!(!pager.truncated());

    // A start offset that is not a multiple of the limit: the last page shrinks to fit.
    let mut q = Query::new();
    q.push("offset", "9950");
    let mut pager = Pager::new(&rest(), "/incidents", q).unwrap();
    let req = pager.next_request().unwrap().unwrap();
    assert_eq!(param(&req, "limit").as_deref(), Some("50"));
    let page = pager.handle_response(classic_server(25_000, &req)).unwrap();
    assert_eq!(page.len(), 50);
    assert_eq!(pager.next_request().unwrap_err().code(), "truncated");
    assert!(pager.truncated());
}

#[test]
fn cursor_pagination_follows_next_cursor_until_null() {
    let mut pager = Pager::new(&rest(), "/audit/records", Query::new()).unwrap();
    assert_eq!(pager.scheme(), Scheme::Cursor);
    assert_eq!(pager.collection(), "records");
    let bodies = [
        r#"{"records":[{"id":"R1"},{"id":"R2"}],"next_cursor":"c2","limit":100}"#,
        r#"{"records":[{"id":"R3"}],"next_cursor":null,"limit":100}"#,
    ];
    let mut ids = vec![];
    for (i, body) in bodies.iter().enumerate() {
        let req = pager.next_request().unwrap().unwrap();
        assert_eq!(
            param(&req, "cursor"),
            if i == 0 { None } else { Some("c2".into()) }
        );
        assert_eq!(param(&req, "offset"), None);
        let page = pager
            .handle_response(Response::new(200, vec![], *body))
            .unwrap();
        ids.extend(
            page.deserialize::<Value>()
                .unwrap()
                .into_iter()
                .map(|v| v["id"].clone()),
        );
    }
    assert!(pager.next_request().unwrap().is_none());
    assert_eq!(ids, ["R1", "R2", "R3"]);
}

#[test]
fn an_error_page_can_be_retried_and_the_pager_resumes() {
    let mut pager = Pager::new(&rest(), "/users", Query::new()).unwrap();
    let req = pager.next_request().unwrap().unwrap();
    let err = pager
        .handle_response(Response::new(
            429,
            vec![("ratelimit-reset".into(), "1".into())],
            "",
        ))
        .unwrap_err();
    assert_eq!(err.code(), "rate_limited");
    let again = pager.next_request().unwrap().unwrap();
    assert_eq!(req, again);
}

#[test]
fn items_are_exact_slices_of_the_body() {
    let body = "{ \"more\": false, \"incidents\" : [ {\"id\":\"P1\",\"t\":\"a\\\"b\"} ,\n {\"id\":\"P2\",\"nested\":[1,{\"x\":[]}]} ] , \"total\": 2 }";
    let page = Page::parse(Response::new(200, vec![], body), "incidents").unwrap();
    assert_eq!(page.item(0), Some("{\"id\":\"P1\",\"t\":\"a\\\"b\"}"));
    assert_eq!(
        page.item(1),
        Some("{\"id\":\"P2\",\"nested\":[1,{\"x\":[]}]}")
    );
    assert_eq!(
        page.items_json(),
        "[ {\"id\":\"P1\",\"t\":\"a\\\"b\"} ,\n {\"id\":\"P2\",\"nested\":[1,{\"x\":[]}]} ]"
    );
    let range = page.items_range().unwrap();
    assert_eq!(
        &body[range],
        page.items_json(),
        "the range points into the body as sent"
    );
    assert_eq!(page.total, Some(2));
    assert!(!page.more);
    let empty = Page::parse(
        Response::new(200, vec![], r#"{"incidents":[],"more":false}"#),
        "incidents",
    )
    .unwrap();
    assert_eq!((empty.len(), empty.items_json()), (0, "[]"));
}

#[test]
fn an_unexpected_collection_key_falls_back_to_the_one_array() {
    let page = Page::parse(
        Response::new(
            200,
            vec![],
            r#"{"integration_connections":[{"id":"C1"}],"next_cursor":null}"#,
        ),
        "connections",
    )
    .unwrap();
    assert_eq!(page.item(0), Some(r#"{"id":"C1"}"#));
    // Two arrays and neither is the one asked for: refuse rather than guess.
    let err = Page::parse(
        Response::new(200, vec![], r#"{"a":[1],"b":[2]}"#),
        "incidents",
    )
    .unwrap_err();
    assert_eq!(err.code(), "decode");
    assert!(err
        .to_string()
        .contains("expected a list page with a \"incidents\" array"));
}

#[test]
fn malformed_pages_are_decode_errors() {
    for body in [
        &b"{\"incidents\":[{\"id\":1},"[..],
        b"[]",
        b"<html>502</html>",
        b"",
        b"{\"incidents\":[1]} trailing",
        b"{\"incidents\":[\"\xff\"]}",
        b"{\"incidents\":{\"id\":1}}",
        b"{\"incidents\":[],\"more\":\"yes\"}",
    ] {
        let err = Page::parse(Response::new(200, vec![], body.to_vec()), "incidents").unwrap_err();
        assert_eq!(err.code(), "decode", "{:?}", String::from_utf8_lossy(body));
    }
    // Lenient about the counters, which some endpoints send as strings or null.
    let page = Page::parse(
        Response::new(
            200,
            vec![],
            r#"{"incidents":[],"offset":"20","limit":25.0,"total":null}"#,
        ),
        "incidents",
    )
    .unwrap();
    assert_eq!(
        (page.offset, page.limit, page.total),
        (Some(20), Some(25), None)
    );
}

#[test]
fn more_true_with_an_empty_page_does_not_loop_forever() {
    let mut pager = Pager::new(&rest(), "/incidents", Query::new()).unwrap();
    let _ = pager.next_request().unwrap().unwrap();
    let err = pager
        .handle_response(Response::new(
            200,
            vec![],
            r#"{"incidents":[],"more":true}"#,
        ))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "could not decode the response (HTTP 200): the page says more items follow but holds none; \
         body starts: \"{\\\"incidents\\\":[],\\\"more\\\":true}\""
    );
}

#[test]
fn bad_limits_are_refused() {
    for bad in ["0", "101", "-1", "x"] {
        let mut q = Query::new();
        q.push("limit", bad);
        let err = Pager::new(&rest(), "/incidents", q).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid limit: must be a whole number from 1 to 100"
        );
    }
    assert_eq!(collection_name("/schedules/P1/users?x=1"), "users");
}

/// A page whose item nests 100,000 deep (issue 11: Python's json.loads raised a raw
/// RecursionError): a decode error from the core, in every binding; 128 levels still pass.
#[test]
fn items_nested_too_deep_are_a_decode_error() {
    let page = |depth: usize| {
        format!(
            r#"{{"incidents":[{{"id":"P1","s":"[[[[\"{{"}},{}{}],"more":false}}"#,
            "[".repeat(depth),
            "]".repeat(depth)
        )
    };
    let mut pager = Pager::new(&rest(), "/incidents", Query::new()).unwrap();
    pager.next_request().unwrap();
    let e = pager
        .handle_response(Response::new(200, vec![], page(100_000)))
        .unwrap_err();
    assert_eq!(e.code(), "decode");
    assert!(
        e.to_string().contains("nests deeper than 128 levels"),
        "{e}"
    );
    let mut pager = Pager::new(&rest(), "/incidents", Query::new()).unwrap();
    pager.next_request().unwrap();
    let ok = pager
        .handle_response(Response::new(200, vec![], page(128)))
        .unwrap();
    assert_eq!(ok.len(), 2);
}

/// The outline of a body as a binding that parsed it describes it (JavaScript's one
/// `JSON.parse`), or `None` for a body that is not a JSON object.
fn outline_of(body: &str) -> Option<Outline> {
    let Ok(Value::Object(top)) = serde_json::from_str::<Value>(body) else {
        return None;
    };
    Some(Outline(
        top.into_iter()
            .map(|(k, v)| {
                let t = match v {
                    Value::Array(a) => Top::Array(a.len()),
                    Value::Object(_) => Top::Object,
                    Value::Bool(b) => Top::Bool(b),
                    Value::Null => Top::Null,
                    Value::Number(_) => Top::Number,
                    Value::String(s) => Top::String(s),
                };
                (k, t)
            })
            .collect(),
    ))
}

/// A page the outline accepts is one `handle_response` accepts, with as many items, and both
/// leave the pager in the same place; every page the outline does not settle is left to the
/// body (errors included: the outline never makes one of its own).
#[test]
fn an_outline_settles_only_what_the_body_would_settle_the_same_way() {
    let bodies = [
        r#"{"incidents":[{"id":"P1"},{"id":"P2"}],"limit":2,"offset":0,"more":true,"total":null}"#,
        r#"{"incidents":[{"id":"P1"}],"more":false}"#,
        r#"{"incidents":[],"more":false}"#,
        r#"{"incidents":[],"more":true}"#,
        r#"{"incidents":[1],"more":"yes"}"#,
        r#"{"incidents":[1],"more":null,"offset":"7","limit":1.0,"total":{"x":1}}"#,
        r#"{"incidents":{"id":"P1"},"more":false}"#,
        r#"{"incidents":null}"#,
        r#"{"things":[1,2,3],"more":false}"#,
        r#"{"things":[1],"others":[2],"more":false}"#,
        r#"{"more":false}"#,
        r#"{"incidents":[1],"next_cursor":"c2"}"#,
        r#"{"incidents":[1],"next_cursor":7}"#,
        r#"{"incidents":[1],"next_cursor":null,"more":true}"#,
        r#"{"incidents":[1],"next_cursor":""}"#,
        r#"{"offset":[1,2],"incidents":[1]}"#,
        r#"{"more":[true],"incidents":[1]}"#,
        r#"[{"id":"P1"}]"#,
        r#"{"incidents":[1],"more":true}"#,
    ];
    for scheme in [Scheme::Classic, Scheme::Cursor] {
        for status in [200, 204, 400, 429, 500] {
            for body in bodies {
                let pager = || {
                    let mut p =
                        Pager::with_scheme(&rest(), "/incidents", Query::new(), scheme).unwrap();
                    p.next_request().unwrap().unwrap();
                    p
                };
                let (mut by_body, mut by_outline) = (pager(), pager());
                let full = by_body.handle_response(Response::new(status, vec![], body));
                let Some(outline) = outline_of(body) else {
                    continue;
                };
                let Some(key) = by_outline.outline_items(status, &outline) else {
                    continue;
                };
                let page = full.unwrap_or_else(|e| {
                    panic!("{scheme:?} {status} {body}: the outline settled what the body refuses: {e}")
                });
                let items = match outline.get(key) {
                    Some(Top::Array(n)) => *n,
                    other => panic!("{body}: {key} is {other:?}"),
                };
                assert_eq!(items, page.len(), "{body}");
                by_outline
                    .handle_outline(&Response::new(status, vec![], ""), &outline)
                    .unwrap();
                assert_eq!(by_outline.is_done(), by_body.is_done(), "{scheme:?} {body}");
                assert_eq!(by_outline.truncated(), by_body.truncated(), "{body}");
                let next = |p: &mut Pager| p.next_request().map(|r| r.map(|r| r.url));
                assert_eq!(
                    next(&mut by_outline).ok(),
                    next(&mut by_body).ok(),
                    "{scheme:?} {body}"
                );
            }
        }
    }
    // Settled ones, named: a good page and a fallback array.
    let mut p = Pager::new(&rest(), "/incidents", Query::new()).unwrap();
    p.next_request().unwrap();
    assert_eq!(
        p.outline_items(200, &outline_of(bodies[0]).unwrap()),
        Some("incidents")
    );
    assert_eq!(
        p.outline_items(200, &outline_of(bodies[8]).unwrap()),
        Some("things")
    );
    assert_eq!(p.outline_items(200, &outline_of(bodies[4]).unwrap()), None);
    // Not without a request out, and handle_outline refuses what the outline does not settle.
    let mut fresh = Pager::new(&rest(), "/incidents", Query::new()).unwrap();
    assert_eq!(
        fresh.outline_items(200, &outline_of(bodies[0]).unwrap()),
        None
    );
    fresh.next_request().unwrap();
    let bad = outline_of(bodies[4]).unwrap();
    assert!(fresh
        .handle_outline(&Response::new(200, vec![], ""), &bad)
        .is_err());
}

#[test]
fn outlines_read_from_their_json_form() {
    let o = Outline::from_json(r#"["incidents",[100],"limit",100,"more",true,"next_cursor","c","x",{},"y",null,"z",false]"#).unwrap();
    assert_eq!(o.get("incidents"), Some(&Top::Array(100)));
    assert_eq!(o.get("limit"), Some(&Top::Number));
    assert_eq!(o.get("next_cursor"), Some(&Top::String("c".into())));
    assert_eq!(o.get("x"), Some(&Top::Object));
    for bad in [
        r#"{"a":1}"#,
        r#"["a"]"#,
        r#"[1,2]"#,
        r#"["a",[1,2]]"#,
        r#"["a",[-1]]"#,
        "nope",
    ] {
        assert_eq!(Outline::from_json(bad), None, "{bad}");
    }
}

/// A malformed or wrongly typed page is refused with the message serde_json's page visitor
/// gave (issue 17: the page is now read by the core's own JSON reader); these are the old
/// implementation's answers, recorded before the switch.
#[test]
fn bad_pages_keep_their_messages() {
    let cases: &[(&str, &str)] = &[
        ("", "EOF while parsing a value at line 1 column 0"),
        ("  ", "EOF while parsing a value at line 1 column 2"),
        (
            "[1,2]",
            "invalid type: sequence, expected a list page object at line 1 column 0",
        ),
        (
            "[1,,]",
            "invalid type: sequence, expected a list page object at line 1 column 0",
        ),
        (
            "5",
            "invalid type: integer `5`, expected a list page object at line 1 column 1",
        ),
        (
            "-1.5",
            "invalid type: floating point `-1.5`, expected a list page object at line 1 column 4",
        ),
        (
            "\"x\"",
            "invalid type: string \"x\", expected a list page object at line 1 column 3",
        ),
        (
            "null",
            "invalid type: null, expected a list page object at line 1 column 4",
        ),
        (
            "true",
            "invalid type: boolean `true`, expected a list page object at line 1 column 4",
        ),
        ("nul", "EOF while parsing a value at line 1 column 3"),
        (
            "\n  [",
            "invalid type: sequence, expected a list page object at line 2 column 2",
        ),
        ("{", "EOF while parsing an object at line 1 column 1"),
        ("{}", "expected a list page with a \"incidents\" array"),
        (
            "{\"more\":\"x\",\"incidents\":[]}",
            "invalid type: string \"x\", expected a boolean at line 1 column 11",
        ),
        (
            "{\"more\":[1],\"incidents\":[]}",
            "invalid type: sequence, expected a boolean at line 1 column 8",
        ),
        (
            "{\"more\":{\"a\":1},\"incidents\":[]}",
            "invalid type: map, expected a boolean at line 1 column 8",
        ),
        (
            "{\"more\":5,\"incidents\":[]}",
            "invalid type: integer `5`, expected a boolean at line 1 column 9",
        ),
        (
            "{\n \"more\": 1.5,\"incidents\":[]}",
            "invalid type: floating point `1.5`, expected a boolean at line 2 column 12",
        ),
        (
            "{\"next_cursor\":5,\"incidents\":[]}",
            "invalid type: integer `5`, expected a string at line 1 column 16",
        ),
        (
            "{\"next_cursor\":[],\"incidents\":[]}",
            "invalid type: sequence, expected a string at line 1 column 15",
        ),
        (
            "{\"next_cursor\":true,\"incidents\":[]}",
            "invalid type: boolean `true`, expected a string at line 1 column 19",
        ),
        (
            "{\"incidents\":{}}",
            "invalid type: map, expected an array of items at line 1 column 13",
        ),
        (
            "{\"incidents\":5}",
            "invalid type: integer `5`, expected an array of items at line 1 column 14",
        ),
        (
            "{\"incidents\":\"x\"}",
            "invalid type: string \"x\", expected an array of items at line 1 column 16",
        ),
        (
            "{\"incidents\":null}",
            "invalid type: null, expected an array of items at line 1 column 17",
        ),
        (
            "{\n\"incidents\": true}",
            "invalid type: boolean `true`, expected an array of items at line 2 column 17",
        ),
        ("{\"incidents\":[1,}", "expected value at line 1 column 17"),
        (
            "{\"incidents\":[1]",
            "EOF while parsing an object at line 1 column 16",
        ),
        ("{\"incidents\":[1],}", "trailing comma at line 1 column 18"),
        (
            "{\"incidents\":[1]} x",
            "trailing characters at line 1 column 19",
        ),
        (
            "{\"x\":[1,2],\"y\":[3]}",
            "expected a list page with a \"incidents\" array",
        ),
        (
            "{\"more\":\"x\",\"incidents\":[1,,]}",
            "invalid type: string \"x\", expected a boolean at line 1 column 11",
        ),
        ("{\"incidents\" [1]}", "expected `:` at line 1 column 14"),
        ("{1:2}", "key must be a string at line 1 column 2"),
    ];
    for (body, reason) in cases {
        let e = Page::parse(
            Response::new(200, vec![], body.as_bytes().to_vec()),
            "incidents",
        )
        .unwrap_err();
        assert_eq!(e.code(), "decode", "{body}");
        let text = e.to_string();
        assert!(
            text.contains(&format!("(HTTP 200): {reason}; body starts")),
            "{body}: {text}"
        );
    }
}

/// Pages serde_json's skipping of raw values accepted stay accepted (numbers out of f64 range
/// and lone surrogate escapes inside items and unknown members are not checked), with the
/// same items and counters.
#[test]
fn odd_but_accepted_pages_still_parse() {
    let cases: &[(&str, &[&str], bool, Option<u64>)] = &[
        (
            r#"{"incidents":[1e400],"more":true}"#,
            &["1e400"],
            true,
            None,
        ),
        (r#"{"incidents":["\udc00"]}"#, &[r#""\udc00""#], false, None),
        (
            r#"{"a":1e400,"incidents":[],"offset":"5"}"#,
            &[],
            false,
            Some(5),
        ),
        (r#"{"x":[1,2],"more":true}"#, &["1", "2"], true, None),
        (r#"{"incidents":[ 1 , 2 ]}"#, &["1", "2"], false, None),
        (r#"{"incidents":[1],"incidents":[2]}"#, &["1"], false, None),
        (
            r#"{"more":true,"more":false,"incidents":[],"offset":2.0}"#,
            &[],
            false,
            Some(2),
        ),
    ];
    for (body, items, more, offset) in cases {
        let p = Page::parse(
            Response::new(200, vec![], body.as_bytes().to_vec()),
            "incidents",
        )
        .unwrap();
        assert_eq!(&p.items().collect::<Vec<_>>(), items, "{body}");
        assert_eq!(p.more, *more, "{body}");
        assert_eq!(p.offset, *offset, "{body}");
    }
}
