#!/usr/bin/env bash
# Installs what `make demo` (`setup.sh demo`) or `make test` (`setup.sh test`, the default)
# needs on a fresh Debian-like machine with Rust, Node and Python; skips what is already there,
# so it is cheap to run every time. apt-get runs only for what is missing (as root, or with sudo).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-test}
have() { command -v "$1" >/dev/null 2>&1; }
apt_install() {
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq && $sudo apt-get install -y -qq "$@"
}

# --- what the demo needs (and the tests too): the npm package's build, a C compiler, Python's
# venv, Node's tools (wasm-opt, playwright-core, Vite), Chromium for the browser example.
demo_tools() {
  local missing=()
  have cc || missing+=(gcc)
  have pkg-config || missing+=(pkg-config)
  python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
  { have chromium && have chromedriver; } || missing+=(chromium chromium-driver)
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
  rustup target list --installed | grep -q '^wasm32-unknown-unknown$' || rustup target add wasm32-unknown-unknown
  # wasm-bindgen-cli must equal Cargo.lock's wasm-bindgen (plain install: --locked fails here).
  local wbv
  wbv=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/"/, "", $3); print $3; exit}' Cargo.lock)
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wbv" ]; then
    cargo install wasm-bindgen-cli --version "=$wbv"
  fi
  if [ ! -x wasm/tools/node_modules/.bin/wasm-opt ] || [ ! -d wasm/tools/node_modules/playwright-core ] \
     || [ ! -d wasm/tools/node_modules/vite ] || [ ! -d wasm/tools/node_modules/@pagerduty/pdjs ] \
     || [ ! -x wasm/tools/node_modules/.bin/esbuild ] || [ ! -x wasm/tools/node_modules/.bin/attw ] \
     || [ ! -d wasm/tools/node_modules/@types/node ] || [ ! -x wasm/tools/node_modules/.bin/typedoc ]; then
    npm ci --prefix wasm/tools --no-audit --no-fund --loglevel=error
  fi
}

# --- what only the tests need: lints, fuzzing, the header generator, valgrind, Prism.
test_tools() {
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
  local missing=()
  have valgrind || missing+=(valgrind)
  have readelf || missing+=(binutils)
  have c++ || missing+=(g++)
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
  # Stoplight Prism for the contract tests (5.14.2: 5.16 wants Node 24), from npm, into target/.
  if [ ! -x target/prism/node_modules/.bin/prism ]; then
    npm install --no-save --no-audit --no-fund --loglevel=error --prefix target/prism @stoplight/prism-cli@5.14.2
  fi
}

case "$mode" in
  demo) demo_tools ;;
  test) demo_tools; test_tools ;;
  *) echo "usage: setup.sh [demo|test]" >&2; exit 2 ;;
esac
