#!/usr/bin/env bash
# Packs the built package (target/npm/pagerduty-wasm, from scripts/build-npm.sh) with `npm pack`
# into target/npm/pagerduty-wasm-VERSION.tgz; checks that every file the package.json points at
# (exports, main, module, types) and the licenses are in it; prints its size. The last line
# printed is the tarball's path.
set -euo pipefail
cd "$(dirname "$0")/.."
pkg=target/npm/pagerduty-wasm
[ -f "$pkg/package.json" ] || { echo "no $pkg: build it first (scripts/build-npm.sh or make npm)" >&2; exit 1; }
json=$(cd "$pkg" && npm pack --json --ignore-scripts --loglevel=error --pack-destination ..)
PD_PACK_JSON=$json node -e '
const fs = require("node:fs");
const [packed] = JSON.parse(process.env.PD_PACK_JSON);
const pkg = JSON.parse(fs.readFileSync(process.argv[1] + "/package.json", "utf8"));
const inside = new Set(packed.files.map((f) => f.path));
const wanted = new Set(["package.json", "README.md", "LICENSE-MIT", "LICENSE-APACHE", "pagerduty_wasm_bg.wasm"]);
const walk = (v) => { if (typeof v === "string") wanted.add(v.replace(/^\.\//, "")); else if (v && typeof v === "object") Object.values(v).forEach(walk); };
walk(pkg.exports); walk(pkg.main); walk(pkg.module); walk(pkg.types);
const missing = [...wanted].filter((f) => !inside.has(f));
if (missing.length) { console.error(`${packed.filename} lacks: ${missing.join(", ")}`); process.exit(1); }
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(`${packed.filename}: ${kb(packed.size)} packed, ${kb(packed.unpackedSize)} unpacked, ${packed.entryCount} files`);
for (const f of packed.files) console.log(`  ${String(f.size).padStart(8)}  ${f.path}`);
' "$pkg"
echo "target/npm/$(PD_PACK_JSON=$json node -p 'JSON.parse(process.env.PD_PACK_JSON)[0].filename')"
