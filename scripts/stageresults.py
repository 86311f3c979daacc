#!/usr/bin/env python3
"""stageresults.py - write make test's results.json from its stage table.

Usage: scripts/stageresults.py --out FILE --seconds S --exit N --logs DIR < TSV

Reads one line per stage from stdin, tab-separated: name, result (pass,
FAIL, ERROR, skipped, "not run"), seconds or "-", exit status or "-", and
the first error line (may be empty). Writes FILE: the stages, the count
of each result, the total seconds and make test's exit status. A stage
that did not run has no log. Run by scripts/test.sh.
"""
import argparse
import json
import os
import sys

from hmmcommon import TOP, SetupError, run_main

RESULTS = ("pass", "FAIL", "ERROR", "skipped", "not run")


def parse(lines, logs):
    stages = []
    shown = os.path.relpath(logs, TOP) if logs.startswith(TOP + os.sep) else logs
    for n, line in enumerate(lines, 1):
        fields = line.rstrip("\n").split("\t")
        if len(fields) != 5 or fields[1] not in RESULTS:
            raise SetupError(f"stage line {n}: want NAME RESULT SECONDS EXIT FIRST-ERROR, "
                             f"got {line!r}")
        name, result, secs, rc, first = fields
        ran = rc != "-"
        stages.append({"name": name, "result": result,
                       "seconds": float(secs) if secs != "-" else None,
                       "exit": int(rc) if ran else None,
                       "log": f"{shown}/{name}.log" if ran else None,
                       "first_error": first or None})
    return stages


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, type=str, metavar="FILE", help="results.json to write")
    ap.add_argument("--seconds", required=True, type=float, help="make test's total seconds")
    ap.add_argument("--exit", required=True, type=int, choices=(0, 1, 2),
                    help="make test's exit status")
    ap.add_argument("--logs", required=True, type=str, metavar="DIR",
                    help="the directory of the stage logs (build/test)")
    a = ap.parse_args(argv)
    stages = parse(sys.stdin.readlines(), a.logs)
    counts = {r: sum(s["result"] == r for s in stages) for r in RESULTS}
    with open(a.out + ".tmp", "w") as f:
        json.dump({"stages": stages, "counts": counts, "seconds": a.seconds, "exit": a.exit},
                  f, indent=1)
        f.write("\n")
    os.replace(a.out + ".tmp", a.out)
    return 0


if __name__ == "__main__":
    run_main(main)
