#!/usr/bin/env bash
# Regenerates the bindings' surfaces from the core's registry and error codes: the JS methods,
# .d.ts signatures and error classes, the Python operations and exceptions, docs/operations.md
# (see core/tests/generated.rs). `cargo test` fails when they are stale.
set -euo pipefail
cd "$(dirname "$0")/.."
PD_REGENERATE=1 cargo test --quiet -p pagerduty-core --test generated
