#!/usr/bin/env bash
# The Python package as a user gets it: builds the wheel and sdist into dist/
# (scripts/build-wheel.sh), installs the wheel into a fresh venv with no PAGERDUTY_FFI_LIB, and
# from a folder outside the repository runs examples/python/example.py against the simulator,
# then the package's pytest suite against the installed copy (PD_TEST_INSTALLED=1).
#
#   scripts/test-wheel.sh            with python3, in target/wheel-test-venv
#   WHEEL_TEST_PYTHONS="python3 ~/.pyenv/versions/3.8.18/bin/python3.8" scripts/test-wheel.sh
#                                    with each interpreter, in target/wheel-test-venv-X.Y
#   scripts/test-wheel.sh --sdist    also `pip install` the sdist into a fresh venv (cargo builds
#                                    the library there; about 3 min) and run the example with it
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
with_sdist=0
[ "${1:-}" = "--sdist" ] && with_sdist=1
unset PAGERDUTY_FFI_LIB PYTHONPATH

scripts/build-wheel.sh
cargo build --quiet --release -p pagerduty-mock
wheel=$(ls "$root"/dist/pagerduty_ffi-*-py3-none-manylinux2014_x86_64*.whl)
sdist=$(ls "$root"/dist/pagerduty_ffi-*.tar.gz)

work=$(mktemp -d)
mock_pid=""
cleanup() {
  [ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
"$root/target/release/pagerduty-mock" --port 0 --incidents 250 >"$work/mock.log" 2>&1 &
mock_pid=$!
for _ in $(seq 1 50); do grep -q 'listening on' "$work/mock.log" && break; sleep 0.1; done
url=$(awk '/listening on/ {print $4; exit}' "$work/mock.log")
[ -n "$url" ] || { cat "$work/mock.log"; echo "the simulator did not start" >&2; exit 1; }

# Runs the example with a venv's python from $work (outside the repository), and checks that
# the package and its library came from the venv, and that importing it did not load ctypes.util.
run_example() {
  local venv=$1
  (cd "$work" && "$venv/bin/python" - "$venv" <<'PY'
import os, sys
import pagerduty_ffi
from pagerduty_ffi import _native
venv = os.path.realpath(sys.argv[1])
for what, path in (("package", pagerduty_ffi.__file__), ("library", _native.lib._name)):
    assert os.path.realpath(path).startswith(venv + os.sep), f"{what} not from {venv}: {path}"
assert "ctypes.util" not in sys.modules, "import pagerduty_ffi imported ctypes.util"
from importlib.metadata import version
assert pagerduty_ffi.version() == version("pagerduty-ffi"), (pagerduty_ffi.version(), version("pagerduty-ffi"))
print(f"   {sys.version.split()[0]}: library {os.path.relpath(_native.lib._name, venv)}")
PY
  )
  (cd "$work" && PAGERDUTY_BASE_URL="$url" "$venv/bin/python" "$root/examples/python/example.py")
}

for python in ${WHEEL_TEST_PYTHONS:-python3}; do
  version=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  venv="$root/target/wheel-test-venv"
  [ "${WHEEL_TEST_PYTHONS:-python3}" = python3 ] || venv="$venv-$version"
  echo "== Python $version: $(basename "$wheel") into a fresh ${venv#"$root"/}"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$wheel" pytest
  run_example "$venv"
  echo "== Python $version: pytest against the installed package"
  (cd ffi/python/tests && PD_TEST_INSTALLED=1 "$venv/bin/python" -m pytest -q -p no:cacheprovider .)
done

if [ "$with_sdist" = 1 ]; then
  venv="$root/target/sdist-test-venv"
  echo "== $(basename "$sdist"): pip builds it with cargo in a fresh ${venv#"$root"/}"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-cache-dir "$sdist"
  run_example "$venv"
fi
