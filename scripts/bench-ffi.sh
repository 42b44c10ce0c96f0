#!/usr/bin/env bash
# pagerduty_ffi (Python) vs the official client vs a raw loop, and the same work from C, against
# one simulator with 10,000 incidents, over loopback HTTP and HTTPS (a second simulator with a
# self-signed certificate, trusted through each client's CA-file setting), plus start-up, the first
# event of a fresh process, and the Python side of a trigger alone (native calls stubbed).
# Prints figures; asserts nothing. Usage: scripts/bench-ffi.sh [RUNS]
# LIB_DIR=dir: measure the libpagerduty.so in dir (a saved build, for a before/after) instead of
# the one built now in target/release; PY_DIR=dir: the pagerduty_ffi package in dir instead of
# ffi/python.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
scripts/build-lib.sh -p pagerduty-mock
lib_dir=$(realpath "${LIB_DIR:-target/release}")
py_dir=$(realpath "${PY_DIR:-ffi/python}")
[ -x target/benchvenv/bin/python ] || python3 -m venv target/benchvenv
target/benchvenv/bin/python -c 'import pagerduty' 2>/dev/null || target/benchvenv/bin/pip install --quiet --disable-pip-version-check "pagerduty>=7,<8"
mkdir -p target/c
cc -std=c11 -O2 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -Iinclude bench/c_bench.c -L"$lib_dir" -lpagerduty \
  -Wl,-rpath,"$lib_dir" -lpthread -o target/c/c_bench
# Byte-compiled as an installed wheel is (pip compiles on install), whatever PYTHONDONTWRITEBYTECODE says.
python3 -m compileall -q "$py_dir/pagerduty_ffi"
tmp=$(mktemp -d)
./target/release/pagerduty-mock --port 0 --incidents 10000 >"$tmp/http.log" 2>&1 &
pid=$!
./target/release/pagerduty-mock --port 0 --incidents 10000 --tls --cert-out "$tmp/cert.pem" >"$tmp/https.log" 2>&1 &
tls_pid=$!
trap 'kill $pid $tls_pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 1 50); do grep -q 'listening on' "$tmp/http.log" && grep -q 'listening on' "$tmp/https.log" && break; sleep 0.1; done
url=$(awk '/listening on/ {print $4; exit}' "$tmp/http.log")
https_url=$(awk '/listening on/ {print $4; exit}' "$tmp/https.log")
echo "libpagerduty: $lib_dir/libpagerduty.so; pagerduty_ffi: $py_dir/pagerduty_ffi"
echo "== Python, $runs runs each (official client: pagerduty $(target/benchvenv/bin/python -c 'import pagerduty; print(pagerduty.__version__)'))"
PAGERDUTY_FFI_LIB=$lib_dir/libpagerduty.so PYTHONPATH=$py_dir \
  python3 bench/ffi_bench.py "$url" "$runs" "$PWD/target/benchvenv/bin/python" "$https_url" "$tmp/cert.pem"
cc -std=c11 -O2 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -shared -fPIC bench/stub_events.c -o target/c/libstub_events.so
PAGERDUTY_FFI_LIB=$lib_dir/libpagerduty.so PYTHONPATH=$py_dir python3 bench/python_side.py target/c/libstub_events.so
for scheme in http https; do
  echo "== C, $scheme"
  if [ $scheme = http ]; then u=$url; ca=(); else u=$https_url; ca=("$tmp/cert.pem"); fi
  ./target/c/c_bench "$u" "$runs" "${ca[@]}"
  n=$((runs > 11 ? runs : 11))
  for _ in $(seq 1 "$n"); do ./target/c/c_bench --startup "$u" "${ca[@]}"; done | python3 -c '
import statistics, sys
rows = [tuple(map(float, l.split())) for l in sys.stdin]
scheme = sys.argv[1]
make, first = [r[0] for r in rows], [r[1] for r in rows]
print(f"C start-up ({scheme}, fresh process, median of {len(rows)}): two clients created "
      f"{statistics.median(make):.2f} ms ({min(make):.2f}-{max(make):.2f}), "
      f"first call on each {statistics.median(first):.2f} ms ({min(first):.2f}-{max(first):.2f})")' $scheme
done
