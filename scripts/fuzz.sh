#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 20), seeded from fuzz/seeds/<target>.
# The working corpus grows in fuzz/corpus/ (ignored by git). Needs a nightly toolchain.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds=${1:-20}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --version 0.13.2 --locked || cargo install cargo-fuzz --version 0.13.2
for target in rest_error rest_success page event_response webhook rest_target url_differential json_differential; do
  mkdir -p "corpus/$target"
  echo "== fuzz $target for ${seconds}s"
  cargo +nightly fuzz run "$target" "corpus/$target" "seeds/$target" -- \
    -max_total_time="$seconds" -print_final_stats=1 2>&1 | grep -E '^(stat::number_of_executed_units|Done|==.*ERROR|SUMMARY)' || true
  # libFuzzer exits non-zero on a crash; grep above hides the status, so check for artifacts.
  if compgen -G "artifacts/$target/*" >/dev/null; then
    echo "fuzz $target: crash artifacts in fuzz/artifacts/$target" >&2
    exit 1
  fi
done
