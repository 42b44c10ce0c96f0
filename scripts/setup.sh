#!/usr/bin/env bash
# Installs what `make test` needs on a fresh machine; skips what is already there.
set -euo pipefail
have() { command -v "$1" >/dev/null 2>&1; }

rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
# Fuzzing needs nightly (these machines ship one) and cargo-fuzz from crates.io.
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
if ! have cargo-fuzz || [ "$(cargo-fuzz --version 2>/dev/null | awk '{print $2}')" != "0.13.2" ]; then
  cargo install cargo-fuzz --version 0.13.2 --locked || cargo install cargo-fuzz --version 0.13.2
fi
# cbindgen, pinned: CI regenerates include/pagerduty.h and fails on any difference.
if [ "$(cbindgen --version 2>/dev/null | awk '{print $2}')" != "0.29.4" ]; then
  cargo install cbindgen --version =0.29.4 --locked
fi
# The C tests run under valgrind; the install test uses pkg-config.
missing=()
have valgrind || missing+=(valgrind)
have pkg-config || missing+=(pkg-config)
have gcc || missing+=(gcc)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && apt-get install -y -qq "${missing[@]}"
fi
python3 -c 'import venv' || { apt-get update -qq && apt-get install -y -qq python3-venv; }
# Stoplight Prism for the contract tests (5.14.2: 5.16 wants Node 24), from npm, into target/.
if [ ! -x target/prism/node_modules/.bin/prism ]; then
  npm install --no-save --no-audit --no-fund --loglevel=error --prefix target/prism @stoplight/prism-cli@5.14.2
fi
# The npm package (issue 6): the wasm target, wasm-bindgen-cli equal to Cargo.lock's
# wasm-bindgen (plain install: --locked fails here, see TOOLCHAIN.md), the build/test tools
# from npm (binaryen's wasm-opt, tsc, playwright-core, Vite, the bench's peer), Debian's Chromium.
rustup target list --installed | grep -q '^wasm32-unknown-unknown$' || rustup target add wasm32-unknown-unknown
wbv=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/"/, "", $3); print $3; exit}' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wbv" ]; then
  cargo install wasm-bindgen-cli --version "=$wbv"
fi
if [ ! -x wasm/tools/node_modules/.bin/wasm-opt ] || [ ! -d wasm/tools/node_modules/playwright-core ] \
   || [ ! -d wasm/tools/node_modules/vite ] || [ ! -d wasm/tools/node_modules/@pagerduty/pdjs ]; then
  npm ci --prefix wasm/tools --no-audit --no-fund --loglevel=error
fi
if ! have chromium || ! have chromedriver; then
  apt-get update -qq && apt-get install -y -qq chromium chromium-driver
fi
