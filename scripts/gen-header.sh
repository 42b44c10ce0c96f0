#!/usr/bin/env bash
# Regenerates include/pagerduty.h with the pinned cbindgen. `--check` fails if it changes.
set -euo pipefail
cd "$(dirname "$0")/.."
want=0.29.4
if [ "$(cbindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
  cargo install cbindgen --version "=$want" --locked
fi
(cd ffi && cbindgen --quiet -c cbindgen.toml -o ../include/pagerduty.h .)
if [ "${1:-}" = "--check" ]; then
  git diff --exit-code include/ || { echo "include/pagerduty.h is out of date: run scripts/gen-header.sh" >&2; exit 1; }
fi
