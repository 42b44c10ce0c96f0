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
fn every_typed_helper_names_an_operation_of_the_spec() {
    let spec = spec();
    for (m, p, name) in pagerduty_core::operations::TYPED_HELPERS {
        assert!(
            spec["paths"][*p][m.as_str().to_lowercase()].is_object(),
            "{name}: {m} {p} is not in the spec"
        );
    }
}
