#!/usr/bin/env bash
# Regenerates docs/spec-coverage.md from the official REST spec and the core's tables.
set -euo pipefail
cd "$(dirname "$0")/.."
specs=${PAGERDUTY_SPECS_DIR:-../shared/specs}
cargo run --quiet -p pagerduty-core --example spec_coverage -- "$specs/rest-v2.openapi.json" > docs/spec-coverage.md
echo "docs/spec-coverage.md: $(grep -c '^| [A-Z]* | `' docs/spec-coverage.md) operations"
