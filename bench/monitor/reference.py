#!/usr/bin/env python3
"""Slow, independent pure-Python reference for the four monitor queries of duckdb_bench.py.

It folds every client's stream the way vangnet-domain's `fold_stream` does (corrections and
voids resolved in version order, facts then applied in (effective, version) order) with a small
state machine, and compares its results with the CSVs that duckdb_bench.py wrote.

  reference.py check --jsonl events.jsonl --work DIR    compare DIR/*.csv with the reference
  reference.py selftest --work DIR                      build a small JSONL full of edge cases
                                                        (corrections, voids, re-applications,
                                                        same-day facts), run duckdb_bench.py on
                                                        it and compare

Meant for small logs (scale1.jsonl: seconds); it holds the whole log in memory.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

PRODUCT_WIJZIGING = {"doorstroom", "opschalen", "afschalen"}


def facts_in_force(lines: list[dict]) -> list[tuple[dt.date, int, dict]]:
    """fold_stream's resolution: (effective, original version, fact), in effective order."""
    in_force: list[list] = []
    for e in sorted(lines, key=lambda e: e["version"]):
        ev = e["event"]
        eff = dt.date.fromisoformat(e["effective"])
        if ev["type"] == "correctie":
            for slot in in_force:
                if slot[1] == ev["corrigeert"]:
                    slot[0], slot[2] = eff, ev["vervanging"]
                    break
            else:
                raise ValueError(f"{e['client']}: correctie of missing version {ev['corrigeert']}")
        elif ev["type"] == "intrekking":
            in_force = [s for s in in_force if s[1] != ev["trekt_in"]]
        else:
            in_force.append([eff, e["version"], ev])
    in_force.sort(key=lambda s: (s[0], s[1]))
    return [tuple(s) for s in in_force]


def month_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    out = []
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        ny, nm = (y + 1, 1) if m == 12 else (y, m + 1)
        out.append(dt.date(ny, nm, 1) - dt.timedelta(days=1))
        y, m = ny, nm
    return out


def reference(jsonl: Path, peildatum: dt.date) -> dict[str, list[tuple]]:
    streams: dict[str, list[dict]] = defaultdict(list)
    with open(jsonl) as f:
        for line in f:
            if line.strip():
                e = json.loads(line)
                streams[e["client"]].append(e)

    folded = {c: facts_in_force(ls) for c, ls in streams.items()}
    all_dates = [d for fs in folded.values() for d, _, _ in fs]
    ends = month_ends(min(all_dates), max(all_dates))

    flows: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    in_care_at: dict[tuple, int] = defaultdict(int)
    waits: dict[tuple, list[int]] = defaultdict(list)
    waiting_on_d: dict[str, int] = defaultdict(int)

    for facts in folded.values():
        herkomst = None
        aangemeld = None
        product = None  # product in care, None when not in care
        waiting = False
        timeline = []  # (effective, herkomst, in care?) after each fact
        d_state = None
        for eff, _v, ev in facts:
            t = ev["type"]
            month = eff.strftime("%Y-%m")
            if t == "aanmelding":
                herkomst, aangemeld, waiting = ev["herkomst_gemeente"], eff, False
            elif t == "start_zorg":
                flows[(month, herkomst, ev["product"])][0] += 1
                if aangemeld is not None:
                    waits[(ev["product"], eff.year)].append((eff - aangemeld).days)
                product, waiting = ev["product"], False
            elif t == "wijziging" and ev["soort"] in PRODUCT_WIJZIGING:
                product = ev["product"]
            elif t in ("einde_zorg", "wlz_overgang"):
                if product is not None:
                    flows[(month, herkomst, product)][1] += 1
                product, waiting = None, False
            elif t == "wachtlijst_in":
                waiting = True
            elif t in ("wachtlijst_uit", "afwijzing"):
                waiting = False
            timeline.append((eff, herkomst, product is not None))
            if eff <= peildatum:
                d_state = (herkomst, waiting)
        # (b): state at the end of each month end
        i = -1
        for me in ends:
            while i + 1 < len(timeline) and timeline[i + 1][0] <= me:
                i += 1
            if i >= 0 and timeline[i][2]:
                in_care_at[(me, timeline[i][1])] += 1
        if d_state and d_state[1] and d_state[0] is not None:
            waiting_on_d[d_state[0]] += 1

    nf = lambda s: (s is not None, s or "")  # NULLS FIRST
    a = sorted(((m, g, p, i, u) for (m, g, p), (i, u) in flows.items()),
               key=lambda r: (r[0], nf(r[1]), r[2]))
    b = sorted(((me.isoformat(), g, n) for (me, g), n in in_care_at.items() if n),
               key=lambda r: (r[0], nf(r[1])))
    c = sorted((p, y, float(statistics.median(xs)), len(xs)) for (p, y), xs in waits.items())
    d = sorted(waiting_on_d.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    return {
        "a_instroom_uitstroom": a,
        "b_in_zorg_maandeinde": b,
        "c_mediaan_aanmelding_start": c,
        "d_top10_wachtlijst": d,
    }


def norm(v) -> str:
    if v is None or v == "":
        return ""
    try:
        return repr(round(float(v), 6))
    except ValueError:
        return str(v)


def compare(work: Path, ref: dict[str, list[tuple]]) -> bool:
    ok = True
    for name, rows in ref.items():
        with open(work / f"{name}.csv") as f:
            got = [tuple(norm(v) for v in r) for r in list(csv.reader(f))[1:]]
        want = [tuple(norm(v) for v in r) for r in rows]
        if got == want:
            print(f"{name}: {len(got)} rows agree")
        else:
            ok = False
            gs, ws = set(got), set(want)
            print(f"{name}: DIFFERS ({len(got)} rows from DuckDB, {len(want)} from the reference)")
            for r in sorted(ws - gs)[:10]:
                print("  only reference:", r)
            for r in sorted(gs - ws)[:10]:
                print("  only duckdb:   ", r)
            if gs == ws:
                print("  same rows, different order")
    return ok


# --------------------------------------------------------------------------------------------
# selftest: a handful of clients exercising the corner cases


def selftest_events() -> list[dict]:
    out: list[dict] = []
    seq = 0

    def stream(client: str, facts: list[tuple[str, dict]]) -> None:
        nonlocal seq
        for v, (eff, ev) in enumerate(facts, start=1):
            seq += 1
            out.append({"client": client, "version": v, "effective": eff,
                        "actor": {"user": "t", "role": "systeem", "organisation": {"soort": "vangnet"}},
                        "recorded_at": "2020-01-01T00:00:00.000Z", "event": ev, "seq": seq})

    def aanm(g, regio="drechtsteden"):
        return {"type": "aanmelding", "regio": regio, "melder": "zelf", "herkomst_gemeente": g,
                "woonsituatie": "dakloos", "urgentie": "regulier"}

    def start(p, loc="loc-1"):
        return {"type": "start_zorg", "product": p, "locatie": loc}

    def einde(b="housing_first"):
        return {"type": "einde_zorg", "bestemming": b}

    def wijz(soort, p=None):
        w = {"type": "wijziging", "soort": soort}
        if soort == "verlenging":
            w["nieuw_einde"] = "2030-01-01"
        else:
            w.update(product=p, locatie="loc-2")
        return w

    toew = {"type": "toewijzing", "product": "bw", "start": "2020-01-01", "einde": "2022-01-01",
            "leveringsvorm": "ZIN", "aanbieder": None}
    wl_in = {"type": "wachtlijst_in", "product": "bw", "prioriteit": 0}

    # plain episode with a doorstroom: outflow is counted on the product after doorstroom
    stream("C1", [("2020-01-10", aanm("GM0001")), ("2020-02-01", toew), ("2020-02-03", wl_in),
                  ("2020-03-15", start("bw")), ("2020-06-01", wijz("doorstroom", "gw")),
                  ("2020-07-01", wijz("verlenging")), ("2020-09-30", einde())])
    # start date corrected back across a month end, twice (the last correction wins)
    stream("C2", [("2020-01-05", aanm("GM0001")), ("2020-01-20", toew), ("2020-03-02", start("bw")),
                  ("2020-03-03", {"type": "correctie", "corrigeert": 3, "vervanging": start("bw"), "reden": "x"}),
                  ("2020-02-25", {"type": "correctie", "corrigeert": 3, "vervanging": start("ambulant"), "reden": "y"})])
    # a voided start: never in care, the einde after it... is voided too
    stream("C3", [("2020-01-05", aanm("GM0002")), ("2020-01-20", toew), ("2020-02-01", wl_in),
                  ("2020-02-10", start("bw")), ("2020-02-11", {"type": "intrekking", "trekt_in": 4, "reden": "x"}),
                  ("2020-04-10", start("gw")), ("2020-04-30", einde()),
                  ("2020-05-01", {"type": "intrekking", "trekt_in": 7, "reden": "x"})])
    # aanmelding corrected to another gemeente; re-application after outflow from a third
    stream("C4", [("2020-01-05", aanm("GM0003")), ("2020-01-20", toew), ("2020-01-31", start("bw")),
                  ("2020-02-29", einde()),
                  ("2020-01-04", {"type": "correctie", "corrigeert": 1, "vervanging": aanm("GM0004"), "reden": "x"}),
                  ("2020-05-01", aanm("GM0005")), ("2020-05-02", toew), ("2020-05-31", start("gw")),
                  ("2020-06-01", wijz("opschalen", "bw"))])
    # wlz_overgang while waiting (ends waiting, no outflow); unregistered (null) gemeente
    stream("C5", [("2020-01-05", aanm(None)), ("2020-01-20", toew), ("2020-01-21", wl_in),
                  ("2020-03-01", {"type": "wlz_overgang"})])
    # same-day start and end (in care 0 days: not at any month end); waiting still at the date
    stream("C6", [("2020-01-05", aanm("GM0002")), ("2020-01-20", toew), ("2020-01-31", start("bw")),
                  ("2020-01-31", einde()), ("2020-02-01", aanm("GM0002")), ("2020-02-02", toew),
                  ("2020-02-03", wl_in)])
    # still waiting on the date, several gemeenten to rank; one whose wait ended by afwijzing
    for i, g in enumerate(["GM0006", "GM0006", "GM0007", "GM0001", None]):
        stream(f"W{i}", [("2020-01-05", aanm(g)), ("2020-01-20", toew), ("2020-02-01", wl_in)])
    stream("W9", [("2020-01-05", aanm("GM0007")), ("2020-01-20", toew), ("2020-02-01", wl_in),
                  ("2020-02-02", {"type": "afwijzing", "reden": "x", "casusregie": "y"})])
    # waiting list entry after the date does not count; wachtlijst_uit on the date does end it
    stream("W10", [("2020-01-05", aanm("GM0008")), ("2020-01-20", toew), ("2020-07-01", wl_in)])
    stream("W11", [("2020-01-05", aanm("GM0008")), ("2020-01-20", toew), ("2020-02-01", wl_in),
                   ("2020-06-30", {"type": "wachtlijst_uit", "reden": "x"})])
    # wlz_overgang in care counts as outflow; later facts stretch the month range
    stream("C7", [("2019-12-30", aanm("GM0009")), ("2020-01-20", toew), ("2020-01-20", start("bw")),
                  ("2020-08-15", {"type": "wlz_overgang"})])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("step", choices=["check", "selftest"])
    ap.add_argument("--jsonl", type=Path)
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--peildatum", default="2026-10-31")
    a = ap.parse_args()
    if a.step == "selftest":
        a.work.mkdir(parents=True, exist_ok=True)
        a.jsonl = a.work / "selftest.jsonl"
        a.peildatum = "2020-06-30"
        with open(a.jsonl, "w") as f:
            for e in selftest_events():
                f.write(json.dumps(e) + "\n")
        bench = os.path.join(os.path.dirname(os.path.abspath(__file__)), "duckdb_bench.py")
        subprocess.run([sys.executable, bench, "all", "--jsonl", str(a.jsonl), "--work", str(a.work),
                        "--warm", "1", "--peildatum", a.peildatum], check=True)
    elif a.jsonl is None:
        ap.error("--jsonl is required for check")
    ok = compare(a.work, reference(a.jsonl, dt.date.fromisoformat(a.peildatum)))
    print("reference check:", "all four agree" if ok else "DIFFERENCES")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
