#!/usr/bin/env python3
"""DuckDB side of the monitor benchmark (see README.md in this folder).

Steps:
  prepare  JSONL event log (`vangnet export`) -> <work>/facts.parquet, one row per fact in force
           (corrections applied, voids removed). Timed, reported, not part of the comparison.
  queries  In a fresh process, over facts.parquet with `SET threads=<n>`: the four monitor
           queries (a)-(d), each timed cold (first run in a brand-new connection) and warm
           (median and p99 of N further runs). Writes <work>/results.json and one CSV per query.
  all      prepare, then queries in a child process (default).

Only dependency: the `duckdb` package.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import duckdb

# --------------------------------------------------------------------------------------------
# Definitions shared by the queries
# --------------------------------------------------------------------------------------------

# A fact's position in its client's stream: effective date first, ties by (original) version.
# Versions are far below 2^20, so this BIGINT orders exactly like (effective, version).
ORD = "((effective - DATE '1970-01-01')::BIGINT * 1048576 + version)"

# Wijzigingen that change the product in care (verlenging only moves the allocation's end date).
PRODUCT_WIJZIGING = "('doorstroom', 'opschalen', 'afschalen')"

# Facts that end a wait on the waiting list (besides the next wachtlijst_in itself).
WAIT_ENDERS = "('start_zorg', 'wachtlijst_uit', 'afwijzing', 'einde_zorg', 'wlz_overgang', 'aanmelding')"

# --------------------------------------------------------------------------------------------
# prepare
# --------------------------------------------------------------------------------------------

PREPARE_SQL = """
CREATE TEMP TABLE raw AS
SELECT client, version, effective, seq, event ->> '$.type' AS etype, event
FROM read_json(
    '{jsonl}',
    format = 'newline_delimited',
    columns = {{
        client: 'VARCHAR', version: 'INTEGER', effective: 'DATE', event: 'JSON', seq: 'BIGINT'
    }}   -- actor and recorded_at are not needed and not read
);

-- Corrections: the last correctie (highest version) of a fact wins; it brings its own
-- effective date and keeps the corrected fact's version (its place among same-day facts).
CREATE TEMP TABLE corr AS
SELECT client,
       (event ->> '$.corrigeert')::INTEGER AS target,
       arg_max(struct_pack(effective := effective, seq := seq, ev := event -> '$.vervanging'),
               version) AS c
FROM raw WHERE etype = 'correctie'
GROUP BY ALL;

-- Voids (intrekking) remove the fact outright, whether or not it was corrected before.
CREATE TEMP TABLE voids AS
SELECT DISTINCT client, (event ->> '$.trekt_in')::INTEGER AS target
FROM raw WHERE etype = 'intrekking';

CREATE TEMP TABLE in_force AS
SELECT r.client,
       r.version,
       coalesce(c.c.effective, r.effective) AS effective,
       coalesce(c.c.seq, r.seq)             AS seq,
       coalesce(c.c.ev, r.event)            AS ev
FROM raw r
LEFT JOIN corr c ON c.client = r.client AND c.target = r.version
ANTI JOIN voids v ON v.client = r.client AND v.target = r.version
WHERE r.etype NOT IN ('correctie', 'intrekking');

DROP TABLE raw;

CREATE TEMP TABLE facts AS
WITH flat AS (
    SELECT client, version, effective, seq,
           ev ->> '$.type'              AS type,
           ev ->> '$.regio'             AS aanmelding_regio,
           CASE WHEN ev ->> '$.type' = 'aanmelding'
                THEN ev ->> '$.herkomst_gemeente' END AS herkomst,
           ev ->> '$.product'           AS product,
           ev ->> '$.locatie'           AS locatie,
           ev ->> '$.bestemming'        AS bestemming,
           (ev ->> '$.prioriteit')::INTEGER AS prioriteit,
           CASE WHEN ev ->> '$.type' = 'wijziging' THEN ev ->> '$.soort' END AS soort,
           ev ->> '$.leveringsvorm'     AS leveringsvorm
    FROM in_force
)
SELECT client, version, effective, seq, type,
       -- region of the client's latest aanmelding at or before this fact (stream order)
       last_value(aanmelding_regio IGNORE NULLS) OVER (
           PARTITION BY client ORDER BY effective, version
           ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS regio,
       herkomst, product, locatie, bestemming, prioriteit, soort, leveringsvorm
FROM flat;

DROP TABLE in_force;

COPY (SELECT * FROM facts ORDER BY client, effective, version)
TO '{parquet}' (FORMAT parquet);
"""


def prepare(jsonl: Path, work: Path) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    parquet = work / "facts.parquet"
    if parquet.exists():
        parquet.unlink()
    con = duckdb.connect()
    # The prepare step may use every core; it is reported, not compared.
    con.execute(f"SET temp_directory = '{sql_str(str(work / 'duckdb_tmp'))}'")
    t0 = time.perf_counter()
    for stmt in split_sql(PREPARE_SQL.format(jsonl=sql_str(str(jsonl)), parquet=sql_str(str(parquet)))):
        con.execute(stmt)
    prepare_s = time.perf_counter() - t0
    n_facts = con.execute("SELECT count(*) FROM facts").fetchone()[0]
    n_corr = con.execute("SELECT count(*) FROM corr").fetchone()[0]
    n_voids = con.execute("SELECT count(*) FROM voids").fetchone()[0]
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    con.close()
    info = {
        "jsonl": str(jsonl),
        "loadavg_at_end": [round(x, 2) for x in os.getloadavg()],
        "jsonl_bytes": jsonl.stat().st_size,
        "prepare_s": round(prepare_s, 3),
        "prepare_threads": int(threads),
        "facts": n_facts,
        "corrected_facts": n_corr,
        "voided_facts": n_voids,
        "parquet_bytes": parquet.stat().st_size,
    }
    (work / "prepare.json").write_text(json.dumps(info, indent=2) + "\n")
    print(f"prepare: {n_facts} facts in {prepare_s:.2f} s -> {parquet}", flush=True)
    return info


# --------------------------------------------------------------------------------------------
# queries
# --------------------------------------------------------------------------------------------

# (a) Monthly inflow and outflow per herkomst-gemeente x product.
Q_A = f"""
WITH aanm AS (
    SELECT client, herkomst, {ORD} AS ord FROM facts WHERE type = 'aanmelding'
),
care AS (   -- every fact that changes what (if anything) is in care
    SELECT client, {ORD} AS ord,
           CASE WHEN type IN ('einde_zorg', 'wlz_overgang') THEN NULL ELSE product END AS in_care
    FROM facts
    WHERE type IN ('start_zorg', 'einde_zorg', 'wlz_overgang')
       OR (type = 'wijziging' AND soort IN {PRODUCT_WIJZIGING})
),
instroom AS (
    SELECT s.effective, a.herkomst, s.product
    FROM (SELECT client, effective, product, {ORD} AS ord FROM facts WHERE type = 'start_zorg') s
    ASOF LEFT JOIN aanm a ON s.client = a.client AND s.ord >= a.ord
),
uitstroom AS (
    SELECT e.effective, a.herkomst, c.in_care AS product
    FROM (SELECT client, effective, {ORD} AS ord FROM facts
          WHERE type IN ('einde_zorg', 'wlz_overgang')) e
    ASOF LEFT JOIN care c ON e.client = c.client AND e.ord > c.ord
    ASOF LEFT JOIN aanm a ON e.client = a.client AND e.ord >= a.ord
    WHERE c.in_care IS NOT NULL          -- a wlz_overgang while not in care is no outflow
),
flows AS (
    SELECT effective, herkomst, product, 1 AS i, 0 AS u FROM instroom
    UNION ALL
    SELECT effective, herkomst, product, 0 AS i, 1 AS u FROM uitstroom
)
SELECT strftime(date_trunc('month', effective), '%Y-%m') AS maand,
       herkomst AS gemeente,
       product,
       sum(i)::BIGINT AS instroom,
       sum(u)::BIGINT AS uitstroom
FROM flows
GROUP BY ALL
ORDER BY maand, gemeente NULLS FIRST, product
"""

# (b) People in care at each month end per herkomst-gemeente.
Q_B = f"""
WITH ev AS (
    SELECT client, effective, version,
           CASE WHEN type = 'aanmelding' THEN struct_pack(h := herkomst) END AS aanm,
           CASE WHEN type IN ('start_zorg', 'wijziging') THEN 1
                WHEN type IN ('einde_zorg', 'wlz_overgang') THEN 0 END AS care
    FROM facts
    WHERE type IN ('aanmelding', 'start_zorg', 'einde_zorg', 'wlz_overgang')
       OR (type = 'wijziging' AND soort IN {PRODUCT_WIJZIGING})
),
-- the client's state from each fact up to (not including) the next fact's date
st AS (
    SELECT effective,
           lead(effective) OVER (PARTITION BY client ORDER BY effective, version) AS next_eff,
           last_value(aanm IGNORE NULLS) OVER w AS aanm,
           last_value(care IGNORE NULLS) OVER w AS care
    FROM ev
    WINDOW w AS (PARTITION BY client ORDER BY effective, version
                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
),
-- in care at the end of day d  <=>  effective <= d < next_eff; a month end d = m - 1 day with
-- m the first of the next month, so the interval covers the months m in (effective, next_eff]
deltas AS (
    SELECT aanm.h AS g, date_trunc('month', effective) + INTERVAL 1 MONTH AS m, 1 AS d
    FROM st WHERE care = 1 AND (next_eff IS NULL OR next_eff > effective)
    UNION ALL
    SELECT aanm.h AS g, date_trunc('month', next_eff) + INTERVAL 1 MONTH AS m, -1 AS d
    FROM st WHERE care = 1 AND next_eff > effective
),
per_month AS (
    SELECT g, m::DATE AS m, sum(d) AS d FROM deltas GROUP BY ALL
),
months AS (
    SELECT unnest(generate_series(
               date_trunc('month', min(effective)) + INTERVAL 1 MONTH,
               date_trunc('month', max(effective)) + INTERVAL 1 MONTH,
               INTERVAL 1 MONTH))::DATE AS m
    FROM facts
),
grid AS (
    SELECT g.g, months.m FROM (SELECT DISTINCT g FROM per_month) g CROSS JOIN months
),
counts AS (
    SELECT grid.g, grid.m,
           sum(coalesce(p.d, 0)) OVER (PARTITION BY grid.g ORDER BY grid.m) AS n
    FROM grid LEFT JOIN per_month p ON p.g IS NOT DISTINCT FROM grid.g AND p.m = grid.m
)
SELECT strftime(m - INTERVAL 1 DAY, '%Y-%m-%d') AS maandeinde, g AS gemeente, n::BIGINT AS in_zorg
FROM counts
WHERE n <> 0
ORDER BY maandeinde, gemeente NULLS FIRST
"""

# (c) Median days from aanmelding to start of care, per product and calendar year of the start.
Q_C = f"""
WITH aanm AS (
    SELECT client, effective, {ORD} AS ord FROM facts WHERE type = 'aanmelding'
),
starts AS (
    SELECT client, effective, product, {ORD} AS ord FROM facts WHERE type = 'start_zorg'
)
SELECT s.product,
       year(s.effective) AS jaar,
       quantile_cont(s.effective - a.effective, 0.5) AS mediaan_dagen,
       count(*) AS starts
FROM starts s
ASOF JOIN aanm a ON s.client = a.client AND s.ord >= a.ord
GROUP BY ALL
ORDER BY s.product, jaar
"""

# (d) Top-10 herkomst-gemeenten by waiting-list length on a date.
Q_D = f"""
WITH rel AS (
    SELECT client, type, herkomst, {ORD} AS ord
    FROM facts
    WHERE effective <= DATE '{{peildatum}}'
      AND type IN ('wachtlijst_in', 'start_zorg', 'wachtlijst_uit', 'afwijzing',
                   'einde_zorg', 'wlz_overgang', 'aanmelding')
),
per_client AS (
    SELECT client,
           arg_max(type, ord) AS last_type,
           arg_max(struct_pack(h := herkomst), ord) FILTER (WHERE type = 'aanmelding') AS aanm
    FROM rel
    GROUP BY client
)
SELECT aanm.h AS gemeente, count(*) AS wachtend
FROM per_client
WHERE last_type = 'wachtlijst_in' AND aanm.h IS NOT NULL
GROUP BY ALL
ORDER BY wachtend DESC, gemeente
LIMIT 10
"""

QUERIES = {
    "a_instroom_uitstroom": Q_A,
    "b_in_zorg_maandeinde": Q_B,
    "c_mediaan_aanmelding_start": Q_C,
    "d_top10_wachtlijst": Q_D,
}


def new_connection(parquet: Path, threads: int) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()  # in-memory: a new database instance, no caches shared with others
    con.execute(f"SET threads = {threads}")
    con.execute(f"CREATE VIEW facts AS SELECT * FROM read_parquet('{sql_str(str(parquet))}')")
    return con


def timed(con, sql: str):
    t0 = time.perf_counter()
    rows = con.execute(sql).fetchall()
    return time.perf_counter() - t0, rows


def p99(xs: list[float]) -> float:
    """Nearest-rank 99th percentile (with 10 samples: the maximum)."""
    s = sorted(xs)
    k = max(0, min(len(s) - 1, -(-99 * len(s) // 100) - 1))
    return s[k]


def warm_os_cache(path: Path) -> None:
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


def run_queries(work: Path, threads: int, warm: int, peildatum: str) -> dict:
    parquet = work / "facts.parquet"
    dt.date.fromisoformat(peildatum)  # validate before it goes into SQL
    warm_os_cache(parquet)
    out: dict = {"queries": {}}
    for name, sql in QUERIES.items():
        sql = sql.replace("{peildatum}", peildatum)
        t0 = time.perf_counter()
        con = new_connection(parquet, threads)  # counted in cold: binds the view (Parquet footer)
        t_conn = time.perf_counter() - t0
        cold, rows = timed(con, sql)
        cold += t_conn
        cols = [d[0] for d in con.description]
        warms = []
        for _ in range(warm):
            t, rows2 = timed(con, sql)
            warms.append(t)
            if rows2 != rows:
                raise SystemExit(f"{name}: warm run returned a different result")
        con.close()
        write_csv(work / f"{name}.csv", cols, rows)
        out["queries"][name] = {
            "cold_s": round(cold, 4),
            "warm_median_s": round(statistics.median(warms), 4) if warms else None,
            "warm_p99_s": round(p99(warms), 4) if warms else None,
            "warm_runs": warm,
            "rows": len(rows),
            "csv": f"{name}.csv",
        }
        print(
            f"{name}: cold {cold:.3f} s, warm median {out['queries'][name]['warm_median_s']} s, "
            f"p99 {out['queries'][name]['warm_p99_s']} s, {len(rows)} rows",
            flush=True,
        )
    out["cold_total_s"] = round(sum(q["cold_s"] for q in out["queries"].values()), 4)
    out["warm_median_total_s"] = round(
        sum(q["warm_median_s"] or 0 for q in out["queries"].values()), 4)
    return out


def write_csv(path: Path, cols: list[str], rows: list[tuple]) -> None:
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(cols)
        for r in rows:
            w.writerow(["" if v is None else (repr(v) if isinstance(v, float) else v) for v in r])


def queries_step(work: Path, threads: int, warm: int, peildatum: str) -> dict:
    prep_path = work / "prepare.json"
    prep = json.loads(prep_path.read_text()) if prep_path.exists() else {}
    load_start = [round(x, 2) for x in os.getloadavg()]
    res = run_queries(work, threads, warm, peildatum)
    con = duckdb.connect()
    n_facts = con.execute(
        f"SELECT count(*) FROM read_parquet('{sql_str(str(work / 'facts.parquet'))}')").fetchone()[0]
    con.close()
    result = {
        "engine": "duckdb (python)",
        "duckdb_version": duckdb.__version__,
        "python": platform.python_version(),
        "threads": threads,
        "peildatum_d": peildatum,
        "facts": n_facts,
        "prepare": prep,
        "prepare_s": prep.get("prepare_s"),
        **res,
        "machine": {
            "cpus": os.cpu_count(),
            "loadavg_at_start": load_start,
            "loadavg_at_end": [round(x, 2) for x in os.getloadavg()],
        },
        "timing_notes": (
            "cold = opening a brand-new in-memory DuckDB database, SET threads, creating the view "
            "over facts.parquet and the first execution, after facts.parquet was read once so the "
            "OS page cache holds it (no disk I/O measured); warm = the next runs in the same "
            "connection; every run includes fetchall()."
        ),
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }
    (work / "results.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"cold total {result['cold_total_s']} s -> {work / 'results.json'}", flush=True)
    return result


# --------------------------------------------------------------------------------------------


def sql_str(s: str) -> str:
    return s.replace("'", "''")


def split_sql(script: str) -> list[str]:
    stmts, cur = [], []
    for line in script.splitlines():
        if line.strip().startswith("--"):
            continue
        cur.append(line)
        if line.rstrip().endswith(";"):
            stmts.append("\n".join(cur))
            cur = []
    if "".join(cur).strip():
        stmts.append("\n".join(cur))
    return stmts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("step", nargs="?", default="all", choices=["all", "prepare", "queries"])
    ap.add_argument("--jsonl", type=Path, help="event log (JSON Lines from `vangnet export`)")
    ap.add_argument("--work", type=Path, required=True, help="work dir for facts.parquet, CSVs, results.json")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warm", type=int, default=10, help="warm runs per query")
    ap.add_argument("--peildatum", default="2026-10-31", help="date for query (d)")
    a = ap.parse_args()

    if a.step in ("all", "prepare"):
        if a.jsonl is None:
            ap.error("--jsonl is required for prepare")
        prepare(a.jsonl, a.work)
    if a.step == "queries":
        queries_step(a.work, a.threads, a.warm, a.peildatum)
    elif a.step == "all":
        # queries in a fresh process, so nothing of the prepare step (memory, caches) carries over
        subprocess.run(
            [sys.executable, os.path.abspath(__file__), "queries", "--work", str(a.work),
             "--threads", str(a.threads), "--warm", str(a.warm), "--peildatum", a.peildatum],
            check=True,
        )


if __name__ == "__main__":
    main()
