#!/usr/bin/env bash
# pagerduty_ffi (Python) vs the official client vs a raw loop, and the same work from C, against
# one simulator with 10,000 incidents. Prints figures; asserts nothing. Usage: scripts/bench-ffi.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
scripts/build-lib.sh -p pagerduty-mock
[ -x target/benchvenv/bin/python ] || python3 -m venv target/benchvenv
target/benchvenv/bin/python -c 'import pagerduty' 2>/dev/null || target/benchvenv/bin/pip install --quiet --disable-pip-version-check "pagerduty>=7,<8"
mkdir -p target/c
cc -std=c11 -O2 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -Iinclude bench/c_bench.c -Ltarget/release -lpagerduty \
  -Wl,-rpath,"$PWD/target/release" -o target/c/c_bench
log=$(mktemp)
./target/release/pagerduty-mock --port 0 --incidents 10000 >"$log" 2>&1 &
pid=$!; trap 'kill $pid 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 50); do grep -q 'listening on' "$log" && break; sleep 0.1; done
url=$(awk '/listening on/ {print $4; exit}' "$log")
echo "== Python, $runs runs each (official client: pagerduty $(target/benchvenv/bin/python -c 'import pagerduty; print(pagerduty.__version__)'))"
PAGERDUTY_FFI_LIB=$PWD/target/release/libpagerduty.so PYTHONPATH=$PWD/ffi/python \
  python3 bench/ffi_bench.py "$url" "$runs" "$PWD/target/benchvenv/bin/python"
echo "== C"
./target/c/c_bench "$url" "$runs"
