"""The Vangnet scenario network in SimPy (https://simpy.readthedocs.io): one process per person
and per arrival stream, the same semantics as the Rust engine (FIFO per priority class, type I
blocking: people whose next step is full keep their place until room frees, first blocked first
served; external arrivals to a full node are turned away). Prints per-node means with 99 % CIs.

    python simpy_model.py region-1x.toml [--scale K] [--reps N] [--horizon-years Y] [--procs P]
"""
import math
import random
import time
from collections import deque

import simpy

import scenario as sc


class Node:
    def __init__(self, spec, classes):
        self.spec = spec
        self.servers = spec["servers"]
        self.qcap = math.inf if spec["qcap"] is None else spec["qcap"]
        self.busy = self.qlen = 0
        self.queues = [deque() for _ in range(classes)]
        self.blocked = deque()
        self.last = self.area_busy = self.area_q = 0.0
        self.entered = self.queued = self.starts = self.done = self.rejected = 0
        self.sum_wait = self.sum_sojourn = 0.0
        s = spec["service"]
        if s[0] == "exponential":
            self.draw = lambda rng, m=s[1]: rng.expovariate(1.0 / m)
        elif s[0] == "lognormal":
            mu, sigma = sc.lognormal_params(s[1], s[2])
            self.draw = lambda rng: rng.lognormvariate(mu, sigma)
        else:
            self.draw = lambda rng, d=s[1]: d
        cum, c = [], 0.0
        for j, p in spec["routes"]:
            c += p
            cum.append((c, j))
        self.routes = cum

    def can_enter(self):
        return self.busy < self.servers or self.qlen < self.qcap


class Person:
    __slots__ = ("cls", "node", "t_arr", "granted", "ev")

    def __init__(self, cls):
        self.cls, self.node, self.t_arr, self.granted, self.ev = cls, None, 0.0, False, None


class Model:
    def __init__(self, scen, seed):
        self.env = simpy.Environment()
        self.rng = random.Random(seed)
        self.T = scen["horizon"]
        self.nodes = [Node(n, scen["classes"]) for n in scen["nodes"]]
        self.events = 0
        for i, n in enumerate(scen["nodes"]):
            if "arrivals" in n:
                self.env.process(self.source(i, n["arrivals"]))

    def touch(self, n):
        now = self.env.now
        dt = now - n.last
        n.area_busy += n.busy * dt
        n.area_q += n.qlen * dt
        n.last = now

    def source(self, i, a):
        rng, env = self.rng, self.env
        lmax = sc.max_rate_per_day(a, self.T)
        cum, c = [], 0.0
        for s in a["classes"]:
            c += s
            cum.append(c)
        homog = sc.homogeneous(a)
        t = 0.0
        while True:
            t += rng.expovariate(lmax)
            if not homog:
                while t <= self.T and rng.random() * lmax >= sc.rate_per_day(a, t):
                    t += rng.expovariate(lmax)
            if t > self.T:
                return
            yield env.timeout(t - env.now)
            self.events += 1
            u = rng.random() * cum[-1]
            cls = next(k for k, x in enumerate(cum) if u < x or k == len(cum) - 1)
            node = self.nodes[i]
            if node.can_enter():
                p = Person(cls)
                self.enter(p, i)
                env.process(self.life(p))
            else:
                node.rejected += 1

    def enter(self, p, i):
        n = self.nodes[i]
        self.touch(n)
        p.node, p.t_arr = i, self.env.now
        n.entered += 1
        if n.busy < n.servers:
            n.busy += 1
            p.granted = True
            self.started(p, n)
        else:
            p.granted = False
            n.qlen += 1
            n.queued += 1
            n.queues[p.cls].append(p)

    def started(self, p, n):
        n.starts += 1
        n.sum_wait += self.env.now - p.t_arr

    def leave(self, p, i):
        n = self.nodes[i]
        self.touch(n)
        n.done += 1
        n.sum_sojourn += self.env.now - p.t_arr

    def release(self, i):
        stack = [i]
        while stack:
            k = stack.pop()
            n = self.nodes[k]
            self.touch(n)
            n.busy -= 1
            while True:
                while n.busy < n.servers and n.qlen > 0:
                    q = next(q for q in n.queues if q).popleft()
                    n.qlen -= 1
                    n.busy += 1
                    q.granted = True
                    self.started(q, n)
                    q.ev.succeed()
                if n.can_enter() and n.blocked:
                    q = n.blocked.popleft()
                    frm = q.node
                    self.leave(q, frm)
                    self.enter(q, k)
                    stack.append(frm)
                    q.ev.succeed()
                    continue
                break

    def life(self, p):
        env, rng = self.env, self.rng
        while True:
            if not p.granted:
                p.ev = env.event()
                yield p.ev
            i = p.node
            n = self.nodes[i]
            yield env.timeout(n.draw(rng))
            self.events += 1
            u = rng.random()
            nxt = next((j for c, j in n.routes if u < c), None)
            if nxt is None:
                self.leave(p, i)
                self.release(i)
                return
            if self.nodes[nxt].can_enter():
                self.leave(p, i)
                self.enter(p, nxt)
                self.release(i)
                continue
            p.granted = False
            p.ev = env.event()
            self.nodes[nxt].blocked.append(p)
            yield p.ev  # release() has moved us into nxt (in service or on its list)

    def run(self):
        self.env.run(until=self.T)
        out = []
        for n in self.nodes:
            self.touch(n)
            T = self.T
            out.append({
                "in_system": (n.area_busy + n.area_q) / T,
                "in_service": n.area_busy / T,
                "waiting": n.area_q / T,
                "wait": n.sum_wait / n.starts if n.starts else 0.0,
                "p_wait": n.queued / n.entered if n.entered else 0.0,
                "throughput": n.done / T * sc.YEAR,
                "rejected": n.rejected,
                "sojourn": n.sum_sojourn / n.done if n.done else 0.0,
            })
        return {"nodes": out, "events": self.events}


def one(args):
    path, scale, years, rep = args
    scen = sc.load(path, scale, years)
    m = Model(scen, scen["seed"] * 1000 + rep)
    t0 = time.process_time()
    r = m.run()
    return time.process_time() - t0, r


def main():
    sc.cli("simpy", one)


if __name__ == "__main__":
    main()
