# The two commands a newcomer needs:
#   make demo   runs the demo (against the local simulator, or PagerDuty when keys are set)
#   make test   runs every test: format, lints, Rust tests, fuzz smoke run
# CI (.ci/run) calls `make test` and nothing else.

.PHONY: test demo setup-test docs dist wheel test-wheel test-dist-c bench fuzz lint install test-c test-python test-install test-wasm test-npm-dist npm

PREFIX ?= /usr/local
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)

test: setup-test lint
	cargo test --workspace
	$(MAKE) test-c test-python test-install test-wheel test-wasm test-npm-dist test-dist-c docs
	scripts/fuzz.sh 15

# libpagerduty from C: every export, bad inputs, threads, 2,000 triggers under faults, valgrind.
test-c:
	ffi/tests/c/run.sh

# pagerduty_ffi installed with pip into a fresh venv, then its pytest suite against the simulator,
# and mypy --strict over usage files of the generated operations and resource types.
test-python:
	cargo build --quiet --release -p pagerduty-ffi -p pagerduty-mock
	python3 -m venv target/pyvenv
	target/pyvenv/bin/pip install --quiet --disable-pip-version-check ./ffi/python pytest mypy==2.4.1
	cd ffi/python/tests && PAGERDUTY_FFI_LIB=$(CURDIR)/target/release/libpagerduty.so ../../../target/pyvenv/bin/pytest -q -p no:cacheprovider .
	cd ffi/python && ../../target/pyvenv/bin/mypy --strict --follow-imports=silent --cache-dir ../../target/mypy-cache \
	  pagerduty_ffi/resources.py tests/resources_usage.py tests/operations_usage.py pagerduty_ffi/outbox.py tests/outbox_usage.py pagerduty_ffi/oauth.py tests/test_oauth_pkce.py

# The npm package: built, then wasm-bindgen-test in Node and in headless Chromium, tsc over a
# usage file (and no `any` in the declarations), the Node test-runner suite against the
# simulator, and the Playwright test of examples/browser.
WASM_RUNNER := CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
test-wasm: npm
	$(WASM_RUNNER) cargo test -p pagerduty-wasm --target wasm32-unknown-unknown --test boundary
	WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=$$(command -v chromedriver) $(WASM_RUNNER) cargo test -p pagerduty-wasm --target wasm32-unknown-unknown --test boundary
	cd wasm/tests/types && ../../tools/node_modules/.bin/tsc -p tsconfig.json && ../../tools/node_modules/.bin/tsc -p tsconfig.resources.json
	! sed -e 's://.*$$::' -e 's:/\*.*\*/::' -e "s/'[^']*'//g" wasm/npm/index.d.ts wasm/npm/resources.d.ts wasm/npm/outbox.d.ts | grep -nw any
	node --test --test-reporter=spec wasm/tests/node/ wasm/tests/browser/

# The npm tarball installed into a fresh project per runtime and run against the simulator: Node 18
# and the machine's Node (import, require), TypeScript node16/nodenext/bundler (+ attw), Vite,
# esbuild (browser and Node bundles), Cloudflare workerd, Deno, Bun, module Workers in Chromium.
test-npm-dist: npm
	wasm/tests/dist/run.sh

# The Python wheel (py3-none-manylinux2014_x86_64, libpagerduty inside; maturin + zig from PyPI
# into target/wheel-venv, auditwheel must say manylinux_2_17) and the sdist, into dist/.
wheel:
	scripts/build-wheel.sh

# The wheel in a fresh venv with no PAGERDUTY_FFI_LIB: examples/python from outside the repo
# against the simulator, and the pytest suite against the installed package.
test-wheel:
	scripts/test-wheel.sh

# The C SDK tarball, unpacked outside the repo: the example built with pkg-config (shared and
# static) and run against the simulator.
test-dist-c:
	cargo build --quiet --release -p pagerduty-mock
	scripts/dist-c.sh
	scripts/test-dist-c.sh

# dist/: the Python wheel and sdist, the npm tarball, the C SDK tarball, the CLI.
dist: npm
	scripts/build-wheel.sh
	cp "$$(scripts/pack-npm.sh | tail -1)" dist/
	scripts/dist-c.sh
	scripts/dist-cli.sh
	@ls -l dist/

# Builds target/npm/pagerduty-wasm and links it where the tests and examples import it by name.
npm:
	cargo build --quiet --release -p pagerduty-mock -p pagerduty-cli
	scripts/build-npm.sh
	for d in wasm/tests/node wasm/tests/types examples/node examples/browser; do \
	  mkdir -p $$d/node_modules && ln -sfn $(CURDIR)/target/npm/pagerduty-wasm $$d/node_modules/pagerduty-wasm; done

# `make install PREFIX=...` then a program built with pkg-config against the installed copy: it
# records the SONAME (libpagerduty.so.MAJOR); and the README's C snippet compiles as C99 and C++
# with every warning an error.
test-install:
	rm -rf target/prefix-test
	$(MAKE) --no-print-directory install PREFIX=$(CURDIR)/target/prefix-test
	PKG_CONFIG_PATH=$(CURDIR)/target/prefix-test/lib/pkgconfig sh -c 'cc -std=c11 -Wall -Werror examples/c/example.c $$(pkg-config --cflags --libs pagerduty) -Wl,-rpath,$(CURDIR)/target/prefix-test/lib -o target/prefix-test/example'
	readelf -d target/prefix-test/example | grep -q 'NEEDED.*\[libpagerduty.so.$(MAJOR)\]'
	test "$$(PKG_CONFIG_PATH=$(CURDIR)/target/prefix-test/lib/pkgconfig pkg-config --modversion pagerduty)" = "$(VERSION)"
	scripts/check-readme-c.sh target/prefix-test
	cc -std=c11 -Wall -Werror -Itarget/prefix-test/include examples/c/example.c target/prefix-test/lib/libpagerduty.a \
	  -lgcc_s -lutil -lrt -lpthread -lm -ldl -o target/prefix-test/example-static
	test "$$(nm -g --defined-only target/prefix-test/lib/libpagerduty.a | awk 'NF==3 {print $$3}' | grep -vc '^pd_')" = 0

# Installs libpagerduty.so.VERSION (SONAME libpagerduty.so.MAJOR, with the .so.MAJOR and .so
# links), libpagerduty.a, pagerduty.h, pagerduty_version.h and pagerduty.pc under PREFIX.
MAJOR := $(firstword $(subst ., ,$(VERSION)))
install:
	scripts/build-lib.sh
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include
	install -m 755 target/release/libpagerduty.so $(DESTDIR)$(PREFIX)/lib/libpagerduty.so.$(VERSION)
	ln -sf libpagerduty.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libpagerduty.so.$(MAJOR)
	ln -sf libpagerduty.so.$(MAJOR) $(DESTDIR)$(PREFIX)/lib/libpagerduty.so
	scripts/slim-static.sh target/release/libpagerduty.a target/release/libpagerduty-slim.a
	install -m 644 target/release/libpagerduty-slim.a $(DESTDIR)$(PREFIX)/lib/libpagerduty.a
	install -m 644 include/pagerduty.h include/pagerduty_version.h $(DESTDIR)$(PREFIX)/include/
	cargo build --quiet --release -p pagerduty-cli
	install -D -m 755 target/release/pagerduty $(DESTDIR)$(PREFIX)/bin/pagerduty
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' ffi/pagerduty.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/pagerduty.pc

lint:
	scripts/check-core-deps.sh
	scripts/gen-header.sh --check
	scripts/gen-resources.py --check
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p pagerduty-wasm --features outbox --target wasm32-unknown-unknown --all-targets -- -D warnings

demo:
	scripts/setup.sh demo
	scripts/demo.sh

# Installs what's missing for the tests (idempotent: skips what is there).
setup-test:
	scripts/setup.sh test

# Reference docs into target/doc and target/docs: rustdoc for the core, libpagerduty and the
# simulator (missing docs and broken links are errors), for the Python package a check that
# every public name is documented then pdoc, and TypeDoc over the npm package's declarations:
# first a check that every public item of index.d.ts is documented (typedoc.check.json), then
# the full build (warnings are errors; resources.d.ts's spec fields without a description in
# PagerDuty's spec are allowed).
docs:
	RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -p pagerduty-core -p pagerduty-client -p pagerduty-cli -p pagerduty-ffi -p pagerduty-mock
	scripts/build-lib.sh
	python3 -m venv target/pydocs
	target/pydocs/bin/pip install --quiet --disable-pip-version-check ./ffi/python pdoc==16.0.0
	cd target && PAGERDUTY_FFI_LIB=$(CURDIR)/target/release/libpagerduty.so pydocs/bin/python ../scripts/check-python-docs.py
	cd target && PAGERDUTY_FFI_LIB=$(CURDIR)/target/release/libpagerduty.so pydocs/bin/pdoc -o docs/python pagerduty_ffi
	cd wasm && tools/node_modules/.bin/typedoc --options typedoc.check.json
	cd wasm && tools/node_modules/.bin/typedoc --options typedoc.json

bench:
	cargo bench -p pagerduty-core --bench core

# Long fuzzing session: SECONDS per target.
fuzz:
	scripts/fuzz.sh $${SECONDS:-600}
