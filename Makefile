# The two commands a newcomer needs:
#   make demo   runs the demo (against the local simulator, or PagerDuty when keys are set)
#   make test   runs every test: format, lints, Rust tests, fuzz smoke run
# CI (.ci/run) calls `make test` and nothing else.

.PHONY: test demo bench fuzz lint

test: lint
	cargo test --workspace
	scripts/fuzz.sh 15

lint:
	scripts/check-core-deps.sh
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings

demo:
	scripts/demo.sh

bench:
	cargo bench -p pagerduty-core --bench core

# Long fuzzing session: SECONDS per target.
fuzz:
	scripts/fuzz.sh $${SECONDS:-600}
