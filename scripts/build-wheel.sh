#!/usr/bin/env bash
# Builds the Python package pagerduty-ffi into dist/: a wheel carrying libpagerduty
# (pagerduty_ffi/_pagerduty/lib_pagerduty.so), tagged py3-none-manylinux2014_x86_64 (ctypes has no
# Python ABI: one wheel for every CPython 3.8+), and an sdist that builds with cargo.
#
# maturin and zig come from PyPI into target/wheel-venv (pinned; skipped when there). Zig links
# the library against glibc 2.17's symbols; auditwheel then checks that the wheel keeps the
# manylinux2014 promise (fails otherwise). Idempotent: replaces only dist/pagerduty_ffi-*.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"

# One version for the crates, the library and the Python package.
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
for f in ffi/python/pyproject.toml ffi/python/native/Cargo.toml; do
  v=$(sed -n 's/^version = "\(.*\)"/\1/p' "$f" | head -1)
  [ "$v" = "$version" ] || { echo "build-wheel: $f says version $v, Cargo.toml $version" >&2; exit 1; }
done

venv=target/wheel-venv
pins=(maturin==1.16.0 ziglang==0.17.1 auditwheel==6.8.2 cffi==2.1.1)
if [ "$(cat "$venv/.pins" 2>/dev/null)" != "${pins[*]}" ]; then
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${pins[@]}"
  echo "${pins[*]}" >"$venv/.pins"
fi
# maturin finds zig (python -m ziglang) and the Python that runs cffi through PATH.
export PATH="$root/$venv/bin:$PATH"

# The wheel's crate (ffi/python/native, a workspace of its own: see its Cargo.toml) builds with
# the repository's lockfile; cargo drops the packages it does not use.
cp Cargo.lock ffi/python/native/Cargo.lock
cargo metadata --quiet --format-version 1 --manifest-path ffi/python/native/Cargo.toml >/dev/null

mkdir -p dist
rm -f dist/pagerduty_ffi-*.whl dist/pagerduty_ffi-*.tar.gz
log=target/wheel-build.log
if ! (cd ffi/python &&
  maturin build --release --zig --compatibility manylinux2014 -m native/Cargo.toml --out "$root/dist" &&
  maturin sdist -m native/Cargo.toml --out "$root/dist") >"$log" 2>&1; then
  cat "$log" >&2
  echo "build-wheel: maturin failed (log: $log)" >&2
  exit 1
fi

wheel=$(ls dist/pagerduty_ffi-*-py3-none-manylinux2014_x86_64*.whl)
sdist=$(ls dist/pagerduty_ffi-*.tar.gz)
audit=$(auditwheel show "$wheel")
if ! tr '\n' ' ' <<<"$audit" | grep -q 'consistent with the following platform tag: *"manylinux_2_17_x86_64"'; then
  echo "$audit" >&2
  echo "build-wheel: $wheel is not manylinux2014 (glibc 2.17) compatible" >&2
  exit 1
fi
echo "wheel  $wheel ($(wc -c <"$wheel") bytes; auditwheel: manylinux_2_17_x86_64)"
echo "sdist  $sdist ($(wc -c <"$sdist") bytes)"
