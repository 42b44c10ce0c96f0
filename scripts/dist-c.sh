#!/usr/bin/env bash
# The C SDK tarball: dist/libpagerduty-VERSION-linux-ARCH.tar.gz holding lib/ (the .so with its
# SONAME links and the pd_*-only .a), include/ (pagerduty.h, pagerduty_version.h), a relocatable
# lib/pkgconfig/pagerduty.pc (prefix found from the .pc file itself), the licenses, CHANGELOG.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
name="libpagerduty-$version-linux-$(uname -m)"
stage="target/dist-c/$name"
rm -rf target/dist-c
make --no-print-directory install PREFIX="$PWD/$stage" >/dev/null
# Relocatable: wherever the tarball is unpacked, pkg-config finds it from the .pc file.
sed -i.bak 's|^prefix=.*|prefix=${pcfiledir}/../..|' "$stage/lib/pkgconfig/pagerduty.pc"
rm -f "$stage/lib/pkgconfig/pagerduty.pc.bak"
strip --strip-unneeded "$stage/lib/libpagerduty.so.$version"
cp LICENSE-MIT LICENSE-APACHE CHANGELOG.md SECURITY.md "$stage/"
mkdir -p dist
tar -C target/dist-c -czf "dist/$name.tar.gz" "$name"
echo "dist/$name.tar.gz ($(wc -c <"dist/$name.tar.gz") bytes)"
