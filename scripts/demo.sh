#!/usr/bin/env bash
# The demo: starts the local PagerDuty simulator, runs every example that exists against it,
# prints what happened, stops it. With PAGERDUTY_TOKEN and PAGERDUTY_ROUTING_KEY set, the
# examples talk to PagerDuty instead (PAGERDUTY_REGION=us|eu, PAGERDUTY_FROM=you@example.com).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/build-lib.sh -p pagerduty-mock -p pagerduty-demo -p pagerduty-cli
make --no-print-directory npm

mock_pid=""
cleanup() { [ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null || true; }
trap cleanup EXIT

if [ -n "${PAGERDUTY_TOKEN:-}" ] && [ -n "${PAGERDUTY_ROUTING_KEY:-}" ]; then
  echo "== against PagerDuty (${PAGERDUTY_REGION:-us}); keys come from the environment and are never printed"
  unset PAGERDUTY_BASE_URL
else
  log=$(mktemp)
  ./target/release/pagerduty-mock --port 0 --incidents 250 >"$log" 2>&1 &
  mock_pid=$!
  for _ in $(seq 1 50); do grep -q 'listening on' "$log" && break; sleep 0.1; done
  url=$(awk '/listening on/ {print $4; exit}' "$log")
  [ -n "$url" ] || { cat "$log"; echo "the simulator did not start" >&2; exit 1; }
  echo "== simulator at $url (250 seeded incidents)"
  export PAGERDUTY_BASE_URL="$url"
fi

echo "== examples/rust: events and REST through pagerduty-core"
./target/release/pagerduty-demo

echo "== examples/c: libpagerduty from C"
make --no-print-directory -C examples/c run

echo "== examples/python: pagerduty_ffi from Python"
PAGERDUTY_FFI_LIB="$PWD/target/release/libpagerduty.so" PYTHONPATH="$PWD/ffi/python" python3 examples/python/example.py

echo "== examples/node: pagerduty-wasm (WebAssembly) from Node"
node examples/node/example.mjs

echo "== examples/browser: pagerduty-wasm in headless Chromium"
node examples/browser/demo.mjs

echo "== cli: the pagerduty command, as a cron job or a monitoring hook runs it"
(
  # Keys only ever come from the environment or a file: the simulator's, when no real ones.
  if [ -n "$mock_pid" ]; then
    export PAGERDUTY_TOKEN=pdmock_full_access_1 PAGERDUTY_ROUTING_KEY=pdmockintegrationkey000000000001
  fi
  pd=./target/release/pagerduty
  key=$($pd event trigger --summary "Nightly backup failed on db-1 (pagerduty CLI demo)" \
    --source db-1 --severity error --component backup --custom-details '{"exit_code": 3}')
  echo "\$ pagerduty event trigger --summary ... --severity error   -> $key"
  echo "\$ pagerduty incidents list --status triggered --since 24h"
  $pd incidents list --status triggered --since 24h | head -6
  echo "\$ pagerduty oncall"
  $pd oncall
  $pd event resolve --dedup-key "$key" >/dev/null && echo "\$ pagerduty event resolve --dedup-key $key   -> exit 0"
  echo "\$ pagerduty event trigger --routing-key ...   (refused: a key on the command line)"
  $pd event trigger --routing-key not-shown --summary x 2>&1 || echo "   -> exit $?"
  # The durable outbox: queued on disk (the command returns once it is there), sent by a flush
  # (or by `pagerduty queue run DIR` as a service); a crash in between loses nothing.
  queue=$(mktemp -d)
  qkey=$($pd event trigger --summary "Replica lag on db-2 (queued)" --source db-2 --severity warning --queue "$queue")
  echo "\$ pagerduty event trigger ... --queue $queue   -> $qkey (on disk, not sent yet)"
  echo "\$ pagerduty queue flush $queue"
  $pd queue flush "$queue"
  rm -rf "$queue"
)

if [ -n "$mock_pid" ]; then
  echo "== what the simulator saw"
  curl -fsS "$PAGERDUTY_BASE_URL/_mock/counters"; echo
fi
