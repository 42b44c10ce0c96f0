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
