#!/usr/bin/env bash
# DuckDB side of the monitor benchmark: JSONL event log -> facts.parquet -> four monitor queries.
# Usage: bench/monitor/run.sh [events.jsonl] [extra duckdb_bench.py options, e.g. --peildatum 2026-10-31]
# Results: target/bench/monitor/results.json and one CSV per query (see README.md).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
DUCKDB_VERSION=2.0.0

jsonl="${1:-$root/target/bench/events-5000000.jsonl}"
[ $# -gt 0 ] && shift
work="${MONITOR_WORK:-$root/target/bench/monitor}"

if [ ! -f "$jsonl" ]; then
    echo "no event log at $jsonl (write one with 'vangnet export')" >&2
    exit 1
fi

venv="$here/.venv"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import duckdb, sys; sys.exit(duckdb.__version__ != '$DUCKDB_VERSION')" 2>/dev/null; then
    "$venv/bin/pip" install --quiet --disable-pip-version-check "duckdb==$DUCKDB_VERSION"
fi

mkdir -p "$work"
exec "$venv/bin/python" "$here/duckdb_bench.py" all --jsonl "$jsonl" --work "$work" --threads 2 "$@"
