#!/usr/bin/env bash
# Re-runs the benchmarks and rewrites BENCHMARKS.md (SQLite and PostgreSQL in one run).
# Extra arguments go to `vangnet bench` (e.g. --events 1000000 for a quick run).
set -euo pipefail
cd "$(dirname "$0")/.."
PG_URL="$(scripts/pg-test-server.sh /tmp/vangnet-bench-pg | tail -n 1)"
cargo run --release -p vangnet -- bench --pg-url "$PG_URL" "$@"
