#!/usr/bin/env bash
# Builds the npm package `pagerduty-wasm` into target/npm/pagerduty-wasm:
#   cargo (wasm32, profile `wasm`) -> wasm-bindgen --target web -> wasm-opt -Oz -> + wasm/npm/*,
# then what is generated from those: node.cjs (the `require` entry: node.js bundled as CommonJS
# by esbuild), wasm-inline.cjs (the .wasm gzipped, in base64: for bundles and the `inline`
# entry), index.d.cts / resources.d.cts (the declarations for `require`), and the licenses.
# Needs: rustup target wasm32-unknown-unknown, wasm-bindgen-cli = Cargo.lock's wasm-bindgen,
# node, wasm/tools/node_modules (npm ci). scripts/setup.sh installs all of them.
# scripts/pack-npm.sh makes the tarball; wasm/tests/dist/run.sh tries it in every runtime.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/npm/pagerduty-wasm
tools=wasm/tools/node_modules/.bin
# wasm-opt and esbuild come from wasm/tools' lockfile; a checkout whose tools predate one of
# them gets them now.
if [ ! -x "$tools/wasm-opt" ] || [ ! -x "$tools/esbuild" ]; then
  npm ci --prefix wasm/tools --no-audit --no-fund --loglevel=error
fi
cargo build --quiet -p pagerduty-wasm --target wasm32-unknown-unknown --profile wasm
rm -rf "$out" && mkdir -p "$out"
wasm-bindgen --target web --out-dir "$out" --out-name pagerduty_wasm --no-typescript \
  target/wasm32-unknown-unknown/wasm/pagerduty_wasm.wasm
# -Oz, names and producers stripped; the target-features section says what the code uses.
"$tools/wasm-opt" -Oz --strip-debug --strip-producers --enable-bulk-memory \
  --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
  --enable-reference-types --enable-multivalue \
  "$out/pagerduty_wasm_bg.wasm" -o "$out/pagerduty_wasm_bg.wasm"
# The outbox (Node only) in a module of its own, so that the main one stays small: the same
# crate with the `outbox` feature, in its own target directory (no rebuild ping-pong).
CARGO_TARGET_DIR=target/wasm-outbox cargo build --quiet -p pagerduty-wasm --features outbox \
  --target wasm32-unknown-unknown --profile wasm
wasm-bindgen --target web --out-dir "$out" --out-name pagerduty_wasm_outbox --no-typescript \
  target/wasm-outbox/wasm32-unknown-unknown/wasm/pagerduty_wasm.wasm
"$tools/wasm-opt" -Oz --strip-debug --strip-producers --enable-bulk-memory \
  --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
  --enable-reference-types --enable-multivalue \
  "$out/pagerduty_wasm_outbox_bg.wasm" -o "$out/pagerduty_wasm_outbox_bg.wasm"
cp wasm/npm/*.js wasm/npm/*.d.ts wasm/npm/package.json wasm/npm/README.md "$out/"
for f in LICENSE-MIT LICENSE-APACHE; do
  [ -f "$f" ] || { echo "$f is missing at the repository's root" >&2; exit 1; }
  cp "$f" "$out/"
done

# The declarations again as CommonJS ones (`require`, TypeScript's node16/nodenext in a CommonJS
# project): same text, the one relative import pointed at the .d.cts.
sed "s#from './resources.js'#from './resources.cjs'#" wasm/npm/index.d.ts > "$out/index.d.cts"
grep -q "from './resources.cjs'" "$out/index.d.cts" || { echo "index.d.cts: the resources import was not rewritten" >&2; exit 1; }
cp wasm/npm/resources.d.ts "$out/resources.d.cts"

# The module inline, gzipped (a fixed header: no name, no time) and in base64.
node -e '
const fs = require("node:fs"), zlib = require("node:zlib");
const [wasm, out] = process.argv.slice(1);
const gz = zlib.gzipSync(fs.readFileSync(wasm), { level: 9 });
fs.writeFileSync(out, "// pagerduty_wasm_bg.wasm, gzipped, in base64 (scripts/build-npm.sh): for bundles and pagerduty-wasm/inline.\n"
  + "module.exports = \"" + gz.toString("base64") + "\";\n");
' "$out/pagerduty_wasm_bg.wasm" "$out/wasm-inline.cjs"

# The `require` entry: node.js and what it imports as one CommonJS file, `import.meta.url` this
# file's URL, the inline module left outside (required only by bundles that lack the .wasm).
"$tools/esbuild" "$out/node.js" --bundle --platform=node --format=cjs --target=node18 --log-level=warning \
  --external:./wasm-inline.cjs --define:import.meta.url=__pdModuleUrl \
  --banner:js="// pagerduty-wasm's CommonJS entry, generated from node.js by esbuild (scripts/build-npm.sh): do not edit.
var __pdModuleUrl = typeof __filename === 'string' ? require('node:url').pathToFileURL(__filename).href : undefined;" \
  --outfile="$out/node.cjs"
grep -q 'require("./wasm-inline.cjs")' "$out/node.cjs" || { echo "node.cjs: wasm-inline.cjs was bundled in, not left outside" >&2; exit 1; }

raw=$(wc -c <"$out/pagerduty_wasm_bg.wasm" | tr -d ' ')
gz=$(gzip -9 -c "$out/pagerduty_wasm_bg.wasm" | wc -c | tr -d ' ')
# The size budget (issue 17's target), one definition for this script and scripts/bench-wasm.sh.
read -r budget_raw budget_gz < wasm/size-budget
echo "pagerduty_wasm_bg.wasm: $raw bytes raw, $gz bytes gzip -9 (budget $budget_raw / $budget_gz)"
echo "pagerduty_wasm_outbox_bg.wasm (Node's outbox only): $(wc -c <"$out/pagerduty_wasm_outbox_bg.wasm" | tr -d ' ') bytes raw"
if [ "${PD_WASM_SIZE_STRICT:-0}" = 1 ] && { [ "$raw" -gt "$budget_raw" ] || [ "$gz" -gt "$budget_gz" ]; }; then
  echo "size budget exceeded" >&2
  exit 1
fi
