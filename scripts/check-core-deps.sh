#!/usr/bin/env bash
# The core stays sans-IO: no HTTP client, async runtime or JS crate among its normal dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
tree=$(cargo tree -p pagerduty-core -e normal --prefix none --format '{p}')
bad=$(echo "$tree" | grep -E '^(reqwest|hyper|tokio|async-std|smol|futures|wasm-bindgen|js-sys|web-sys|ureq|mio|socket2|getrandom|rand) ' || true)
if [ -n "$bad" ]; then
  echo "pagerduty-core must not depend on:"; echo "$bad"; exit 1
fi
echo "core dependencies are sans-IO ($(echo "$tree" | sort -u | wc -l) crates)"
