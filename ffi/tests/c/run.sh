#!/usr/bin/env bash
# Builds libpagerduty and the C tests, runs test_ffi against a fresh simulator (with the
# nothing-lost run of PD_NOTHING_LOST triggers, default 2000) and a second one serving HTTPS
# with a certificate of its own (PD_TLS_URL, PD_TLS_CA), and test_outbox (the outbox, with its
# crash test of PD_OUTBOX_CRASH events, default 1000; PD_SOAK=1 for 10,000) against another;
# then both again under valgrind (the outbox without its crash test).
set -euo pipefail
cd "$(dirname "$0")/../../.."
root=$PWD
scripts/build-lib.sh -p pagerduty-mock
# Built without aws-lc's CPU jitter entropy (.cargo/config.toml says why).
if nm target/release/libpagerduty.so | grep -q ' jent_'; then
  echo "libpagerduty.so holds aws-lc's CPU jitter entropy: .cargo/config.toml's AWS_LC_SYS_NO_JITTER_ENTROPY was not applied" >&2
  exit 1
fi
mkdir -p target/c
gcc -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -O1 -g -Iinclude ffi/tests/c/test_ffi.c \
  -Ltarget/release -lpagerduty -lpthread -Wl,-rpath,"$root/target/release" -o target/c/test_ffi
gcc -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -O1 -g -Iinclude ffi/tests/c/test_outbox.c \
  -Ltarget/release -lpagerduty -lpthread -Wl,-rpath,"$root/target/release" -o target/c/test_outbox

# start_mock VAR [ARGS...]: a simulator on a free port; its URL in $VAR, its pid in mock_pids.
mock_pids=()
start_mock() {
  local var=$1; shift
  local log; log=$(mktemp)
  ./target/release/pagerduty-mock --port 0 "$@" >"$log" 2>&1 &
  mock_pids+=($!)
  for _ in $(seq 1 50); do grep -q 'listening on' "$log" && break; sleep 0.1; done
  printf -v "$var" '%s' "$(awk '/listening on/ {print $4; exit}' "$log")"
  export "${var?}"
  rm -f "$log"
}
stop_mocks() {
  for pid in ${mock_pids[@]+"${mock_pids[@]}"}; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  mock_pids=()
}
trap stop_mocks EXIT

export PD_TLS_CA=$root/target/c/mock-ca.pem
start_mock PD_MOCK_URL --incidents 250
start_mock PD_TLS_URL --tls --cert-out "$PD_TLS_CA"
echo "== C test (with ${PD_NOTHING_LOST:-2000} triggers under faults)"
PD_NOTHING_LOST=${PD_NOTHING_LOST:-2000} ./target/c/test_ffi
stop_mocks
start_mock PD_MOCK_URL
echo "== C outbox test (the crash test with ${PD_OUTBOX_CRASH:-1000} events; PD_SOAK=1: 10,000)"
./target/c/test_outbox
stop_mocks

if command -v valgrind >/dev/null; then
  start_mock PD_MOCK_URL --incidents 250
  start_mock PD_TLS_URL --tls --cert-out "$PD_TLS_CA"
  echo "== C test under valgrind"
  PD_NOTHING_LOST=0 PD_HISTORY=2000 valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect,possible \
    --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=3 \
    --suppressions=ffi/tests/c/valgrind.supp ./target/c/test_ffi
  stop_mocks
  start_mock PD_MOCK_URL
  echo "== C outbox test under valgrind (without the crash test)"
  PD_OUTBOX_CRASH=0 valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect,possible \
    --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=3 \
    --suppressions=ffi/tests/c/valgrind.supp ./target/c/test_outbox
else
  echo "valgrind is not installed: skipped" >&2
  exit 1
fi
