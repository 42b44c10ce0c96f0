#!/usr/bin/env bash
# pagerduty-wasm against @pagerduty/pdjs 2.2.4 and a raw node:http + JSON.parse loop, in Node,
# on one simulator with 10,000 incidents (~2 KB each): paging all 10,000 (100 pages of 100) and
# 2,000 triggers one at a time; each figure the median of RUNS fresh processes, with peak RSS.
# pdjs's event() forces https, so the event runs also go to a second simulator with --tls
# (its certificate trusted through NODE_EXTRA_CA_CERTS), for every client alike.
#   scripts/bench-wasm.sh [RUNS]     (needs make npm and wasm/tools' npm ci; see scripts/setup.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
make --no-print-directory npm >/dev/null
mkdir -p bench/node_modules && ln -sfn "$PWD/target/npm/pagerduty-wasm" bench/node_modules/pagerduty-wasm
dir=$(mktemp -d)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
start() { # start NAME ARGS...: sets $url (not in a subshell, so the trap sees every pid)
  local name=$1; shift
  ./target/release/pagerduty-mock --port 0 --incidents 10000 "$@" >"$dir/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do grep -q 'listening on' "$dir/$name.log" && break; sleep 0.1; done
  url=$(awk '/listening on/ {print $4; exit}' "$dir/$name.log" | sed 's:/$::')
}
start plain; plain=$url
start tls --tls --cert-out "$dir/cert.pem"; tls=$url
export NODE_EXTRA_CA_CERTS="$dir/cert.pem"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
measure() { # measure MODE URL -> "median_seconds median_rss"
  local s=() r=()
  for _ in $(seq 1 "$runs"); do
    line=$(node bench/wasm_bench.mjs "$1" "$2")
    s+=("$(echo "$line" | sed 's/.*"seconds":\([0-9.e-]*\).*/\1/')")
    r+=("$(echo "$line" | sed 's/.*"maxRssMb":\([0-9.]*\).*/\1/')")
  done
  echo "$(printf '%s\n' "${s[@]}" | median) $(printf '%s\n' "${r[@]}" | median)"
}

raw=$(wc -c < target/npm/pagerduty-wasm/pagerduty_wasm_bg.wasm)
gz=$(gzip -9 -c target/npm/pagerduty-wasm/pagerduty_wasm_bg.wasm | wc -c)
echo "size: pagerduty_wasm_bg.wasm $raw bytes raw, $gz bytes gzip -9 (budget 256000 / 71680)"

printf '\n%-34s %10s %12s %10s\n' "10,000 incidents (100 pages)" "seconds" "incidents/s" "peak RSS"
for m in wasm-page wasm-page-undici pdjs-page raw-page; do
  read -r s rss < <(measure "$m" "$plain")
  printf '%-34s %10.3f %12.0f %8.1f MB\n' "$m" "$s" "$(awk -v s="$s" "BEGIN{print 10000/s}")" "$rss"
done
printf '\n%-34s %10s %12s %10s\n' "2,000 triggers, one at a time" "seconds" "events/s" "peak RSS"
for target in "http:$plain" "https:$tls"; do
  url=${target#*:}
  for m in wasm-events wasm-events-undici pdjs-events raw-events; do
    [ "$m" = pdjs-events ] && [ "${target%%:*}" = http ] && continue # pdjs forces https
    read -r s rss < <(measure "$m" "$url")
    printf '%-34s %10.3f %12.0f %8.1f MB\n' "$m (${target%%:*})" "$s" "$(awk -v s="$s" "BEGIN{print 2000/s}")" "$rss"
  done
done

# Import + instantiate over a bare node: medians of RUNS*4 process starts each.
times() { for _ in $(seq 1 $((runs * 4))); do /usr/bin/time -f %e "$@" 2>&1 >/dev/null | tail -1; done | median; }
bare=$(times node -e 0)
with=$(cd bench && times node --input-type=module -e "await import('pagerduty-wasm')")
printf '\nimport + instantiate: node -e 0 %.3f s, with import %.3f s: +%.0f ms\n' "$bare" "$with" "$(awk -v a="$with" -v b="$bare" "BEGIN{print (a-b)*1000}")"
