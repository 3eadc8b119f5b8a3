"""The Vangnet scenario network built in Ciw (https://ciw.readthedocs.io), for validation and
benchmarks. Prints per-node means with 99 % CIs as JSON.

    python ciw_model.py region-1x.toml [--scale K] [--reps N] [--horizon-years Y] [--procs P]

Mapping: servers -> number_of_servers, queue_capacity -> queue_capacities (inf if absent),
homes_per_year -> 1 server, no waiting room, Exponential(homes/365.25); priority classes ->
customer classes with priorities; arrivals with trend/seasons -> PoissonIntervals with the
monthly mean rate; routes -> routing matrix (remainder exits). Blocking is Ciw's type I blocking.
Time-averages are computed from the records plus the people still in the system at the end.
"""
import time

import ciw

import scenario as sc


def build(scen):
    nodes, k = scen["nodes"], scen["classes"]
    n = len(nodes)
    classes = [f"C{c}" for c in range(k)]
    T = scen["horizon"]
    months = int(T / sc.MONTH + 1e-9)
    arrivals = {c: [] for c in classes}
    services = {c: [] for c in classes}
    for node in nodes:
        a = node.get("arrivals")
        for ci, c in enumerate(classes):
            share = a["classes"][ci] if a and ci < len(a["classes"]) else 0.0
            if not a or share == 0:
                arrivals[c].append(None)
            elif sc.homogeneous(a):
                arrivals[c].append(ciw.dists.Exponential(rate=sc.rate_per_day(a, 0) * share))
            else:
                # Monthly mean rates (Simpson over each month) as a piecewise-constant process.
                rates, ends = [], []
                for m in range(months + 1):
                    t0, t1 = m * sc.MONTH, (m + 1) * sc.MONTH
                    r = (sc.rate_per_day(a, t0) + 4 * sc.rate_per_day(a, (t0 + t1) / 2) + sc.rate_per_day(a, t1)) / 6
                    rates.append(r * share)
                    ends.append(t1)
                arrivals[c].append(ciw.dists.PoissonIntervals(rates=rates, endpoints=ends, max_sample_date=T))
            s = node["service"]
            if s[0] == "exponential":
                services[c].append(ciw.dists.Exponential(rate=1.0 / s[1]))
            elif s[0] == "lognormal":
                mu, sigma = sc.lognormal_params(s[1], s[2])
                services[c].append(ciw.dists.Lognormal(mean=mu, sd=sigma))
            else:
                services[c].append(ciw.dists.Deterministic(value=s[1]))
    matrix = [[0.0] * n for _ in range(n)]
    for i, node in enumerate(nodes):
        for j, p in node["routes"]:
            matrix[i][j] = p
    return ciw.create_network(
        arrival_distributions=arrivals,
        service_distributions=services,
        routing={c: [row[:] for row in matrix] for c in classes},
        number_of_servers=[node["servers"] for node in nodes],
        queue_capacities=[float("inf") if node["qcap"] is None else node["qcap"] for node in nodes],
        priority_classes={c: ci for ci, c in enumerate(classes)},
    )


def one(args):
    path, scale, years, rep = args
    scen = sc.load(path, scale, years)
    ciw.seed(scen["seed"] * 1000 + rep)
    N = build(scen)
    Q = ciw.Simulation(N)
    t0 = time.process_time()
    Q.simulate_until_max_time(scen["horizon"])
    secs = time.process_time() - t0
    return secs, stats(Q, scen)


def stats(Q, scen):
    T = scen["horizon"]
    n = len(scen["nodes"])
    area = [0.0] * n
    area_service = [0.0] * n
    waits = [[] for _ in range(n)]
    waited = [0] * n
    entered = [0] * n
    done = [0] * n
    rejected = [0] * n
    sojourn = [[] for _ in range(n)]
    external = 0
    seen = set()
    for r in Q.get_all_records():
        i = r.node - 1
        if r.record_type == "rejection":
            rejected[i] += 1
            external += 1
            continue
        if r.record_type != "service":
            continue
        if r.id_number not in seen:
            seen.add(r.id_number)
            external += 1
        end = min(r.exit_date, T)
        area[i] += end - r.arrival_date
        area_service[i] += end - r.service_start_date
        waits[i].append(r.waiting_time)
        waited[i] += r.waiting_time > 0
        entered[i] += 1
        done[i] += 1
        sojourn[i].append(r.exit_date - r.arrival_date)
    for node in Q.transitive_nodes:
        i = node.id_number - 1
        for ind in node.all_individuals:
            if ind.id_number not in seen:
                seen.add(ind.id_number)
                external += 1
            area[i] += T - ind.arrival_date
            entered[i] += 1
            if ind.service_start_date is not False and ind.service_start_date <= T:
                area_service[i] += T - ind.service_start_date
                w = ind.service_start_date - ind.arrival_date
                waits[i].append(w)
                waited[i] += w > 0
            else:
                waited[i] += 1
    out = []
    for i in range(n):
        out.append({
            "in_system": area[i] / T,
            "in_service": area_service[i] / T,
            "waiting": (area[i] - area_service[i]) / T,
            "wait": sum(waits[i]) / len(waits[i]) if waits[i] else 0.0,
            "p_wait": waited[i] / entered[i] if entered[i] else 0.0,
            "throughput": done[i] / T * sc.YEAR,
            "rejected": rejected[i],
            "sojourn": sum(sojourn[i]) / len(sojourn[i]) if sojourn[i] else 0.0,
        })
    # Events as Vangnet counts them: external arrivals (incl. turned away) + ends of stays.
    return {"nodes": out, "events": external + sum(done)}


def main():
    sc.cli("ciw", one)


if __name__ == "__main__":
    main()
