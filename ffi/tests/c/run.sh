#!/usr/bin/env bash
# Builds libpagerduty and the C test, runs it against a fresh simulator (with the
# nothing-lost run of PD_NOTHING_LOST triggers, default 2000), then again under valgrind.
set -euo pipefail
cd "$(dirname "$0")/../../.."
root=$PWD
cargo build --quiet --release -p pagerduty-ffi -p pagerduty-mock
mkdir -p target/c
gcc -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -O1 -g -Iinclude ffi/tests/c/test_ffi.c \
  -Ltarget/release -lpagerduty -lpthread -Wl,-rpath,"$root/target/release" -o target/c/test_ffi

start_mock() {
  local log; log=$(mktemp)
  ./target/release/pagerduty-mock --port 0 --incidents 250 >"$log" 2>&1 &
  mock_pid=$!
  for _ in $(seq 1 50); do grep -q 'listening on' "$log" && break; sleep 0.1; done
  PD_MOCK_URL=$(awk '/listening on/ {print $4; exit}' "$log"); export PD_MOCK_URL
}
mock_pid=""
trap '[ -n "$mock_pid" ] && kill $mock_pid 2>/dev/null || true' EXIT

start_mock
echo "== C test (with ${PD_NOTHING_LOST:-2000} triggers under faults)"
PD_NOTHING_LOST=${PD_NOTHING_LOST:-2000} ./target/c/test_ffi
kill $mock_pid; wait $mock_pid 2>/dev/null || true

if command -v valgrind >/dev/null; then
  start_mock
  echo "== C test under valgrind"
  PD_NOTHING_LOST=0 valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect,possible \
    --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=3 \
    --suppressions=ffi/tests/c/valgrind.supp ./target/c/test_ffi
else
  echo "valgrind is not installed: skipped" >&2
  exit 1
fi
