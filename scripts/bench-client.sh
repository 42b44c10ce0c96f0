#!/usr/bin/env bash
# pagerduty-client (async) vs raw reqwest vs pagerduty-rs 0.1.6 against one simulator: 2,000
# events one at a time and 16 in flight, and 10,000 incidents paged; then the `pagerduty`
# command's time to send one event, process start included, vs curl. Prints figures (medians);
# asserts nothing. Usage: scripts/bench-client.sh [ROUNDS] [CLI_RUNS]
#
# pagerduty-rs hard-codes https://events.pagerduty.com: its crate is unpacked from crates.io
# into target/bench-client/pagerduty-rs and that URL alone is made settable
# (PDRS_EVENTS_BASE), so that it can reach the simulator. It is built in bench/client's own
# workspace, never with the shipped crates; when it cannot be fetched or built, its column
# says "-".
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
cli_runs=${2:-50}
root=$PWD
work=$root/target/bench-client
mkdir -p "$work"

cargo build --quiet --release -p pagerduty-mock -p pagerduty-cli

# pagerduty-rs 0.1.6: fetched with cargo, unpacked, its events URL made settable.
features=""
pdrs=$work/pagerduty-rs
if [ ! -f "$pdrs/.patched" ]; then
  rm -rf "$pdrs" "$work/fetch"
  mkdir -p "$work/fetch/src"
  printf '[package]\nname = "fetch"\nversion = "0.0.0"\nedition = "2021"\n[workspace]\n[dependencies]\npagerduty-rs = { version = "=0.1.6", default-features = false }\n' >"$work/fetch/Cargo.toml"
  echo 'fn main() {}' >"$work/fetch/src/main.rs"
  if cargo fetch --quiet --manifest-path "$work/fetch/Cargo.toml" 2>/dev/null; then
    crate=$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/cache/*/pagerduty-rs-0.1.6.crate 2>/dev/null | head -1)
    if [ -n "$crate" ]; then
      tar -xzf "$crate" -C "$work" && mv "$work/pagerduty-rs-0.1.6" "$pdrs"
      sed -i 's#"https://events.pagerduty.com\(/v2/[a-z/]*\)"#\&format!("{}\1", std::env::var("PDRS_EVENTS_BASE").unwrap_or_else(|_| "https://events.pagerduty.com".into()))#' \
        "$pdrs/src/eventsv2async.rs" "$pdrs/src/eventsv2sync.rs"
      touch "$pdrs/.patched"
    fi
  fi
fi
if [ -f "$pdrs/.patched" ]; then
  features="--features pdrs"
else
  # A stand-in so that the bench's manifest resolves; never built (the feature is off).
  mkdir -p "$pdrs/src"
  printf '[package]\nname = "pagerduty-rs"\nversion = "0.1.6"\nedition = "2018"\n[features]\nasync = []\n' >"$pdrs/Cargo.toml"
  touch "$pdrs/src/lib.rs"
  echo "pagerduty-rs 0.1.6 could not be fetched: its column is left out"
fi
# Start from the workspace's lock, so that shared dependencies are the ones already built.
[ -f bench/client/Cargo.lock ] || cp Cargo.lock bench/client/Cargo.lock
# shellcheck disable=SC2086
if ! cargo build --quiet --release --manifest-path bench/client/Cargo.toml --target-dir target $features; then
  echo "pagerduty-rs 0.1.6 did not build: its column is left out"
  cargo build --quiet --release --manifest-path bench/client/Cargo.toml --target-dir target
fi

log=$(mktemp)
./target/release/pagerduty-mock --port 0 --incidents 10000 >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 50); do grep -q 'listening on' "$log" && break; sleep 0.1; done
url=$(awk '/listening on/ {print $4; exit}' "$log")

echo "== the Rust client against the simulator ($(nproc) cores, shared)"
PDRS_EVENTS_BASE=$url ./target/release/bench-client "$url" "$rounds"

echo "== one event from a shell, process start included: median of $cli_runs runs"
export PAGERDUTY_BASE_URL=$url PAGERDUTY_ROUTING_KEY=pdmockintegrationkey000000000001
body='{"routing_key":"pdmockintegrationkey000000000001","event_action":"trigger","payload":{"summary":"disk full","source":"db-1","severity":"critical"}}'
time_ms() { # median wall time of "$@", in ms, over $cli_runs runs
  local i t0 t1
  for i in $(seq 1 "$cli_runs"); do
    t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N)
    echo $(((t1 - t0) / 1000))
  done | sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]/1000}'
}
cli=$(time_ms ./target/release/pagerduty event trigger --summary "disk full" --source db-1 --severity critical)
if command -v curl >/dev/null; then
  curl_ms=$(time_ms curl -sf -X POST "$url/v2/enqueue" -H 'Content-Type: application/json' -d "$body")
else
  curl_ms="-"
fi
printf '%-44s %8s ms\n' "pagerduty event trigger (release build)" "$cli" "curl -X POST /v2/enqueue" "$curl_ms"
[ "$curl_ms" != "-" ] && awk -v a="$cli" -v b="$curl_ms" 'BEGIN {printf "%-44s %8.2f\n", "pagerduty / curl", a / b}'
printf '%-44s %8s\n' "binary size (target/release/pagerduty)" "$(du -h target/release/pagerduty | cut -f1)"
