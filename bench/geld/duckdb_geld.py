#!/usr/bin/env python3
"""DuckDB side of the money benchmark (`vangnet bench --geld`; see README.md in this folder).

The same realised costs Vangnet computes (issue 13), computed from the same events:
care episodes from start_zorg / wijziging (doorstroom, opschalen, afschalen) / einde_zorg /
wlz_overgang, with corrections and voids resolved, days per month, MO nights per month,
times the tariffs read from the same `regions/geld/*.toml` (Python's tomllib, indexation
applied as the model does), each key priced once and rounded half away from zero, then split
over the gemeenten under the woonplaatsbeginsel attribution by largest remainder.

Steps:
  prepare  JSONL event log (`vangnet export`) -> <work>/geld_facts.parquet, one row per fact in
           force (corrections applied, voids removed). Timed, reported, not compared.
  queries  In a fresh process, `SET threads=<n>`: (k) the costs of one region-year and (s) the
           costs of every region in that year (what the settlement needs), each cold (a
           brand-new connection) and warm (median and p99 of N further runs). Writes
           <work>/results.json and one CSV per query.
  all      prepare (unless the Parquet file exists), then queries in a child process (default).

Only dependency: the `duckdb` package (tomllib is in Python >= 3.11).
"""

from __future__ import annotations

import argparse
import calendar
import csv
import datetime as dt
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
import tomllib
from decimal import Decimal
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]

# A fact's position in its client's stream: effective date first, ties by (original) version.
ORD = "((effective - DATE '1970-01-01')::BIGINT * 1048576 + version)"

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
    }}
);

-- Corrections: the last correctie (highest version) of a fact wins, with its own effective
-- date; the fact keeps its version. Voids remove the fact (as bench/monitor and fold_stream).
CREATE TEMP TABLE corr AS
SELECT client,
       (event ->> '$.corrigeert')::INTEGER AS target,
       arg_max(struct_pack(effective := effective, ev := event -> '$.vervanging'), version) AS c
FROM raw WHERE etype = 'correctie'
GROUP BY ALL;

CREATE TEMP TABLE voids AS
SELECT DISTINCT client, (event ->> '$.trekt_in')::INTEGER AS target
FROM raw WHERE etype = 'intrekking';

CREATE TEMP TABLE in_force AS
SELECT r.client, r.version,
       coalesce(c.c.effective, r.effective) AS effective,
       coalesce(c.c.ev, r.event)            AS ev
FROM raw r
LEFT JOIN corr c ON c.client = r.client AND c.target = r.version
ANTI JOIN voids v ON v.client = r.client AND v.target = r.version
WHERE r.etype NOT IN ('correctie', 'intrekking');

DROP TABLE raw;

-- Only the facts that change what the money counts: the application (region, registration,
-- a new decision), the decision (leveringsvorm), the responsible gemeente, care, MO nights.
CREATE TEMP TABLE facts AS
WITH flat AS (
    SELECT client, version, effective,
           ev ->> '$.type' AS type,
           ev ->> '$.regio' AS aanmelding_regio,
           CASE WHEN ev ->> '$.type' = 'aanmelding' THEN ev ->> '$.herkomst_gemeente' END AS herkomst,
           ev ->> '$.product' AS product,
           ev ->> '$.locatie' AS locatie,
           CASE WHEN ev ->> '$.type' = 'wijziging' THEN ev ->> '$.soort' END AS soort,
           ev ->> '$.leveringsvorm' AS leveringsvorm,
           CASE WHEN ev ->> '$.type' = 'woonplaats_bepaald' THEN ev ->> '$.gemeente' END AS verantwoordelijk,
           (ev ->> '$.nachten')::INTEGER AS nachten
    FROM in_force
    WHERE ev ->> '$.type' IN ('aanmelding', 'toewijzing', 'afwijzing', 'woonplaats_bepaald',
                              'start_zorg', 'wijziging', 'einde_zorg', 'wlz_overgang',
                              'mo_overnachting')
)
SELECT client, version, effective, type,
       last_value(aanmelding_regio IGNORE NULLS) OVER (
           PARTITION BY client ORDER BY effective, version
           ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS regio,
       herkomst, product, locatie, soort, leveringsvorm, verantwoordelijk, nachten
FROM flat;

DROP TABLE in_force;

COPY (SELECT * FROM facts ORDER BY client, effective, version)
TO '{parquet}' (FORMAT parquet);
"""


def prepare(jsonl: Path, work: Path) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    parquet = work / "geld_facts.parquet"
    if parquet.exists():
        parquet.unlink()
    con = duckdb.connect()
    con.execute(f"SET temp_directory = '{sql_str(str(work / 'duckdb_tmp'))}'")
    t0 = time.perf_counter()
    for stmt in split_sql(PREPARE_SQL.format(jsonl=sql_str(str(jsonl)), parquet=sql_str(str(parquet)))):
        con.execute(stmt)
    prepare_s = time.perf_counter() - t0
    n_facts = con.execute("SELECT count(*) FROM facts").fetchone()[0]
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    con.close()
    info = {
        "jsonl": str(jsonl),
        "jsonl_bytes": jsonl.stat().st_size,
        "prepare_s": round(prepare_s, 3),
        "prepare_threads": int(threads),
        "facts": n_facts,
        "parquet_bytes": parquet.stat().st_size,
    }
    (work / "prepare.json").write_text(json.dumps(info, indent=2) + "\n")
    print(f"prepare: {n_facts} facts in {prepare_s:.2f} s -> {parquet}", flush=True)
    return info


# --------------------------------------------------------------------------------------------
# tariffs from regions/geld/*.toml (as vangnet-money's profile parser and Tarief::indexeer)
# --------------------------------------------------------------------------------------------


def cents(text: str) -> int:
    """A Dutch amount (`1.234,56`, `92,00`, `€ 12`) in cents, exactly (Cents::parse)."""
    s = text.replace("€", "").replace(" ", "").strip()
    neg = s.startswith("-")
    s = s.lstrip("-")
    if "," in s:
        s = s.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d+\.\d{3}(\.\d{3})*", s):
        s = s.replace(".", "")
    v = Decimal(s) * 100
    if v != v.to_integral_value():
        raise ValueError(f"bedrag {text!r}: meer dan twee decimalen")
    return -int(v) if neg else int(v)


def round_half_away(p: int, q: int) -> int:
    """p / q rounded half away from zero (Cents::mul_ratio, div_round_half_away)."""
    if q < 0:
        p, q = -p, -q
    quot, rem = abs(p) // q, abs(p) % q
    r = quot + (1 if 2 * rem >= q else 0)
    return -r if p < 0 else r


def indexeer(t: dict, pcts: list[tuple[int, int]]) -> list[dict]:
    """Tarief::indexeer: one period per year after the start year, each amount the previous
    (rounded) amount x (1 + p), rounded half away from zero; the last keeps `tot`."""
    start = t["van"].year
    steps = sorted((y, bp) for y, bp in pcts if y > start and (t["tot"] is None or t["tot"].year >= y))
    out, cur, expected = [], dict(t), start + 1
    for year, bp in steps:
        if year != expected:
            raise SystemExit(f"indexatie van {t['product']}: jaar {year} volgt niet op {expected - 1}")
        jan1 = dt.date(year, 1, 1)
        cur["tot"] = jan1 - dt.timedelta(days=1)
        bedrag = round_half_away(cur["bedrag"] * (10_000 + bp), 10_000)
        out.append(dict(cur))
        cur = dict(t, bedrag=bedrag, van=jan1, tot=t["tot"])
        expected += 1
    out.append(cur)
    return out


def subtract(van: dt.date, tot, minus: list[tuple]) -> list[tuple]:
    """The period van..tot (None: open) without the periods `minus` (whole months), as
    vangnet_store::tarieven::all_tariffs: an entered tariff takes over for its own months."""
    pieces = [(van, tot)]
    for mv, mt in minus:
        nxt = []
        for v, t in pieces:
            if v < mv:
                end = mv - dt.timedelta(days=1)
                nxt.append((v, end if t is None else min(t, end)))
            if mt is not None:
                start = mt + dt.timedelta(days=1)
                if t is None or t >= start:
                    nxt.append((max(v, start), t))
        pieces = nxt
    return sorted(pieces, key=lambda p: p[0])


def load_entered(path: Path) -> list[tuple]:
    """Tariffs entered in the store (`vangnet bench --geld` writes them to vastgelegd.csv)."""
    if not path.exists():
        return []
    out = []
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            out.append((r["regio"], r["product"], r["leveringsvorm"], r["eenheid"], int(r["bedrag_cent"]),
                        dt.date.fromisoformat(r["van"]),
                        dt.date.fromisoformat(r["tot"]) if r["tot"] else None,
                        int(r["uren_x100"]) if r["uren_x100"] else None))
    return out


def load_tariffs(regions_dir: Path, entered: list[tuple] = ()) -> tuple[list[tuple], dict[str, str]]:
    """Every region's tariffs (expanded by indexation; entered ones taking over for their
    months) and its centrumgemeente."""
    rows, centrum = [], {}
    for f in sorted((regions_dir / "geld").glob("*.toml")):
        fin = tomllib.loads(f.read_text())
        regio = fin["regio"]
        prof = tomllib.loads((regions_dir / f"{regio}.toml").read_text())
        centrum[regio] = prof["centrumgemeente"]
        pcts = [(i["jaar"], cents(i["procent"].rstrip("%").strip())) for i in fin.get("indexatie", [])]
        for t in fin.get("tarieven", []):
            base = {
                "product": t["product"],
                "lv": {"zin": "ZIN", "pgb": "PGB"}[t["leveringsvorm"]],
                "eenheid": t["eenheid"],
                "bedrag": cents(t["bedrag"]),
                "van": t["van"],
                "tot": t.get("tot"),
                "uren": cents(t["uren_per_week"]) if "uren_per_week" in t else None,
            }
            for p in indexeer(base, pcts):
                minus = [(e[5], e[6]) for e in entered
                         if e[0] == regio and e[1] == p["product"] and e[2] == p["lv"]]
                for van, tot in subtract(p["van"], p["tot"], minus):
                    rows.append((regio, p["product"], p["lv"], p["eenheid"], p["bedrag"], van, tot, p["uren"]))
    rows.extend(e for e in entered if e[0] in centrum)
    return rows, centrum


def tariff_months(rows: list[tuple], year: int) -> list[tuple]:
    """Per region, product, leveringsvorm and month of `year` with a tariff covering the whole
    month: the cost of n days is round_half_away(bedrag * n * mul / den) (Tarief::kosten)."""
    out = []
    for regio, product, lv, eenheid, bedrag, van, tot, uren in rows:
        for m in range(1, 13):
            first = dt.date(year, m, 1)
            last = dt.date(year, m, calendar.monthrange(year, m)[1])
            if not (van <= first and (tot is None or tot >= last)):
                continue
            mul, den = {
                "dag": (1, 1),
                "nacht": (1, 1),
                "week": (1, 7),
                "maand": (1, calendar.monthrange(year, m)[1]),
                "uur": (uren or 0, 700),
            }[eenheid]
            out.append((regio, product, lv, first, bedrag * mul, den))
    return out


# --------------------------------------------------------------------------------------------
# the cost query
# --------------------------------------------------------------------------------------------

# {regio_filter} is either TRUE or regio = '<id>'; {y0}/{y1} the year's first day and the next.
COSTS = f"""
WITH f AS (
    SELECT *, count(*) FILTER (WHERE type = 'aanmelding') OVER (
                  PARTITION BY client ORDER BY effective, version
                  ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS app
    FROM facts
    -- a client changes region only at an aanmelding with the case closed (not in care), so
    -- the region's own facts hold every state of its care days
    WHERE type <> 'mo_overnachting' AND {{regio_filter}}
),
st AS (    -- the client's state after each fact
    SELECT client, effective, regio,
           lead(effective) OVER (PARTITION BY client ORDER BY effective, version) AS next_eff,
           -- care: the latest start / product-changing wijziging / end
           last_value(CASE WHEN type = 'start_zorg'
                             OR (type = 'wijziging' AND soort IN ('doorstroom', 'opschalen', 'afschalen'))
                           THEN TRUE
                           WHEN type IN ('einde_zorg', 'wlz_overgang') THEN FALSE END IGNORE NULLS) OVER w AS in_zorg,
           last_value(CASE WHEN type = 'start_zorg'
                             OR (type = 'wijziging' AND soort IN ('doorstroom', 'opschalen', 'afschalen'))
                           THEN product END IGNORE NULLS) OVER w AS product,
           last_value(CASE WHEN type IN ('start_zorg', 'wijziging') THEN locatie END IGNORE NULLS) OVER w AS locatie,
           -- the current application's decision and responsible gemeente
           coalesce(last_value(CASE WHEN type = 'toewijzing' THEN leveringsvorm
                                    WHEN type = 'afwijzing' THEN 'ZIN' END IGNORE NULLS) OVER wa, 'ZIN') AS lv,
           coalesce(last_value(verantwoordelijk IGNORE NULLS) OVER wa,
                    first_value(herkomst IGNORE NULLS) OVER wa) AS gemeente
    FROM f
    WINDOW w AS (PARTITION BY client ORDER BY effective, version
                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
           wa AS (PARTITION BY client, app ORDER BY effective, version
                  ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
),
months AS (
    SELECT m::DATE AS m0, (m + INTERVAL 1 MONTH)::DATE AS m1
    FROM generate_series(DATE '{{y0}}', DATE '{{y1}}' - INTERVAL 1 MONTH, INTERVAL 1 MONTH) t(m)
),
zorg AS (   -- days per month: the start day counted, the day of the next change not
    SELECT s.regio, mo.m0 AS maand, 'zorgdagen' AS soort, s.product, s.lv, s.locatie, s.gemeente,
           sum(least(coalesce(s.next_eff, DATE '9999-12-31'), mo.m1) - greatest(s.effective, mo.m0))::BIGINT AS dagen
    FROM st s JOIN months mo
      ON s.effective < mo.m1 AND coalesce(s.next_eff, DATE '9999-12-31') > mo.m0
    WHERE s.in_zorg AND s.effective < coalesce(s.next_eff, DATE '9999-12-31') AND {{regio_filter}}
    GROUP BY ALL
),
nachten AS (   -- MO nights per month (not under bill 36 288: the centrumgemeente)
    SELECT n.regio, mo.m0 AS maand, 'nachten' AS soort, n.product, 'ZIN' AS lv, n.locatie, c.c_gemeente AS gemeente,
           sum(least(n.effective + n.nachten, mo.m1) - greatest(n.effective, mo.m0))::BIGINT AS dagen
    FROM facts n JOIN months mo
      ON n.effective < mo.m1 AND n.effective + n.nachten > mo.m0
    JOIN centrum c ON c.c_regio = n.regio
    WHERE n.type = 'mo_overnachting' AND {{regio_filter}}
    GROUP BY ALL
),
g AS (SELECT * FROM zorg UNION ALL SELECT * FROM nachten),
k AS (     -- each key priced once (Tarief::kosten: rounded half away from zero)
    SELECT g.regio, g.maand, g.soort, g.product, g.lv, g.locatie, sum(g.dagen) AS dagen,
           any_value(t.mul) AS mul, any_value(t.den) AS den, count(t.den) AS priced
    FROM g LEFT JOIN tarief_maand t
      ON t.regio = g.regio AND t.product = g.product AND t.lv = g.lv AND t.maand = g.maand
    GROUP BY ALL
),
kp AS (
    SELECT *, CASE WHEN priced = 0 THEN NULL
                   ELSE ((2 * mul * dagen + den) // (2 * den)) END AS totaal
    FROM k
),
sh AS (    -- largest remainder over the key's gemeenten, weighted by days; ties: lowest first
    SELECT g.regio, g.maand, g.soort, g.product, g.lv, g.locatie, g.gemeente, kp.totaal,
           (kp.totaal * g.dagen) // kp.dagen AS fl,
           (kp.totaal * g.dagen) % kp.dagen AS rem
    FROM g JOIN kp USING (regio, maand, soort, product, lv, locatie)
    WHERE g.dagen > 0
),
rk AS (
    SELECT *, totaal - sum(fl) OVER k AS links,
           row_number() OVER (PARTITION BY regio, maand, soort, product, lv, locatie
                              ORDER BY rem DESC, gemeente NULLS FIRST) AS r
    FROM sh
    WINDOW k AS (PARTITION BY regio, maand, soort, product, lv, locatie)
)
SELECT regio, strftime(maand, '%Y-%m') AS maand, gemeente,
       sum(fl + CASE WHEN r <= links THEN 1 ELSE 0 END)::BIGINT AS kosten_cent,
       count(*) FILTER (WHERE totaal IS NULL) AS zonder_tarief
FROM rk
GROUP BY ALL
ORDER BY regio, maand, gemeente NULLS FIRST
"""


def new_connection(parquet: Path, threads: int, tariffs: list[tuple], centrum: dict[str, str], year: int):
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    con.execute(f"CREATE VIEW facts AS SELECT * FROM read_parquet('{sql_str(str(parquet))}')")
    con.execute("CREATE TABLE tarief_maand (regio VARCHAR, product VARCHAR, lv VARCHAR, maand DATE, mul BIGINT, den BIGINT)")
    con.executemany("INSERT INTO tarief_maand VALUES (?, ?, ?, ?, ?, ?)", tariff_months(tariffs, year))
    con.execute("CREATE TABLE centrum (c_regio VARCHAR, c_gemeente VARCHAR)")
    con.executemany("INSERT INTO centrum VALUES (?, ?)", list(centrum.items()))
    return con


def timed(con, sql: str):
    t0 = time.perf_counter()
    rows = con.execute(sql).fetchall()
    return time.perf_counter() - t0, rows


def p99(xs: list[float]) -> float:
    s = sorted(xs)
    k = max(0, min(len(s) - 1, -(-99 * len(s) // 100) - 1))
    return s[k]


def queries_step(work: Path, threads: int, warm: int, year: int, regio: str, regions_dir: Path) -> dict:
    parquet = work / "geld_facts.parquet"
    with open(parquet, "rb") as f:   # OS page cache, as bench/monitor
        while f.read(1 << 24):
            pass
    if not re.fullmatch(r"[a-z0-9-]+", regio):
        raise SystemExit(f"regio {regio!r}")
    y0, y1 = f"{year}-01-01", f"{year + 1}-01-01"
    queries = {
        "k_kosten_regio_jaar": COSTS.replace("{y0}", y0).replace("{y1}", y1)
        .replace("{regio_filter}", f"regio = '{regio}'"),
        "s_kosten_alle_regios": COSTS.replace("{y0}", y0).replace("{y1}", y1)
        .replace("{regio_filter}", "TRUE"),
    }
    load_start = [round(x, 2) for x in os.getloadavg()]
    out: dict = {"queries": {}}
    for name, sql in queries.items():
        t0 = time.perf_counter()
        # counted in cold: reading the tariffs from the TOML files and the new connection
        tariffs, centrum = load_tariffs(regions_dir, load_entered(work / "vastgelegd.csv"))
        con = new_connection(parquet, threads, tariffs, centrum, year)
        t_conn = time.perf_counter() - t0
        cold, rows = timed(con, sql)
        cold += t_conn
        missing = sum(r[4] for r in rows)
        if missing:
            raise SystemExit(f"{name}: {missing} regels met zorg en zonder tarief")
        cols = [d[0] for d in con.description]
        warms = []
        for _ in range(warm):
            t, rows2 = timed(con, sql)
            warms.append(t)
            if rows2 != rows:
                raise SystemExit(f"{name}: warm run returned a different result")
        con.close()
        write_csv(work / f"{name}.csv", cols[:4], [r[:4] for r in rows])
        out["queries"][name] = {
            "cold_s": round(cold, 4),
            "warm_median_s": round(statistics.median(warms), 4) if warms else None,
            "warm_p99_s": round(p99(warms), 4) if warms else None,
            "warm_runs": warm,
            "rows": len(rows),
            "total_cent": sum(r[3] for r in rows),
            "csv": f"{name}.csv",
        }
        print(f"{name}: cold {cold:.3f} s, warm median {out['queries'][name]['warm_median_s']} s, "
              f"{len(rows)} rows, total {out['queries'][name]['total_cent']} cent", flush=True)
    prep_path = work / "prepare.json"
    result = {
        "engine": "duckdb (python)",
        "duckdb_version": duckdb.__version__,
        "python": platform.python_version(),
        "threads": threads,
        "jaar": year,
        "regio": regio,
        "prepare": json.loads(prep_path.read_text()) if prep_path.exists() else {},
        **out,
        "machine": {
            "cpus": os.cpu_count(),
            "loadavg_at_start": load_start,
            "loadavg_at_end": [round(x, 2) for x in os.getloadavg()],
        },
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }
    (work / "results.json").write_text(json.dumps(result, indent=2) + "\n")
    return result


def write_csv(path: Path, cols: list[str], rows: list[tuple]) -> None:
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(cols)
        for r in rows:
            w.writerow(["" if v is None else v for v in r])


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
    ap.add_argument("--jsonl", type=Path)
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warm", type=int, default=10)
    ap.add_argument("--jaar", type=int, default=2025)
    ap.add_argument("--regio", default="centraal-gelderland")
    ap.add_argument("--regions", type=Path, default=ROOT / "regions")
    ap.add_argument("--opnieuw", action="store_true", help="prepare again even if the Parquet file exists")
    a = ap.parse_args()
    if a.step in ("all", "prepare") and (a.opnieuw or a.step == "prepare"
                                         or not (a.work / "geld_facts.parquet").exists()):
        if a.jsonl is None:
            ap.error("--jsonl is required for prepare")
        prepare(a.jsonl, a.work)
    if a.step == "queries":
        queries_step(a.work, a.threads, a.warm, a.jaar, a.regio, a.regions)
    elif a.step == "all":
        subprocess.run(
            [sys.executable, os.path.abspath(__file__), "queries", "--work", str(a.work),
             "--threads", str(a.threads), "--warm", str(a.warm), "--jaar", str(a.jaar),
             "--regio", a.regio, "--regions", str(a.regions)],
            check=True,
        )


if __name__ == "__main__":
    main()
