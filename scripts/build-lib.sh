#!/usr/bin/env bash
# Builds libpagerduty (release) and the `libpagerduty.so.<major>` link its SONAME names, so that
# programs linked against target/release find it at run time (as they would an installed one).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --release -p pagerduty-ffi "$@"
major=$(sed -n 's/^version = "\([0-9]*\)\..*/\1/p' Cargo.toml | head -1)
ln -sf libpagerduty.so "target/release/libpagerduty.so.$major"
