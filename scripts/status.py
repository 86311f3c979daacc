#!/usr/bin/env python3
"""status.py - the latest figures, read from build/: make status.

Usage: scripts/status.py [--build DIR]

Prints, from what the last runs left in build/ (nothing is run): the
series' patch count; the last make test (build/test/results.json): each
stage that did not pass and the time; the latest guest run of each kernel
(build/results/*/summary.json): counts and splats; the latest full make
bench (build/bench/*/results.json, not a --quick run): its targets; the
latest make mm-selftests (build/mm-selftests/latest/compare.json). A part
with no run yet says which make target makes one. So the README need not
quote figures that change.
"""
import argparse
import json
import os
import time

from hmmcommon import TOP, SetupError, run_main, series_patches


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except json.JSONDecodeError as e:
        raise SetupError(f"{path}: not JSON ({e})") from None


def when(path):
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(os.path.getmtime(path)))


def test_part(build):
    path = os.path.join(build, "test", "results.json")
    if not os.path.exists(path):
        return ["make test: no run yet (make test)"]
    r = load(path)
    c = r["counts"]
    out = [f"make test ({when(path)}, {r['seconds'] / 60:.1f} min): {c['pass']} stages passed, "
           f"{c['FAIL']} failed, {c['ERROR']} setup errors, {c['not run']} not run, "
           f"{c['skipped']} skipped"]
    for s in r["stages"]:
        if s["result"] in ("FAIL", "ERROR", "not run"):
            first = f": {s['first_error']}" if s.get("first_error") else ""
            out.append(f"  {s['name']}: {s['result']} ({s['log']}){first}")
    return out


def guest_part(build):
    d = os.path.join(build, "results")
    latest = {}
    for name in sorted(os.listdir(d)) if os.path.isdir(d) else []:
        path = os.path.join(d, name, "summary.json")
        if name != "latest" and os.path.exists(path):
            latest[name.split("-", 2)[-1]] = path     # <date>-<time>-KERNEL
    if not latest:
        return ["guest: no run yet (make run)"]
    out = []
    for kernel, path in sorted(latest.items()):
        s = load(path)
        out.append(f"guest {kernel} ({when(path)}, {s.get('kernel') or '?'}): {s['passed']} passed, "
                   f"{s['failed']} failed, {s['skipped']} skipped, {s['splats']} splats"
                   + ("" if s.get("complete", True) else f", incomplete ({s.get('status')})"))
    return out


def bench_part(build):
    d = os.path.join(build, "bench")
    runs = []
    for name in sorted(os.listdir(d)) if os.path.isdir(d) else []:
        path = os.path.join(d, name, "results.json")
        if name != "latest" and os.path.exists(path):
            r = load(path)
            if not r.get("quick"):
                runs.append((name, path, r))
    if not runs:
        return ["make bench: no full run yet (make bench)"]
    name, path, r = runs[-1]
    mode = "paired" if r.get("paired") else "icount" if r.get("icount") else "ABBA"
    boots = r.get("boots")
    rounds = len(boots.get("stock", [])) if isinstance(boots, dict) else "?"
    out = [f"make bench (build/bench/{name}, {mode}, {rounds} rounds):"]
    t = r["targets"]
    if "single" in t:
        s = t["single"]
        out.append(f"  faults alone, at most 5% slower: {s['min']:.2f}x to {s['max']:.2f}x, "
                   f"{s['verdict']}")
    if "contended" in t:
        c = t["contended"]
        out.append(f"  with an mmap_lock writer, at least 2x: {c['ratio']:.2f}x "
                   f"({c['interval'][0]:.2f}x-{c['interval'][1]:.2f}x), {c['verdict']}")
    if "contended_over_alone" in t:
        f = t["contended_over_alone"]
        out.append(f"  rate kept under the writer: stock {f['stock']:.2f}, "
                   f"patched {f['patched']:.2f}")
    return out


def mm_part(build):
    path = os.path.join(build, "mm-selftests", "latest", "compare.json")
    if not os.path.exists(path):
        return ["make mm-selftests: no run yet (make mm-selftests)"]
    r = load(path)
    n = r["regressions"]
    n = len(n) if isinstance(n, list) else n
    return [f"make mm-selftests ({when(path)}): {n} regressions against stock, "
            f"{len(r['patched'])} programs"]


def report(build, top=TOP):
    return ([f"series: {len(series_patches(top))} patches (series, patches/)"] +
            test_part(build) + guest_part(build) + bench_part(build) + mm_part(build))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", type=str, default=os.environ.get("BUILD", os.path.join(TOP, "build")),
                    metavar="DIR", help="the build directory to read (default build/)")
    a = ap.parse_args(argv)
    print("\n".join(report(a.build)))
    return 0


if __name__ == "__main__":
    run_main(main)
