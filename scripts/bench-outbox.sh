#!/usr/bin/env bash
# The durable outbox's figures on this machine's disk: enqueue latency (median, p99) and
# throughput with fsync, a file per event (pdagent's design) for comparison, delivery to the
# simulator with pacing off, journal size per 10,000 events, and reopening a journal of
# 100,000 records. Prints figures; asserts nothing. Usage: scripts/bench-outbox.sh [EVENTS] [DIR]
# (DIR: where the journals go, on the disk to measure; a temporary directory by default).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --quiet --release -p pagerduty-client --example outbox_bench -- "$@"
