#!/usr/bin/env python3
"""Prints run.sh's results (a results/<stamp> folder) as Markdown tables: medians over rounds."""
import csv
import statistics
import sys
from pathlib import Path

out = Path(sys.argv[1])
ORDER = ["jdk", "jetty", "undertow", "netty"]
NAMES = {"jdk": "JDK HttpServer", "jetty": "Jetty 12.1.14", "undertow": "Undertow 2.3.27", "netty": "Netty 4.1.126"}


def rows(name):
    p = out / name
    return list(csv.DictReader(p.open())) if p.exists() else []


def med(values):
    return statistics.median(values) if values else float("nan")


small = rows("small.csv")
large = rows("large.csv")
servers = [s for s in ORDER if any(r["server"] == s for r in small + large)]

if small:
    rounds = sorted({r["round"] for r in small})
    print(f"### 1 KiB operations (wrk, median of {len(rounds)} round(s); ops/s · p50 / p99 ms)\n")
    print("| op | conns | " + " | ".join(NAMES[s] for s in servers) + " |")
    print("|---|---:|" + "---:|" * len(servers))
    for op in ["get", "put"]:
        for c in sorted({int(r["conns"]) for r in small}):
            cells = []
            for s in servers:
                rs = [r for r in small if r["server"] == s and r["op"] == op and int(r["conns"]) == c]
                if not rs:
                    cells.append("–")
                    continue
                ops = med([float(r["ops_per_s"]) for r in rs])
                p50 = med([float(r["p50_ms"]) for r in rs])
                p99 = med([float(r["p99_ms"]) for r in rs])
                errs = sum(int(r["errors"]) for r in rs)
                cell = f"{ops:,.0f} · {p50:.2f} / {p99:.2f}"
                if errs:
                    cell += f" ({errs} errors)"
                cells.append(cell)
            print(f"| {op.upper()} | {c} | " + " | ".join(cells) + " |")
    print()
    print("Every round at 64 connections (ops/s, p99 ms), to show the spread:\n")
    print("| op | round | " + " | ".join(NAMES[s] for s in servers) + " |")
    print("|---|---:|" + "---:|" * len(servers))
    for op in ["get", "put"]:
        for rnd in rounds:
            cells = []
            for s in servers:
                rs = [r for r in small if r["server"] == s and r["op"] == op and r["conns"] == "64" and r["round"] == rnd]
                cells.append(f"{float(rs[0]['ops_per_s']):,.0f} ({float(rs[0]['p99_ms']):.1f})" if rs else "–")
            print(f"| {op.upper()} | {rnd} | " + " | ".join(cells) + " |")
    print()

if large:
    runs = sorted({r["run"] for r in large})
    print(f"### 1 GiB transfers (curl, {len(runs)} run(s) each; MiB/s median [min–max]; heap in MiB)\n")
    print("| server | download MiB/s | upload MiB/s | live-heap growth down / up (peak after-GC − base) "
          "| used before any GC − base | retained after (after − base) | young GCs down / up | RSS growth down / up |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for s in servers:
        def pick(d, key):
            return [float(r[key]) for r in large if r["server"] == s and r["dir"] == d]

        def speed(d):
            v = pick(d, "mib_per_s")
            return f"{med(v):,.0f} [{min(v):,.0f}–{max(v):,.0f}]" if v else "–"

        def growth(d):
            rs = [r for r in large if r["server"] == s and r["dir"] == d]
            return max(float(r["heap_peak_live_mib"]) - float(r["heap_base_mib"]) for r in rs) if rs else float("nan")

        def retained(d):
            rs = [r for r in large if r["server"] == s and r["dir"] == d]
            return max(float(r["heap_after_mib"]) - float(r["heap_base_mib"]) for r in rs) if rs else float("nan")

        def raw(d):
            rs = [r for r in large if r["server"] == s and r["dir"] == d]
            return max(float(r["heap_used_nogc_mib"]) - float(r["heap_base_mib"]) for r in rs) if rs else float("nan")

        def rss(d):
            rs = [r for r in large if r["server"] == s and r["dir"] == d]
            return max(float(r["rss_after_mib"]) - float(r["rss_before_mib"]) for r in rs) if rs else float("nan")

        gcs = f"{med(pick('down', 'gcs')):.0f} / {med(pick('up', 'gcs')):.0f}"
        print(f"| {NAMES[s]} | {speed('down')} | {speed('up')} | {growth('down'):.1f} / {growth('up'):.1f} "
              f"| {raw('down'):.1f} / {raw('up'):.1f} | {retained('down'):.1f} / {retained('up'):.1f} | {gcs} | {rss('down'):.1f} / {rss('up'):.1f} |")
    print("\n(heap growth and RSS growth: the worst run)\n")

fp = rows("footprint.csv")
if fp:
    print("### Dependency footprint (jars the server adds)\n")
    print("| server | jars | MiB |")
    print("|---|---:|---:|")
    for r in fp:
        print(f"| {NAMES[r['server']]} | {r['jars']} | {float(r['mib']):.2f} |")
    print()

load = out / "uptime.log"
if load.exists():
    print("### Load (`uptime`) during the runs\n")
    print("```")
    print(load.read_text().rstrip())
    print("```")
