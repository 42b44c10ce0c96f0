//! `cargo run -p pagerduty-core --example spec_coverage -- SPEC.json > docs/spec-coverage.md`
//! (or `scripts/spec-coverage.sh`).

#[path = "../tests/support/coverage.rs"]
mod coverage;

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/specs/rest-v2.openapi.json".into());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let spec: serde_json::Value = serde_json::from_str(&text).expect("the spec is JSON");
    print!("{}", coverage::render(&spec));
}
