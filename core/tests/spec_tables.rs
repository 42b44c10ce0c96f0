//! The core's tables of `From`-required, cursor-paginated and early-access operations must
//! agree with PagerDuty's official spec (read from ../shared/specs at test time, never copied).

use std::collections::BTreeSet;
use std::path::PathBuf;

use pagerduty_core::spec_rules::{CURSOR_PAGINATED, EARLY_ACCESS, FROM_REQUIRED};
use serde_json::Value;

#[path = "support/coverage.rs"]
mod coverage;

fn spec() -> Value {
    coverage::load_spec("rest-v2.openapi.json")
}

/// (METHOD, path, parameter) for every parameter of every operation.
fn params(spec: &Value) -> Vec<(String, String, Value)> {
    coverage::operations(spec)
        .into_iter()
        .flat_map(|(m, p, _, ps)| ps.into_iter().map(move |x| (m.clone(), p.clone(), x)))
        .collect()
}

#[test]
fn from_required_matches_the_spec() {
    let spec = spec();
    let want: BTreeSet<(String, String)> = params(&spec)
        .into_iter()
        .filter(|(_, _, p)| p["in"] == "header" && p["name"] == "From" && p["required"] == true)
        .map(|(m, path, _)| (m, path))
        .collect();
    let have: BTreeSet<(String, String)> = FROM_REQUIRED
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(have, want);
    assert_eq!(have.len(), 13);
}

#[test]
fn cursor_paginated_matches_the_spec() {
    let spec = spec();
    let want: BTreeSet<String> = params(&spec)
        .into_iter()
        .filter(|(_, _, p)| p["in"] == "query" && p["name"] == "cursor")
        .map(|(_, path, _)| path)
        .collect();
    let have: BTreeSet<String> = CURSOR_PAGINATED.iter().map(|p| p.to_string()).collect();
    assert_eq!(have, want);
    assert_eq!(have.len(), 18);
}

#[test]
fn early_access_matches_the_spec() {
    let spec = spec();
    let want: BTreeSet<(String, String, String)> = params(&spec)
        .into_iter()
        .filter(|(_, _, p)| {
            p["in"] == "header" && p["name"] == "X-EARLY-ACCESS" && p["required"] == true
        })
        .map(|(m, path, p)| {
            (
                m,
                path,
                p["schema"]["enum"][0]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            )
        })
        .collect();
    let have: BTreeSet<(String, String, String)> = EARLY_ACCESS
        .iter()
        .map(|(m, p, v)| (m.to_string(), p.to_string(), v.to_string()))
        .collect();
    assert_eq!(have, want);
}

#[test]
fn the_coverage_report_is_up_to_date() {
    let committed = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/spec-coverage.md"),
    )
    .unwrap_or_default();
    let fresh = coverage::render(&spec());
    assert!(
        fresh.contains("| `From` required | 13 | 13 | agree |"),
        "{fresh}"
    );
    assert!(
        fresh.contains("| cursor-paginated | 18 | 18 | agree |"),
        "{fresh}"
    );
    assert!(
        committed == fresh,
        "docs/spec-coverage.md is stale: run scripts/spec-coverage.sh"
    );
}

#[test]
fn every_registry_row_names_an_operation_of_the_spec_and_its_parameters() {
    use pagerduty_core::bindings::registry::{Build, OPERATIONS};
    use pagerduty_core::spec_rules::CURSOR_PAGINATED;
    let ops = coverage::operations(&spec());
    for o in OPERATIONS {
        let Some((_, _, _, declared)) = ops
            .iter()
            .find(|(m, p, _, _)| m == o.method.as_str() && p == o.path)
        else {
            panic!("{}: {} {} is not in the spec", o.name, o.method, o.path);
        };
        // Every argument of a read that is not in the path is one of the spec's query
        // parameters (arrays with their `[]`).
        let params: Vec<String> = declared
            .iter()
            .map(|p| {
                p["name"]
                    .as_str()
                    .unwrap_or("")
                    .trim_end_matches("[]")
                    .to_owned()
            })
            .collect();
        if o.method == pagerduty_core::http::Method::Get {
            for a in o.args {
                if a.in_path {
                    continue;
                }
                assert!(
                    params.iter().any(|p| p == a.name),
                    "{}: argument {} is not a query parameter of {} {} in the spec",
                    o.name,
                    a.name,
                    o.method,
                    o.path
                );
            }
        }
        // Lists page the way the spec says.
        if let Build::Pager(_) = o.build {
            let cursor = CURSOR_PAGINATED.contains(&o.path);
            let declares = |n: &str| params.iter().any(|p| p == n);
            assert!(
                if cursor {
                    declares("cursor")
                } else {
                    declares("offset") || declares("limit")
                },
                "{}: the spec does not page {} the way the core will",
                o.name,
                o.path
            );
        }
    }
}
