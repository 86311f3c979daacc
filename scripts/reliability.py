#!/usr/bin/env python3
"""reliability.py - the reliability report of one make test.

Usage: scripts/reliability.py --run DIR [--run DIR ...] [--into FILE]
                              [--require-stress] [--require-faults]
                              [--require-leak-check]

Adds up the "reliability" figures results.py wrote into DIR/summary.json
for each guest run (kernels booted, tests run, stress operations, bytes
verified, mismatches, faults injected, splats, leaks), prints them, and
writes the totals, with the runs they came from, under the "reliability"
key of FILE (a summary.json). Exits non-zero when a run has no figures,
when there is any splat, leak or mismatch, or when a --require-* figure
is missing: no stress run, no injected fault, no kmemleak result.
"""
import argparse
import json
import os
from hmmcommon import run_main

KEYS = ("kernels_booted", "tests_run", "stress_runs", "stress_ops",
        "bytes_verified", "mismatches", "stress_errors", "faults_injected",
        "splats", "leaks")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--run", action="append", required=True, help="a guest result directory")
    ap.add_argument("--into", type=str, help="summary.json to write the totals into")
    ap.add_argument("--require-stress", action="store_true",
                    help="fail unless some run ran the stress test")
    ap.add_argument("--require-faults", action="store_true",
                    help="fail unless some run injected faults")
    ap.add_argument("--require-leak-check", action="store_true",
                    help="fail unless some run has a kmemleak result")
    a = ap.parse_args(argv)

    total = {k: 0 for k in KEYS}
    leak_checked = False
    runs = []
    problems = []
    for d in a.run:
        path = os.path.join(d, "summary.json")
        try:
            with open(path) as f:
                rel = json.load(f).get("reliability")
        except (OSError, ValueError) as e:
            problems.append(f"{path}: {e}")
            continue
        if not rel:
            problems.append(f"{path}: no reliability figures")
            continue
        runs.append({"run": os.path.basename(os.path.normpath(d)), **rel})
        for k in KEYS:
            if k == "leaks":
                if rel.get("leaks") is not None:
                    leak_checked = True
                    total["leaks"] += rel["leaks"] if rel["leaks"] >= 0 else 1
                continue
            total[k] += rel.get(k) or 0
    if not leak_checked:
        total["leaks"] = None

    rows = [("kernels booted", total["kernels_booted"]),
            ("tests run", total["tests_run"]),
            ("stress runs", total["stress_runs"]),
            ("stress operations", total["stress_ops"]),
            ("bytes verified", total["bytes_verified"]),
            ("mismatches", total["mismatches"]),
            ("faults injected", total["faults_injected"]),
            ("splats", total["splats"]),
            ("leaks", "not checked" if total["leaks"] is None else total["leaks"])]
    print("reliability:")
    for name, v in rows:
        print(f"  {name:<18} {v:>14}")
    for r in runs:
        print(f"  run {r['run']}: {r['tests_run']} tests, {r['stress_ops']} stress ops, "
              f"{r['faults_injected']} faults injected, {r['splats']} splats, "
              f"leaks {'not checked' if r['leaks'] is None else r['leaks']}")

    if total["splats"]:
        problems.append(f"{total['splats']} kernel splats")
    if total["mismatches"]:
        problems.append(f"{total['mismatches']} stress mismatches")
    if total["leaks"]:
        problems.append(f"{total['leaks']} suspected leaks")
    if a.require_stress and not total["stress_ops"]:
        problems.append("no stress operations were run")
    if a.require_faults and not total["faults_injected"]:
        problems.append("no fault was injected")
    if a.require_leak_check and total["leaks"] is None:
        problems.append("no run checked for leaks")

    if a.into:
        with open(a.into) as f:
            summary = json.load(f)
        summary["reliability"] = {**total, "runs": runs, "problems": problems}
        with open(a.into + ".tmp", "w") as f:
            json.dump(summary, f, indent=2)
            f.write("\n")
        os.replace(a.into + ".tmp", a.into)

    for p in problems:
        print(f"  FAIL: {p}")
    print("reliability: " + ("FAIL" if problems else "pass"))
    return 1 if problems else 0


if __name__ == "__main__":
    run_main(main)
