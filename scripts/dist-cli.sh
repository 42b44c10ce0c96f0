#!/usr/bin/env bash
# The `pagerduty` command as dist/pagerduty-VERSION-linux-ARCH.tar.gz: the release binary
# (stripped; linked dynamically to glibc only — no musl target or musl C toolchain on these
# machines for a static one), the licenses, and completions for bash, zsh and fish.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
name="pagerduty-$version-linux-$(uname -m)"
stage="target/dist-cli/$name"
rm -rf target/dist-cli
mkdir -p "$stage/completions" dist
cargo build --quiet --release -p pagerduty-cli
cp target/release/pagerduty "$stage/"
strip "$stage/pagerduty"
for sh in bash zsh fish; do "$stage/pagerduty" completions "$sh" >"$stage/completions/pagerduty.$sh"; done
cp LICENSE-MIT LICENSE-APACHE CHANGELOG.md "$stage/"
tar -C target/dist-cli -czf "dist/$name.tar.gz" "$name"
echo "dist/$name.tar.gz ($(wc -c <"dist/$name.tar.gz") bytes)"
