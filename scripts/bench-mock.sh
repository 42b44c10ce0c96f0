#!/usr/bin/env bash
# Load on the simulator with wrk (Debian package): event POSTs/s and pages of 100 incidents/s.
# Prints figures; asserts nothing. Usage: scripts/bench-mock.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
command -v wrk >/dev/null || { apt-get install -y wrk >/dev/null 2>&1 || (apt-get update >/dev/null && apt-get install -y wrk >/dev/null); }
cargo build --quiet --release -p pagerduty-mock
log=$(mktemp); lua=$(mktemp --suffix=.lua)
./target/release/pagerduty-mock --port 0 --incidents 10000 >"$log" 2>&1 &
pid=$!; trap 'kill $pid 2>/dev/null || true; rm -f "$log" "$lua"' EXIT
for _ in $(seq 1 50); do grep -q 'listening on' "$log" && break; sleep 0.1; done
url=$(awk '/listening on/ {print $4; exit}' "$log")

cat >"$lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"routing_key":"pdmockintegrationkey000000000001","event_action":"trigger","dedup_key":"bench","payload":{"summary":"Disk full on db-1","source":"db-1","severity":"critical"}}'
LUA
echo "== event POSTs (/v2/enqueue), ${secs}s, 2 threads, 32 connections"
wrk -t2 -c32 -d"${secs}s" -s "$lua" "$url/v2/enqueue" | grep -E 'Requests/sec|Latency|Non-2xx'
echo "== pages of 100 incidents (GET /incidents?limit=100), ${secs}s, 2 threads, 16 connections"
wrk -t2 -c16 -d"${secs}s" -H 'Authorization: Token token=pdmock_full_access_1' \
  "$url/incidents?limit=100&offset=4200&statuses%5B%5D=triggered&statuses%5B%5D=acknowledged" | grep -E 'Requests/sec|Latency|Transfer|Non-2xx'
