"""Shared reader for Vangnet scenario files (the format of crates/vangnet-sim/src/scenario.rs).

Loads the TOML with tomllib, applies the same scaling as `Model::scaled`, and offers the arrival
rate function and small statistics helpers used by ciw_model.py, simpy_model.py and compare.py.
"""
import math
import tomllib

YEAR = 365.25
MONTH = YEAR / 12


def load(path, scale=1.0, horizon_years=None):
    with open(path, "rb") as f:
        raw = tomllib.load(f)
    ids = [n["id"] for n in raw["node"]]
    rnd = lambda x: max(int(round(x * scale)), 1 if x > 0 else 0)
    nodes = []
    for n in raw["node"]:
        node = {"id": n["id"], "routes": [(ids.index(k), p) for k, p in sorted(n.get("routes", {}).items())]}
        if "homes_per_year" in n:
            homes = n["homes_per_year"] * scale
            node.update(servers=1, qcap=0, service=("exponential", YEAR / homes), homes=homes)
        else:
            s = n["service"]
            d = s["dist"]
            service = (d, s["days"]) if d == "deterministic" else (d, s["mean_days"], s.get("cv"))
            qc = n.get("queue_capacity")
            node.update(servers=rnd(n["servers"]), qcap=None if qc is None else rnd(qc), service=service)
        a = n.get("arrivals")
        if a and a["per_year"] > 0:
            node["arrivals"] = {
                "per_year": a["per_year"] * scale,
                "trend": a.get("trend", 0.0),
                "seasonal": a.get("seasonal", 0.0),
                "peak_month": a.get("peak_month", 1.0),
                "classes": n.get("classes", [1.0]),
            }
        nodes.append(node)
    classes = max([len(n["arrivals"]["classes"]) for n in nodes if "arrivals" in n] + [1])
    years = horizon_years if horizon_years is not None else raw["horizon_years"]
    return {"name": raw.get("name", ""), "nodes": nodes, "classes": classes, "horizon": years * YEAR,
            "seed": raw.get("seed", 1), "replications": raw.get("replications", 100)}


def rate_per_day(a, t):
    """Same as Arrivals::rate_per_day."""
    years = t / YEAR
    trend = max(0.0, 1.0 + a["trend"] * years)
    season = 1.0
    if a["seasonal"]:
        peak = (a["peak_month"] - 0.5) / 12
        season = 1.0 + a["seasonal"] * math.cos(2 * math.pi * (years - peak))
    return a["per_year"] / YEAR * trend * season


def max_rate_per_day(a, horizon):
    return a["per_year"] / YEAR * max(1.0, 1.0 + a["trend"] * horizon / YEAR) * (1 + abs(a["seasonal"]))


def homogeneous(a):
    return a["trend"] == 0 and a["seasonal"] == 0


def lognormal_params(mean, cv):
    s2 = math.log(1 + cv * cv)
    return math.log(mean) - s2 / 2, math.sqrt(s2)


_T995 = [63.657, 9.925, 5.841, 4.604, 4.032, 3.707, 3.499, 3.355, 3.250, 3.169, 3.106, 3.055, 3.012, 2.977, 2.947,
         2.921, 2.898, 2.878, 2.861, 2.845, 2.831, 2.819, 2.807, 2.797, 2.787, 2.779, 2.771, 2.763, 2.756, 2.750]


def t995(df):
    if df <= 30:
        return _T995[df - 1]
    z = 2.5758293035489
    n = df
    return z + (z**3 + z) / (4 * n) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * n * n) + \
        (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * n**3)


def estimate(values):
    n = len(values)
    mean = sum(values) / n
    if n < 2:
        return {"mean": mean, "std": 0.0, "ci99": float("inf")}
    std = math.sqrt(max(0.0, sum((v - mean) ** 2 for v in values) / (n - 1)))
    return {"mean": mean, "std": std, "ci99": t995(n - 1) * std / math.sqrt(n)}


def summarize(sim_name, scen, reps, seconds_per_rep, events_per_rep, per_rep_nodes):
    """per_rep_nodes: list (replications) of list (nodes) of dicts of floats."""
    keys = ["in_system", "in_service", "waiting", "wait", "p_wait", "throughput", "rejected", "sojourn"]
    nodes = []
    for i, n in enumerate(scen["nodes"]):
        d = {"id": n["id"]}
        for k in keys:
            d[k] = estimate([r[i][k] for r in per_rep_nodes])
        nodes.append(d)
    return {"simulator": sim_name, "replications": reps, "horizon_years": scen["horizon"] / YEAR,
            "sec_per_rep": seconds_per_rep, "events_per_rep": events_per_rep,
            "events_per_sec": events_per_rep / seconds_per_rep if seconds_per_rep else None, "nodes": nodes}


def cli(name, one):
    """The command line shared by ciw_model.py and simpy_model.py: run `one` per replication
    (optionally in processes) and print the summary as JSON."""
    import argparse
    import json
    import sys
    from multiprocessing import Pool

    p = argparse.ArgumentParser()
    p.add_argument("file")
    p.add_argument("--scale", type=float, default=1.0)
    p.add_argument("--reps", type=int, default=10)
    p.add_argument("--horizon-years", type=float, default=None)
    p.add_argument("--procs", type=int, default=1)
    a = p.parse_args()
    scen = load(a.file, a.scale, a.horizon_years)
    jobs = [(a.file, a.scale, a.horizon_years, r) for r in range(a.reps)]
    if a.procs > 1:
        with Pool(a.procs) as pool:
            res = pool.map(one, jobs)
    else:
        res = [one(j) for j in jobs]
    secs = sum(r[0] for r in res) / len(res)
    events = sum(r[1]["events"] for r in res) / len(res)
    out = summarize(name, scen, a.reps, secs, events, [r[1]["nodes"] for r in res])
    out["scale"] = a.scale
    json.dump(out, sys.stdout)
    print()
