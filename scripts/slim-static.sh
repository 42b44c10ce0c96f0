#!/usr/bin/env bash
# Writes a libpagerduty.a whose only global symbols are the pd_* functions of the header: the
# Rust staticlib exports ~16,000 other globals (std, tokio, rustls, ...) that can clash with a
# program's own copies. Pre-links the archive into one object (ld -r), keeps the header's
# functions global, drops LLVM bitcode sections (Debian's ar loads an LLVM 14 plugin that aborts
# on newer bitcode) and debug info. Usage: slim-static.sh IN.a OUT.a
set -euo pipefail
cd "$(dirname "$0")/.."
in=$1 out=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ld -r --whole-archive "$in" -o "$tmp/all.o"
grep -o 'pd_[a-z0-9_]*(' include/pagerduty.h | tr -d '(' | sort -u > "$tmp/keep"
objcopy --keep-global-symbols="$tmp/keep" --remove-section=.llvmbc --remove-section=.llvmcmd \
  --strip-debug "$tmp/all.o" "$tmp/pagerduty.o"
rm -f "$out"
ar rcs "$out" "$tmp/pagerduty.o"
