#!/usr/bin/env bash
# The C SDK tarball as a user gets it: unpacked outside the repository, the example built with
# pkg-config against it (shared and static), run against the simulator.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
tarball=$root/$(ls dist/libpagerduty-*.tar.gz | head -1)
work=$(mktemp -d)
mock_pid=""
cleanup() { [ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
tar -C "$work" -xzf "$tarball"
sdk=$(ls -d "$work"/libpagerduty-*)
cp examples/c/example.c "$work/"
cd "$work"
export PKG_CONFIG_PATH="$sdk/lib/pkgconfig"
cc -std=c11 -Wall -Wextra -Werror example.c $(pkg-config --cflags --libs pagerduty) -Wl,-rpath,"$sdk/lib" -o example
cc -std=c11 -Wall -Wextra -Werror example.c $(pkg-config --cflags pagerduty) "$sdk/lib/libpagerduty.a" \
  $(pkg-config --libs-only-other --static pagerduty) -lgcc_s -lutil -lrt -lpthread -lm -ldl -o example-static
log=$(mktemp)
"$root/target/release/pagerduty-mock" --port 0 --incidents 50 >"$log" 2>&1 &
mock_pid=$!
for _ in $(seq 1 50); do grep -q 'listening on' "$log" && break; sleep 0.1; done
export PAGERDUTY_BASE_URL=$(awk '/listening on/ {print $4; exit}' "$log")
./example >/dev/null
./example-static >/dev/null
echo "C SDK ($(basename "$tarball"), $(wc -c <"$tarball") bytes): example built with pkg-config, shared and static, ran against the simulator"
