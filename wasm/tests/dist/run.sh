#!/usr/bin/env bash
# The npm tarball in every JavaScript runtime: packs target/npm/pagerduty-wasm (build it first:
# make npm), installs the runtimes it needs from the npm registry into target/dist-tests/runtimes
# (skipped when the pinned version is there; nothing global), then run.mjs creates a fresh
# project per row in target/dist-tests/projects, installs the tarball into it, builds and runs it
# against the simulator (target/release/pagerduty-mock), and prints a table: runtime x result.
# Exits non-zero if any row fails. Idempotent. An argument runs only the rows whose name
# contains it (e.g. `run.sh workerd`).
set -euo pipefail
cd "$(dirname "$0")/../../.."

[ -x target/release/pagerduty-mock ] || { echo "no target/release/pagerduty-mock: run make npm first" >&2; exit 1; }
for f in wasm/npm/*.js wasm/npm/*.d.ts wasm/npm/package.json wasm/npm/README.md; do
  cmp -s "$f" "target/npm/pagerduty-wasm/${f#wasm/npm/}" || { echo "target/npm/pagerduty-wasm is older than $f: run make npm" >&2; exit 1; }
done
t=wasm/tools/node_modules
if [ ! -x $t/.bin/esbuild ] || [ ! -x $t/.bin/attw ] || [ ! -x $t/.bin/tsc ] || [ ! -d $t/@types/node ] \
   || [ ! -d $t/vite ] || [ ! -d $t/playwright-core ]; then
  npm ci --prefix wasm/tools --no-audit --no-fund --loglevel=error
fi
command -v chromium >/dev/null || { echo "no chromium on PATH (scripts/setup.sh installs Debian's)" >&2; exit 1; }
node -e 'if (+process.versions.node.split(".")[0] < 20) { console.error("run.sh needs Node 20+ on PATH (the Node 18 rows use their own)"); process.exit(1); }'

# name, npm package@version, the binary it brings, and what `--version` must print.
runtime() {
  local name=$1 spec=$2 binary=$3 want=$4 dir=target/dist-tests/runtimes/$1
  if [ -x "$dir/node_modules/.bin/$binary" ] && "$dir/node_modules/.bin/$binary" --version 2>/dev/null | grep -qF -- "$want"; then
    return
  fi
  echo "installing $spec into $dir"
  rm -rf "$dir" && mkdir -p "$dir"
  echo '{ "private": true }' >"$dir/package.json"
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error --save-exact "$spec")
  "$dir/node_modules/.bin/$binary" --version | grep -qF -- "$want" || { echo "$spec did not bring $binary $want" >&2; exit 1; }
}
runtime node18 node@18.20.8 node v18.20.8
runtime deno deno@2.9.6 deno 2.9.6
runtime bun bun@1.4.4 bun 1.4.4
runtime workerd workerd@1.20261117.1 workerd 2026-11-17

packed=$(scripts/pack-npm.sh)
echo "$packed"
tarball=$(echo "$packed" | tail -1)
node wasm/tests/dist/run.mjs "$tarball" "$@"
