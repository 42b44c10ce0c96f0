#!/usr/bin/env bash
# pagerduty-wasm against @pagerduty/pdjs 2.2.4 and a raw node:http + JSON.parse loop, in Node,
# on simulators with 10,000 incidents (~2 KB each): paging all 10,000 (100 pages of 100) over
# http and https, and 2,000 triggers one at a time (c1) and 16 in flight (c16), over http and
# https; each figure the median (and min-max) of RUNS fresh processes, with peak RSS, and the
# ratios of ours (node:http transport) to pdjs and to raw. pdjs's event() forces https, so it
# only has https event rows. The paging runs come first (the event runs add incidents: a walk
# must see 10,000). The https simulator's certificate is trusted through NODE_EXTRA_CA_CERTS,
# for every client alike.
# Then the browser: the package's browser entry against a raw fetch + res.json() loop in the
# same headless Chromium page, on a simulator of its own (walks of 10,000, then 500 triggers
# c1 and c16; bench/browser_bench.mjs), with the import timed apart; "CPU" is the CPU time of
# all of Chromium's processes over the run (renderer, network service, browser), "page busy"
# the page's main-thread time in tasks (script, wasm, res.json()'s parse).
#   scripts/bench-wasm.sh [RUNS]     (needs make npm and wasm/tools' npm ci; see scripts/setup.sh)
#   BROWSER=0 skips the browser section, BROWSER=only runs it alone.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
browser=${BROWSER:-1}
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
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
measure() { # measure MODE URL -> "median_seconds median_rss min max"
  local s=() r=()
  for _ in $(seq 1 "$runs"); do
    line=$(node bench/wasm_bench.mjs "$1" "$2")
    s+=("$(echo "$line" | sed 's/.*"seconds":\([0-9.e-]*\).*/\1/')")
    r+=("$(echo "$line" | sed 's/.*"maxRssMb":\([0-9.]*\).*/\1/')")
  done
  echo "$(printf '%s\n' "${s[@]}" | median) $(printf '%s\n' "${r[@]}" | median) $(printf '%s\n' "${s[@]}" | sort -n | head -1) $(printf '%s\n' "${s[@]}" | sort -n | tail -1)"
}
declare -A med
row() { # row LABEL MODE URL COUNT: one line; remembers the median under LABEL
  local s rss lo hi
  read -r s rss lo hi < <(measure "$2" "$3")
  med[$1]=$s
  printf '%-34s %8.3f %7.3f-%-7.3f %10.0f %8.1f MB\n' "$1" "$s" "$lo" "$hi" "$(awk -v s="$s" -v n="$4" "BEGIN{print n/s}")" "$rss"
}
ratio() { awk -v a="${med[$1]}" -v b="${med[$2]}" 'BEGIN{printf "%.2f", a/b}'; }

node_bench() {
  start plain; plain=$url
  start tls --tls --cert-out "$dir/cert.pem"; tls=$url
  export NODE_EXTRA_CA_CERTS="$dir/cert.pem"

  raw=$(wc -c < target/npm/pagerduty-wasm/pagerduty_wasm_bg.wasm)
  gz=$(gzip -9 -c target/npm/pagerduty-wasm/pagerduty_wasm_bg.wasm | wc -c)
  read -r budget_raw budget_gz < wasm/size-budget
  echo "size: pagerduty_wasm_bg.wasm $raw bytes raw, $gz bytes gzip -9 (budget $budget_raw / $budget_gz)"

  printf '\n%-34s %8s %15s %10s %11s\n' "10,000 incidents (100 pages)" "median s" "min-max" "items/s" "peak RSS"
  for target in "http:$plain" "https:$tls"; do
    p=${target%%:*}; url=${target#*:}
    for m in wasm-page wasm-page-undici pdjs-page raw-page; do row "$m ($p)" "$m" "$url" 10000; done
  done
  printf '\n%-34s %8s %15s %10s %11s\n' "2,000 triggers" "median s" "min-max" "events/s" "peak RSS"
  for c in "" -c16; do
    for target in "http:$plain" "https:$tls"; do
      p=${target%%:*}; url=${target#*:}
      for m in wasm-events wasm-events-undici pdjs-events raw-events; do
        [ "$m" = pdjs-events ] && [ "$p" = http ] && continue # pdjs forces https
        row "$m${c:-"-c1"} ($p)" "$m$c" "$url" 2000
      done
    done
  done

  printf '\nratios, ours (node:http) in time: below 1 is faster\n'
  for p in http https; do
    printf 'page %-5s  %s x pdjs next()  %s x raw node:http + JSON.parse\n' "$p" "$(ratio "wasm-page ($p)" "pdjs-page ($p)")" "$(ratio "wasm-page ($p)" "raw-page ($p)")"
  done
  for c in -c1 -c16; do
    for p in http https; do
      extra=""
      [ "$p" = https ] && extra="  $(ratio "wasm-events$c ($p)" "pdjs-events$c ($p)") x pdjs"
      printf 'events %-4s %-5s  %s x raw node:http%s\n' "$c" "$p" "$(ratio "wasm-events$c ($p)" "raw-events$c ($p)")" "$extra"
    done
  done

  # Import + instantiate over a bare node: medians of RUNS*4 process starts each.
  times() { for _ in $(seq 1 $((runs * 4))); do /usr/bin/time -f %e "$@" 2>&1 >/dev/null | tail -1; done | median; }
  bare=$(times node -e 0)
  with=$(cd bench && times node --input-type=module -e "await import('pagerduty-wasm')")
  printf '\nimport + instantiate: node -e 0 %.3f s, with import %.3f s: +%.0f ms\n' "$bare" "$with" "$(awk -v a="$with" -v b="$bare" "BEGIN{print (a-b)*1000}")"
}

# The browser rows: one Chromium, a fresh context per run, on a simulator of their own.
runs_of() { grep "\"mode\":\"$1\"" "$dir/browser.jsonl" | sed "s/.*\"$2\":\([0-9.e-]*\).*/\1/"; } # runs_of MODE FIELD
brow() { # brow LABEL MODE COUNT: one line; remembers the median under LABEL
  local s
  s=$(runs_of "$2" seconds | median)
  med[$1]=$s
  cpu[$1]=$(runs_of "$2" cpuMs | median)
  busy[$1]=$(runs_of "$2" busyMs | median)
  printf '%-34s %8.3f %7.3f-%-7.3f %10.0f %8.0f ms %8.0f ms\n' "$1" "$s" "$(runs_of "$2" seconds | sort -n | head -1)" \
    "$(runs_of "$2" seconds | sort -n | tail -1)" "$(awk -v s="$s" -v n="$3" "BEGIN{print n/s}")" "${cpu[$1]}" "${busy[$1]}"
}
declare -A cpu busy
of() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; } # of A B: A/B
browser_bench() {
  if ! command -v chromium >/dev/null; then printf '\nbrowser (headless Chromium): skipped, no chromium (scripts/setup.sh test)\n'; return; fi
  start browser
  node bench/browser_bench.mjs "$url" "$runs" >"$dir/browser.jsonl"
  printf '\nbrowser (headless %s, http): pagerduty-wasm vs fetch + res.json() in the same page\n' "$(chromium --version 2>/dev/null | awk '{print $1, $2}')"
  printf '%-34s %8s %15s %10s %11s %11s\n' "10,000 incidents (100 pages)" "median s" "min-max" "items/s" "CPU" "page busy"
  for m in wasm-walk raw-walk; do brow "$m (browser)" "$m" 10000; done
  printf '%-34s %8s %15s %10s %11s %11s\n' "500 triggers" "median s" "min-max" "events/s" "CPU" "page busy"
  for m in wasm-events raw-events wasm-events-c16 raw-events-c16; do
    l=$m; [ "${m%-c16}" = "$m" ] && l=$m-c1
    brow "$l (browser)" "$m" 500
  done
  printf 'ratios, ours to raw fetch (below 1 is faster)\n'
  for m in walk events-c1 events-c16; do
    a="wasm-$m (browser)"; b="raw-$m (browser)"
    printf '%-11s %s x in time, %s x in CPU, %s x in page busy time\n' "$m" "$(ratio "$a" "$b")" \
      "$(of "${cpu[$a]}" "${cpu[$b]}")" "$(of "${busy[$a]}" "${busy[$b]}")"
  done
  runs_of 'wasm-[a-z0-9-]*' instantiateMs | sort -n >"$dir/instantiate"
  printf 'import of browser.js (fetch + compile + instantiate of the .wasm, fresh context): median %.0f ms (%.0f-%.0f) over %d\n' \
    "$(median <"$dir/instantiate")" "$(head -1 "$dir/instantiate")" "$(tail -1 "$dir/instantiate")" "$(wc -l <"$dir/instantiate")"
}

[ "$browser" = only ] || node_bench
[ "$browser" = 0 ] || browser_bench
