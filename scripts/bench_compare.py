#!/usr/bin/env python3
"""Ratios new/base of two BENCHMARKS.md files' page, monitor and dashboard sections, written
into the compare-bench section of the second (see scripts/bench-compare.sh)."""
import re
import statistics
import sys
import datetime
import os


def section(text, name):
    m = re.search(rf"<!-- {name}:start -->\n(.*?)<!-- {name}:end -->", text, re.S)
    return m.group(1) if m else ""


def rows(sec):
    out = []
    for line in sec.splitlines():
        if line.startswith("|") and not re.match(r"^\|[-:| ]+\|$", line):
            out.append([c.strip() for c in line.strip("|").split("|")])
    return out[1:]  # drop the header


def num(s):
    s = s.replace(",", ".")
    m = re.search(r"-?\d+(\.\d+)?", s)
    return float(m.group(0)) if m else None


def seconds(sec, pattern):
    m = re.search(pattern + r"[^\n]*: ([\d.]+) s", sec)
    return float(m.group(1)) if m else None


def ratio(a, b):
    return f"{b / a:.2f}" if a and b is not None and a > 0 else "—"


def main():
    rev, base_path, new_path = sys.argv[1:4]
    base, new = open(base_path).read(), open(new_path).read()
    out = []
    w = out.append
    w("## Vergelijking met een eerdere build (zelfde run, zelfde data)\n")
    w(f"`scripts/bench-compare.sh {rev}` op {datetime.date.today().isoformat()}: de build van `{rev}` "
      "en deze checkout draaien na elkaar `vangnet bench --monitor`, `--dashboard` en `--pages` op "
      "hetzelfde gebeurtenissenbestand en dezelfde landelijke demo-database (beide door de basisbuild "
      f"gemaakt). Verhouding = nieuw / basis (< 1 is sneller). Belasting bij de start (1/5/15 min): "
      f"{' / '.join(f'{x:.2f}' for x in os.getloadavg())}; de VM is gedeeld, verschillen onder ~25 % zijn ruis.\n")
    w("| meting | basis | nieuw | verhouding |")
    w("|---|---:|---:|---:|")
    # pages
    pb, pn = rows(section(base, "pages-bench")), rows(section(new, "pages-bench"))
    for rb, rn in zip(pb, pn):
        label = rb[0].split("(")[0].strip()
        for i, what in ((1, "p50"), (2, "p99")):
            a, b = num(rb[i]), num(rn[i])
            w(f"| pagina {label}, {what} (ms) | {a} | {b} | {ratio(a, b)} |")
    # monitor queries
    mb, mn = section(base, "monitor-bench"), section(new, "monitor-bench")
    for rb, rn in zip(rows(mb), rows(mn)):
        label = rb[0][:3]
        a, b = num(rb[1]), num(rn[1])
        w(f"| monitorvraag {label} koud (ms) | {a} | {b} | {ratio(a, b)} |")
        a, b = num(rb[2].split("/")[0]), num(rn[2].split("/")[0])
        w(f"| monitorvraag {label} warm p50 (ms) | {a} | {b} | {ratio(a, b)} |")
    for label, pat in (("import 5 M gebeurtenissen (s)", r"Import van het bestand"),
                       ("monitor-rebuild (s)", r"Rebuild van de monitorprojectie"),
                       ("volledige rebuild (s)", r"Volledige rebuild")):
        a, b = seconds(mb, pat), seconds(mn, pat)
        w(f"| {label} | {a} | {b} | {ratio(a, b)} |")
    # dashboard: per view, summarised
    db, dn = rows(section(base, "dashboard-bench")), rows(section(new, "dashboard-bench"))
    pairs = [(rb, rn) for rb, rn in zip(db, dn) if rb[1] == rn[1] and rb[2] == rn[2]]
    for i, what in ((3, "koud"), (4, "warm p50"), (5, "warm p99")):
        rs = [num(rn[i]) / num(rb[i]) for rb, rn in pairs if num(rb[i]) and num(rb[i]) >= 1.0]
        worst_new = max(num(rn[i]) for _, rn in pairs) if pairs else None
        if rs:
            w(f"| dashboard, {len(rs)} weergaven (≥ 1 ms), {what}: mediaan van de verhoudingen; traagste nieuw (ms) | — | {worst_new} | {statistics.median(rs):.2f} |")
    w("")
    text = open(new_path).read()
    start, end = "<!-- compare-bench:start -->", "<!-- compare-bench:end -->"
    block = f"{start}\n" + "\n".join(out) + f"\n{end}\n"
    if start in text and end in text:
        a, b = text.index(start), text.index(end) + len(end)
        text = text[:a] + block.rstrip("\n") + text[b:]
    else:
        text = text.rstrip() + "\n\n" + block
    open(new_path, "w").write(text)
    print("\n".join(out))


if __name__ == "__main__":
    main()
