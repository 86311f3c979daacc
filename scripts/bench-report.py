#!/usr/bin/env python3
"""Turn a `make bench` run into results.json, table.txt and chart.png.

Usage: scripts/bench-report.py --dir build/bench/<time> [--quick] [--base VER]

Reads DIR/stock-N/ktap.log and DIR/patched-N/ktap.log, one per boot (the
HMM-BENCH lines of selftests/bench/hmm-bench.c), pools each kernel's boots,
takes the median, min and max of every metric
on each kernel, and prints one table: metric, stock, patched,
patched/stock with its 90% interval, and the fraction of the limit
(migration against memcpy of the same size on the same kernel).
results.json keeps every sample. Writes each file whole (a temporary
file, then a rename), results.json last.

The interval of a ratio is a bootstrap one: draw each kernel's boots with
replacement, then each drawn boot's samples, and take the ratio of the
medians, 2000 times (seeded by the row, so a report is reproducible). It
resamples whole boots because under TCG a boot's samples share the host's
speed, which can change by half from one minute to the next. A target is
"met" when the interval lies within it, "NOT met" when it lies outside,
and "not settled" when the interval straddles the bound: the run cannot
tell, and more boots or a quieter host can. With one boot of each kernel
(--quick) the interval shows only the spread within that boot.

A paired run (bench.sh --paired; DIR/mode says "paired") booted the two
kernels together in each round and let them take turns, so the i-th
sample of a metric on stock-N and on patched-N were taken seconds apart.
Its patched/stock is the median of those per-pair ratios, and the
interval resamples rounds and then pairs.

An instruction-count run (bench.sh --icount; DIR/mode says "icount")
booted each kernel under QEMU's -icount with one vCPU: the guest's clock
counted instructions, so a rate per second is a rate per 10^9 guest
instructions, and it had no mmap_lock writer, so the contended target
is reported as not measured.
"""
import argparse
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from hmmcommon import SetupError, run_main

KERNELS = ("stock", "patched")
ORDER = ["read_fault", "fault_1page", "fault_1page_contended", "migrate_to_dev",
         "migrate_to_sys", "memcpy", "exclusive"]
# The device-fault throughput targets of the core-owned fault protocol: alone
# within 5% of stock (read_fault from 32 MiB up, where a sample lasts long
# enough under TCG, and fault_1page), and at least 2x stock with an
# mmap_lock writer (fault_1page_contended). "Within 5%" guards against a
# regression: a row is met when its interval lies at or above 0.95x, so
# a row faster than stock by more than 5% is met, not unsettled (until
# 2026-11-25 17:40 the band was two-sided, 0.95x-1.05x).
SINGLE_TOLERANCE = 0.05
CONTENDED_TARGET = 2.0
INTERVAL = 0.90
RESAMPLES = 2000


def parse(path):
    samples, cpus = [], None
    with open(path, errors="replace") as f:
        for line in f:
            s = line.strip()
            m = re.search(r"HMM-BENCH (\{.*\})\s*$", s)
            if m:
                samples.append(json.loads(m.group(1)))
            m = re.match(r"^# hmm-runner: cpus (\d+)", s)
            if m:
                cpus = int(m.group(1))
    return samples, cpus


def stats(values):
    ok = [v for v in values if v is not None]
    if not ok or len(ok) < len(values):
        return None
    return {"median": statistics.median(ok), "min": min(ok), "max": max(ok), "n": len(ok)}


def median_of_draw(rng, groups):
    """The median of one two-stage resample: the groups (boots or rounds)
    with replacement, then the values of each group drawn."""
    pooled = []
    for group in rng.choices(groups, k=len(groups)):
        pooled += rng.choices(group, k=len(group))
    return statistics.median(pooled)


def central(values):
    """The central INTERVAL of a bootstrap's RESAMPLES statistics."""
    values = sorted(values)
    cut = int(RESAMPLES * (1 - INTERVAL) / 2)
    return [values[cut], values[RESAMPLES - 1 - cut]]


def ratio_interval(stock, patched, seed):
    """The INTERVAL bootstrap interval of median(patched) / median(stock).

    stock and patched hold one list of samples per boot."""
    rng = random.Random(seed)
    ratios = []
    for _ in range(RESAMPLES):
        den = median_of_draw(rng, stock)
        if not den:
            return None
        ratios.append(median_of_draw(rng, patched) / den)
    return central(ratios)


def paired_ratio(rounds, seed):
    """Median of the per-pair ratios patched / stock, and its interval.

    rounds holds one list of (stock, patched) pairs per round."""
    rounds = [[p / s for s, p in pairs if s] for pairs in rounds]
    rounds = [r for r in rounds if r]
    if not rounds:
        return None, None
    rng = random.Random(seed)
    meds = [median_of_draw(rng, rounds) for _ in range(RESAMPLES)]
    return statistics.median([x for r in rounds for x in r]), central(meds)


def verdict(interval, low, high=float("inf")):
    """met, NOT met or not settled: where the interval lies against [low, high]."""
    lo, hi = interval
    if low <= lo and hi <= high:
        return "met"
    if hi < low or lo > high:
        return "NOT met"
    return "not settled"


def fmt(v, unit):
    if v is None:
        return "n/a"
    if unit == "GB/s":
        return f"{v:.3f} GB/s"
    return f"{v:,.0f} {unit}"


def write(path, text):
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.replace(path + ".tmp", path)


def chart(d, rows, quick):
    gp = shutil.which("gnuplot")
    if not gp:
        print("gnuplot missing: no chart (Debian package gnuplot-nox)", file=sys.stderr)
        return False
    ratio_rows = [r for r in rows if r["ratio"] is not None]
    # Each ratio with its interval (the ratio itself where there is none).
    with open(os.path.join(d, "ratios.dat"), "w") as f:
        f.write("# row ratio interval_low interval_high label\n")
        for i, r in enumerate(ratio_rows):
            lo, hi = r["interval"] or (r["ratio"], r["ratio"])
            f.write(f'{i} {r["ratio"]:.4f} {lo:.4f} {hi:.4f} '
                    f'"{r["metric"]} {r["backing"]} {r["size_mib"]}M"\n')
    with open(os.path.join(d, "migrate.dat"), "w") as f:
        sizes = sorted({r["size_mib"] for r in rows})
        f.write("# size " + " ".join(f"{k}_{m}_{b}" for k in KERNELS
                                    for m in ("migrate_to_dev", "migrate_to_sys")
                                    for b in ("4k", "thp")) + " memcpy_patched memcpy_stock\n")
        for s in sizes:
            vals = []
            for k in KERNELS:
                for m in ("migrate_to_dev", "migrate_to_sys"):
                    for b in ("4k", "thp"):
                        r = next((x for x in rows if x["metric"] == m and x["backing"] == b
                                  and x["size_mib"] == s), None)
                        st = r and r[k]
                        vals.append(f'{st["median"]:.4f}' if st else "NaN")
            r = next((x for x in rows if x["metric"] == "memcpy" and x["size_mib"] == s), None)
            for k in ("patched", "stock"):
                vals.append(f'{r[k]["median"]:.4f}' if r and r[k] else "NaN")
            f.write(f"{s} " + " ".join(vals) + "\n")
    h = max(700, 22 * len(ratio_rows) + 200)
    # The right panel only when the run measured migration (gnuplot fails
    # on a plot with no point).
    migration = ""
    if any(r["metric"].startswith("migrate_") for r in rows):
        migration = f"""set title "Migration throughput by size (GB/s, median)"
set autoscale
set yrange [0:*]
set key below
set logscale x 2
set xlabel "range size (MiB)"
set ylabel "GB/s"
set ytics font ",10"
set grid
plot "{os.path.join(d, 'migrate.dat')}" u 1:3 w lp lc rgb "#999999" dt 2 t "stock to dev (THP)", \\
     "" u 1:5 w lp lc rgb "#bbbbbb" dt 2 t "stock to sys (THP)", \\
     "" u 1:7 w lp lc rgb "#4477aa" t "patched to dev (THP)", \\
     "" u 1:9 w lp lc rgb "#228833" t "patched to sys (THP)", \\
     "" u 1:6 w lp lc rgb "#aa3377" dt 3 t "patched to dev (4K)", \\
     "" u 1:10 w l lc rgb "black" lw 2 t "memcpy, patched (limit)", \\
     "" u 1:11 w l lc rgb "black" dt 2 t "memcpy, stock (limit)"
"""
    script = f"""
set terminal pngcairo size 1400,{h} font ",10" noenhanced
set output "{os.path.join(d, 'chart.png.tmp')}"
set multiplot layout 1,{2 if migration else 1} title "HMM: patched against stock, same machine, same run{' (quick smoke run)' if quick else ''}"
set title "patched / stock: median ratio and its {INTERVAL:.0%} interval"
set yrange [-1:{len(ratio_rows)}]
set ytics nomirror font ",8"
set xlabel "ratio"
set xrange [0:{max([2.2] + [(r["interval"] or (r["ratio"], r["ratio"]))[1] * 1.05
                           for r in ratio_rows])}]
set grid x
set key below
plot "{os.path.join(d, 'ratios.dat')}" using 2:1:3:4:ytic(5) with xerrorbars pt 7 ps 0.8 lc rgb "#4477aa" t "patched / stock", \\
     "" using (1):1 with lines lc rgb "#666666" dt 2 t "1 = no change", \\
     "" using ({1 - SINGLE_TOLERANCE}):1 with lines lc rgb "#ee7733" dt 3 t "faults alone: at most {SINGLE_TOLERANCE:.0%} slower", \\
     "" using ({CONTENDED_TARGET}):1 with lines lc rgb "#228833" dt 3 t "with an mmap_lock writer: at least {CONTENDED_TARGET:g}x"
{migration}
unset multiplot
"""
    p = subprocess.run([gp], input=script, text=True, capture_output=True)
    if p.returncode:
        print(p.stderr, file=sys.stderr)
        if os.path.exists(os.path.join(d, "chart.png.tmp")):
            os.remove(os.path.join(d, "chart.png.tmp"))
        return False
    os.replace(os.path.join(d, "chart.png.tmp"), os.path.join(d, "chart.png"))
    return True


def fault_targets(rows, icount=False):
    """Check the device-fault rows against the targets; report, never fail."""
    def row(metric, backing="4k"):
        return next((r for r in rows if r["metric"] == metric and r["backing"] == backing),
                    None)
    out, lines = {}, []
    alone, busy = row("fault_1page"), row("fault_1page_contended")
    if alone and busy:
        own = {k: busy[k]["median"] / alone[k]["median"]
               for k in KERNELS if busy[k] and alone[k] and alone[k]["median"]}
        out["contended_over_alone"] = own
        lines.append("one-page device faults with an mmap_lock writer, as a fraction of "
                     "the same kernel's rate alone: " +
                     ", ".join(f"{k} {v:.2f}" for k, v in own.items()))
    single = [r for r in rows if r["ratio"] is not None and r["interval"] and
              (r["metric"] == "fault_1page" or
               (r["metric"] == "read_fault" and r["size_mib"] >= 32))]
    if single:
        lo, hi = min(r["ratio"] for r in single), max(r["ratio"] for r in single)
        each = [verdict(r["interval"], 1 - SINGLE_TOLERANCE) for r in single]
        v = ("NOT met" if "NOT met" in each else
             "not settled" if "not settled" in each else "met")
        out["single"] = {"rows": len(single), "min": lo, "max": hi, "met": v == "met",
                         "verdict": v, "rows_met": each.count("met"),
                         "rows_not_met": each.count("NOT met")}
        lines.append(f"target, device faults alone at most {SINGLE_TOLERANCE:.0%} slower "
                     f"than stock "
                     f"({len(single)} rows: fault_1page, read_fault from 32M): "
                     f"{lo:.2f}x to {hi:.2f}x; by {INTERVAL:.0%} interval "
                     f"{each.count('met')} met, {each.count('NOT met')} not, "
                     f"{each.count('not settled')} not settled: {v}")
    if busy and busy["ratio"] is not None and busy["interval"]:
        v = verdict(busy["interval"], CONTENDED_TARGET)
        out["contended"] = {"ratio": busy["ratio"], "interval": busy["interval"],
                            "met": v == "met", "verdict": v}
        lines.append(f"target, device faults with an mmap_lock writer at least "
                     f"{CONTENDED_TARGET:g}x stock: {busy['ratio']:.2f}x "
                     f"({INTERVAL:.0%} interval {busy['interval'][0]:.2f}x to "
                     f"{busy['interval'][1]:.2f}x), {v}")
    elif icount:
        lines.append(f"target, device faults with an mmap_lock writer at least "
                     f"{CONTENDED_TARGET:g}x stock: not measured (--icount: one vCPU "
                     f"cannot run the writer beside the faults)")
    out["lines"] = list(lines)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", type=str, required=True,
                    help="the run's directory, build/bench/<time>, with stock-N and patched-N")
    ap.add_argument("--quick", action="store_true",
                    help="a smoke run (make bench --quick): said in the report and chart")
    ap.add_argument("--base", type=str, default="", metavar="VER", help="the base's version, for the header")
    a = ap.parse_args()
    d = a.dir
    samples, cpus, runs = {}, {}, {}
    mode_file = os.path.join(d, "mode")
    mode = open(mode_file).read().strip() if os.path.exists(mode_file) else ""
    paired, icount = mode == "paired", mode == "icount"
    for k in KERNELS:
        samples[k], runs[k] = [], sorted(r for r in os.listdir(d)
                                         if re.fullmatch(rf"{k}-\d+", r))
        for r in runs[k]:
            got, cpus[k] = parse(os.path.join(d, r, "ktap.log"))
            if not got:
                raise SetupError(f"no HMM-BENCH samples in {d}/{r}/ktap.log")
            for g in got:
                g["boot"] = r
            samples[k] += got
        if not samples[k]:
            raise SetupError(f"no {k}-N run in {d}")
    keys = []
    for s in samples["patched"] + samples["stock"]:
        key = (s["metric"], s["backing"], s["size_mib"])
        if key not in keys:
            keys.append(key)
    keys.sort(key=lambda k: (ORDER.index(k[0]) if k[0] in ORDER else 99, k[1], k[2]))
    rows = []
    for metric, backing, size in keys:
        r = {"metric": metric, "backing": backing, "size_mib": size}
        mine = {k: [s for s in samples[k] if (s["metric"], s["backing"], s["size_mib"]) ==
                    (metric, backing, size)] for k in KERNELS}
        # This row's values, one list per boot (or round) of each kernel.
        boots = {k: {b: [s["value"] for s in mine[k] if s["boot"] == b] for b in runs[k]}
                 for k in KERNELS}
        r["unit"] = next(s["unit"] for s in mine["patched"] + mine["stock"])
        for k in KERNELS:
            r[k] = stats([s["value"] for s in mine[k]]) if mine[k] else None
            r[k + "_errors"] = sorted({s.get("error") for s in mine[k] if s["value"] is None})
        r["ratio"] = (r["patched"]["median"] / r["stock"]["median"]
                      if r["stock"] and r["patched"] and r["stock"]["median"] else None)
        r["interval"] = None
        if paired and r["ratio"] is not None:
            rounds = []
            for n in sorted({b.split("-")[1] for b in runs["stock"]} &
                            {b.split("-")[1] for b in runs["patched"]}, key=int):
                one = {k: boots[k][f"{k}-{n}"] for k in KERNELS}
                if len(one["stock"]) != len(one["patched"]):
                    raise SystemExit(f"paired run: {metric} {backing} {size}M has "
                                     f"{len(one['stock'])} stock and {len(one['patched'])} "
                                     f"patched samples in round {n}")
                rounds.append(list(zip(one["stock"], one["patched"])))
            r["ratio"], r["interval"] = paired_ratio(rounds, f"{metric}/{backing}/{size}")
        elif r["ratio"] is not None:
            r["interval"] = ratio_interval([v for v in boots["stock"].values() if v],
                                           [v for v in boots["patched"].values() if v],
                                           f"{metric}/{backing}/{size}")
        r["limit_fraction"] = {}
        rows.append(r)
    # The limit of a migration: memcpy of the same size on the same kernel.
    for r in rows:
        if r["metric"].startswith("migrate"):
            mc = next((x for x in rows if x["metric"] == "memcpy" and
                       x["size_mib"] == r["size_mib"]), None)
            for k in KERNELS:
                if r[k] and mc and mc[k]:
                    r["limit_fraction"][k] = r[k]["median"] / mc[k]["median"]

    accel = open(os.path.join(d, runs["stock"][0], "accel")).read().strip()
    accel_p = open(os.path.join(d, runs["patched"][0], "accel")).read().strip()
    how = ("QEMU TCG -icount shift=0 (the guest's clock counts instructions: a rate "
           "per second is per 10^9 guest instructions)" if icount else
           f"QEMU {accel.upper()}")
    head = (f"make bench, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
            f"{platform.node()} ({os.cpu_count()} host CPUs), {how}, "
            f"{cpus['stock']} vCPU{'' if cpus['stock'] == 1 else 's'}; base {a.base}; " +
            (f"{len(runs['stock'])} rounds of the two kernels taking turns, sample by "
             f"sample; patched/stock is the median of the per-pair ratios; median of "
             if paired else
             ("one boot of each kernel; median of " if len(runs["stock"]) == 1 else
              f"{len(runs['stock'])} boots of each kernel in ABBA order; median of ")) +
            f"{rows[0]['patched']['n'] if rows[0]['patched'] else '?'} samples"
            f"{' (quick smoke run)' if a.quick else ''}")
    lines = [head, ""]
    w = max(len(f"{r['metric']} {r['backing']} {r['size_mib']}M") for r in rows)
    lines.append(f"{'metric':<{w}}  {'stock':>18}  {'patched':>18}  {'patched/stock':>13}  "
                 f"{f'{INTERVAL:.0%} interval':>13}  {'of the limit':>12}")
    lines.append("-" * (w + 86))
    for r in rows:
        name = f"{r['metric']} {r['backing']} {r['size_mib']}M"
        st = fmt(r["stock"]["median"] if r["stock"] else None, r["unit"])
        pt = fmt(r["patched"]["median"] if r["patched"] else None, r["unit"])
        ratio = f"{r['ratio']:.2f}x" if r["ratio"] is not None else "n/a"
        iv = f"{r['interval'][0]:.2f}-{r['interval'][1]:.2f}x" if r["interval"] else ""
        frac = r["limit_fraction"].get("patched")
        frac = f"{100 * frac:.0f}%" if frac is not None else ""
        lines.append(f"{name:<{w}}  {st:>18}  {pt:>18}  {ratio:>13}  {iv:>13}  {frac:>12}")
    notes = [r for r in rows if not r["stock"] and r["stock_errors"]]
    if notes:
        lines.append("")
        for r in notes:
            lines.append(f"n/a on stock: {r['metric']} {r['backing']} {r['size_mib']}M "
                         f"({', '.join(e for e in r['stock_errors'] if e)})")
    targets = fault_targets(rows, icount)
    lines += [""] + targets.pop("lines")
    table = "\n".join(lines) + "\n"
    write(os.path.join(d, "table.txt"), table)
    print(table, end="")
    have_chart = chart(d, rows, a.quick)
    result = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "host": platform.node(), "host_cpus": os.cpu_count(),
        "accel": {"stock": accel, "patched": accel_p},
        "guest_cpus": cpus, "base": a.base, "quick": a.quick, "paired": paired,
        "icount": icount,
        "boots": runs, "rows": rows, "targets": targets, "samples": samples,
        "chart": "chart.png" if have_chart else None,
    }
    write(os.path.join(d, "results.json"), json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    run_main(main)
