#!/usr/bin/env bash
# DuckDB side of the money benchmark: JSONL event log -> geld_facts.parquet -> the costs of one
# region-year and of every region in that year, from the same events and the same tariffs
# (regions/geld/*.toml). Usage: bench/geld/run.sh [events.jsonl] [extra duckdb_geld.py options,
# e.g. --jaar 2025 --regio centraal-gelderland --opnieuw]
# Results: target/bench/geld/results.json and one CSV per query (see README.md).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
DUCKDB_VERSION=2.0.0   # the same pin as bench/monitor/run.sh

jsonl="${1:-$root/target/bench/events-5000000.jsonl}"
[ $# -gt 0 ] && shift
work="${GELD_WORK:-$root/target/bench/geld}"

if [ ! -f "$jsonl" ]; then
    echo "no event log at $jsonl (write one with 'vangnet export' or 'vangnet bench --geld')" >&2
    exit 1
fi

# One virtual environment for both DuckDB benchmarks (same pinned version).
venv="$root/bench/monitor/.venv"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import duckdb, sys; sys.exit(duckdb.__version__ != '$DUCKDB_VERSION')" 2>/dev/null; then
    "$venv/bin/pip" install --quiet --disable-pip-version-check "duckdb==$DUCKDB_VERSION"
fi

mkdir -p "$work"
exec "$venv/bin/python" "$here/duckdb_geld.py" all --jsonl "$jsonl" --work "$work" --threads 2 --regions "$root/regions" "$@"
