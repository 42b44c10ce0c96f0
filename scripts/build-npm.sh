#!/usr/bin/env bash
# Builds the npm package `pagerduty-wasm` into target/npm/pagerduty-wasm:
#   cargo (wasm32, profile `wasm`) -> wasm-bindgen --target web -> wasm-opt -Oz -> + wasm/npm/*.
# Needs: rustup target wasm32-unknown-unknown, wasm-bindgen-cli = Cargo.lock's wasm-bindgen,
# wasm/tools/node_modules (npm ci). scripts/setup.sh installs all three.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/npm/pagerduty-wasm
tools=wasm/tools/node_modules/.bin
cargo build --quiet -p pagerduty-wasm --target wasm32-unknown-unknown --profile wasm
rm -rf "$out" && mkdir -p "$out"
wasm-bindgen --target web --out-dir "$out" --out-name pagerduty_wasm --no-typescript \
  target/wasm32-unknown-unknown/wasm/pagerduty_wasm.wasm
# -Oz, names and producers stripped; the target-features section says what the code uses.
"$tools/wasm-opt" -Oz --strip-debug --strip-producers --enable-bulk-memory \
  --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
  --enable-reference-types --enable-multivalue \
  "$out/pagerduty_wasm_bg.wasm" -o "$out/pagerduty_wasm_bg.wasm"
cp wasm/npm/*.js wasm/npm/*.d.ts wasm/npm/package.json wasm/npm/README.md "$out/"
raw=$(stat -c %s "$out/pagerduty_wasm_bg.wasm")
gz=$(gzip -9 -c "$out/pagerduty_wasm_bg.wasm" | wc -c)
echo "pagerduty_wasm_bg.wasm: $raw bytes raw, $gz bytes gzip -9 (budget 256000 / 71680)"
if [ "${PD_WASM_SIZE_STRICT:-0}" = 1 ] && { [ "$raw" -gt 256000 ] || [ "$gz" -gt 71680 ]; }; then
  echo "size budget exceeded" >&2
  exit 1
fi
