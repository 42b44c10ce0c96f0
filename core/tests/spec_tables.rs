//! The core's tables of `From`-required, cursor-paginated and early-access operations must
//! agree with PagerDuty's official spec (read from ../shared/specs at test time, never copied).

use std::collections::BTreeSet;
use std::path::PathBuf;

use pagerduty_core::spec_rules::{CURSOR_PAGINATED, EARLY_ACCESS, FROM_REQUIRED};
use serde_json::Value;

fn spec() -> Value {
    let dir = std::env::var_os("PAGERDUTY_SPECS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs"));
    let path = dir.join("rest-v2.openapi.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (set PAGERDUTY_SPECS_DIR to the specs folder)",
            path.display()
        )
    });
    serde_json::from_str(&text).unwrap()
}

fn resolve<'a>(spec: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => r
            .trim_start_matches("#/")
            .split('/')
            .fold(spec, |o, k| &o[k]),
        None => v,
    }
}

/// (METHOD, path, parameter) for every parameter of every operation.
fn params(spec: &Value) -> Vec<(String, String, Value)> {
    let mut out = vec![];
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if !["get", "post", "put", "delete", "patch"].contains(&method.as_str()) {
                continue;
            }
            let all = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .chain(item["parameters"].as_array().into_iter().flatten());
            for p in all {
                out.push((
                    method.to_uppercase(),
                    path.clone(),
                    resolve(spec, p).clone(),
                ));
            }
        }
    }
    out
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

#[path = "support/coverage.rs"]
mod coverage;

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
