#!/usr/bin/env python3
"""Parse the guest's KTAP and console log into a results table and summary.json.

Usage: scripts/results.py --ktap FILE --console FILE [--expected-skips FILE]
                          [--status finished|timeout|crashed|qemu-error]
                          [--base VER] [--accel kvm|tcg|icount] [--json OUT]
                          [--label NAME] [--quiet]

The KTAP comes from the guest runner (selftests/guest/run-tests): one
top-level result per program with the program's kselftest TAP nested under
it. The console log is scanned for kernel splats; a splat is tied to the
test that was running (the runner writes "hmm-runner: start PROG TEST" to
/dev/kmsg) and fails it. A skip not listed in the expected-skips file
counts as a failure. Each result in summary.json names its program. Exits
1 on any failure, splat or incomplete run, 2 when an input cannot be read.
"""
import argparse
import fnmatch
import json
import re
from hmmcommon import run_main

RESULT_RE = re.compile(r"^(not ok|ok)\s+(\d+)(?:\s+-)?\s*([^#]*?)\s*(?:#\s*(.*))?$")
TS_RE = re.compile(r"^\[\s*\d+\.\d+\]\s?")
# Kernel splat headers, matched at the start of a console line.
SPLAT_RES = [re.compile(p) for p in (
    r"^WARNING: ",
    r"^BUG: ",
    r"^kernel BUG at ",
    r"^Oops: ",
    r"^.*general protection fault",
    r"^Kernel panic - ",
    r"^UBSAN: ",
    r"^.*KASAN: ",
    r"^INFO: (possible|trying|task .* blocked|rcu)",
    r"^.*rcu: INFO: .*detected stall",
    r"^.*rcu_.*self-detected stall",
    r"^watchdog: BUG: soft lockup",
    r"^.*soft lockup - CPU",
    r"^.*[Hh]ard LOCKUP",
    r"^.*possible (circular|recursive) locking",
    r"^.*inconsistent lock state",
    r"^.*suspicious RCU usage",
    r"^.*unreferenced object 0x",
)]
# Debug reports that are not bugs, with the stack dump that follows them:
# CONFIG_DEBUG_VM's handle_userfault() dumps the stack of every fault that
# reaches a userfaultfd handler without FAULT_FLAG_ALLOW_RETRY, which is how
# a kernel thread's device fault is refused one that would wait (and how
# every hmm_range_fault() of a registered range fails).
NOTE_RES = [re.compile(p) for p in (
    r"^FAULT_FLAG_ALLOW_RETRY missing [0-9a-f]+$",
)]
CALL_TRACE_RE = re.compile(r"^\s*Call Trace:")
SPLAT_WINDOW = 80  # console lines a Call Trace may follow its header by
HEADER_WINDOW = 10  # console lines within which headers belong to one report


class Node:
    def __init__(self, name, result, number, directive):
        self.name = name
        self.result = result
        self.number = number
        self.directive = directive or ""
        self.children = []
        self.plan = None
        self.diag = []
        self.seconds = None
        # A test of this program that started and had no result when the
        # program ended (killed at its time limit, say).
        self.unfinished = None


def parse_ktap(lines):
    """Return (top-level nodes, info dict)."""
    info = {"kernel": None, "cpus": None, "complete": False, "plan": None,
            "running": {}, "durations": {}}
    pending = {0: []}      # depth -> results at that depth not yet claimed
    plans = {}             # depth -> plan of the (sub)document being read
    diag = {}              # depth -> diagnostic lines since the last result
    for raw in lines:
        line = raw.rstrip("\n").replace("\t", "    ")
        stripped = line.lstrip(" ")
        depth = (len(line) - len(stripped)) // 4
        if not stripped:
            continue
        if re.match(r"^K?TAP version \d+", stripped):
            pending[depth] = []
            plans[depth] = None
            continue
        m = re.match(r"^1\.\.(\d+)", stripped)
        if m:
            plans[depth] = int(m.group(1))
            if depth == 0:
                info["plan"] = int(m.group(1))
            continue
        if stripped.startswith("#"):
            body = stripped[1:].strip()
            m = re.match(r"hmm-runner: (\w+)\s*(.*)$", body)
            if m:
                key, rest = m.groups()
                if key == "uname":
                    info["kernel"] = rest
                elif key == "cpus":
                    info["cpus"] = rest
                elif key == "done":
                    info["complete"] = True
                elif key == "start" and depth == 0:
                    info["program"] = rest
                elif key == "duration":
                    name, _, sec = rest.rpartition(" ")
                    try:
                        info["durations"][(depth, name)] = float(sec)
                    except ValueError:
                        pass
                continue
            m = re.match(r"^#\s+RUN\s+(\S+)", stripped)
            if m:
                info["running"][depth] = m.group(1)
                diag[depth] = []
                continue
            diag.setdefault(depth, []).append(body)
            continue
        m = RESULT_RE.match(stripped)
        if m:
            status, number, name, directive = m.groups()
            if status == "ok":
                result = "skip" if directive and directive.upper().startswith("SKIP") else "pass"
            else:
                result = "fail"
            node = Node(name or f"#{number}", result, int(number), directive)
            node.children = pending.get(depth + 1, [])
            node.plan = plans.get(depth + 1)
            node.diag = diag.get(depth, [])
            pending[depth + 1] = []
            plans[depth + 1] = None
            diag[depth] = []
            diag[depth + 1] = []
            if info["running"].get(depth) == node.name:
                del info["running"][depth]
            node.unfinished = info["running"].pop(depth + 1, None)
            pending.setdefault(depth, []).append(node)
    for (depth, name), sec in info["durations"].items():
        for node in walk(pending.get(0, []), 0):
            if node[1] == depth and node[0].name == name and node[0].seconds is None:
                node[0].seconds = sec
    top = pending.get(0, [])
    info["dangling"] = {d: pending[d] for d in pending if d > 0 and pending[d]}
    return top, info


def walk(nodes, depth):
    for n in nodes:
        yield n, depth
        yield from walk(n.children, depth + 1)


def skip_reason(directive):
    return re.sub(r"^SKIP\s*", "", directive, flags=re.I).strip()


STRONG_RE = re.compile(r"Expected|\b(MISMATCH|ERROR|HANG|FATAL)\b")


def fail_reason(node):
    for d in node.diag:
        if STRONG_RE.search(d):
            return d
    for d in node.diag:
        if "FAIL" in d or re.search(r"\berror\b", d, re.I):
            return d
    if node.directive:
        return node.directive
    return node.diag[-1] if node.diag else ""


def leaves(top, info, status):
    """Flatten into a list of test dicts."""
    out = []
    program = ["(runner)"]

    def add(name, result, reason="", seconds=None):
        out.append({"name": name, "result": result, "reason": reason,
                    "seconds": seconds, "program": program[0]})

    def visit(node, prefix):
        name = prefix + node.name
        if not node.children:
            reason = (skip_reason(node.directive) if node.result == "skip"
                      else fail_reason(node) if node.result == "fail" else "")
            add(name, node.result, reason, node.seconds)
            return
        for c in node.children:
            visit(c, "" if not prefix and node in top else name + "/")
        why = f" ({node.directive})" if node.directive else ""
        if node.unfinished:
            add(("" if not prefix and node in top else name + "/") + node.unfinished,
                "fail", f"no result: {node.name} ended{why}")
        kids_failed = any(c.result == "fail" for c in node.children)
        if node.plan is not None and len(node.children) < node.plan:
            add(name, "fail", f"incomplete: {len(node.children)} of {node.plan} results{why}",
                node.seconds)
        elif node.result == "fail" and not kids_failed:
            add(name, "fail", f"failed without a failing subtest ({node.directive})",
                node.seconds)

    for node in top:
        program[0] = node.name
        visit(node, "")
    program[0] = "(runner)"
    # The program or test that was running when the output stopped.
    if not info["complete"]:
        why = {"timeout": "hang: no result before the guest timeout",
               "crashed": "guest crashed before the result"}.get(status, "no result")
        # The program the runner last started (older logs do not say).
        program[0] = info.get("program") or "(runner)"
        for depth in sorted(info["running"]):
            add(info["running"][depth], "fail", why)
        # Results of the program that never reported its own result.
        for depth, nodes in sorted(info["dangling"].items()):
            for node in nodes:
                visit(node, "")
        program[0] = "(runner)"
        plan = info["plan"]
        if plan is not None and len(top) < plan:
            add("(runner)", "fail", f"incomplete: {len(top)} of {plan} programs reported")
        elif plan is None:
            add("(runner)", "fail", f"{why}: the runner printed no plan")
    return out


def scan_console(lines):
    """Return a list of splats {line, test, lineno}."""
    splats = []
    current = None
    # Line of the last splat line seen while its report is still open: one
    # report (BUG, Oops, Call Trace, panic) counts once. "---[ end trace"
    # closes it. A header more than HEADER_WINDOW lines after the header
    # that opened the report starts a new one even so: reports without an
    # end marker (an allocation failure's dump_stack(), an RCU stall) must
    # not swallow the next one.
    open_at = note_at = None
    header_at = -10 ** 9
    closed_at = -10 ** 9
    for i, raw in enumerate(lines):
        line = TS_RE.sub("", raw.rstrip("\n"))
        m = re.match(r"^hmm-runner: start (\S+)(?: (\S+))?", line)
        if m:
            current = m.group(2) or m.group(1)
            continue
        if line.startswith("hmm-runner: done"):
            current = None
            continue
        if line.startswith("---[ end trace"):
            open_at, closed_at = None, i
            continue
        if any(r.match(line) for r in NOTE_RES):
            note_at = i
            continue
        header = any(r.match(line) for r in SPLAT_RES)
        trace = CALL_TRACE_RE.match(line)
        if not header and not trace:
            continue
        # The first Call Trace after a note, within a few lines, is its own.
        if trace and note_at is not None and i - note_at <= HEADER_WINDOW:
            note_at = None
            continue
        near_open = open_at is not None and i - open_at <= SPLAT_WINDOW
        in_report = near_open and not (header and i - header_at > HEADER_WINDOW)
        # The panic that an oops ends in belongs to that oops.
        if line.startswith("Kernel panic") and (near_open or i - closed_at <= SPLAT_WINDOW):
            in_report = True
        if not in_report:
            splats.append({"line": line.strip() if header else "Call Trace (no header)",
                           "test": current, "lineno": i + 1})
            header_at = i
        open_at = i
    return splats


STRESS_RE = re.compile(r"#\s*hmm-stress: (?:seed=\d+ )?((?:\w+=[-\d.]+ ?)+)$")
STRESS_KEYS = {"ops": "stress_ops", "bytes_verified": "bytes_verified",
               "mismatches": "mismatches", "faults_injected": "faults_injected",
               "errors": "stress_errors"}


def stress_figures(lines):
    """Sum the figures hmm-stress prints at the end of each run."""
    out = {v: 0 for v in STRESS_KEYS.values()}
    out["stress_runs"] = 0
    for line in lines:
        m = STRESS_RE.search(line.strip())
        if not m:
            continue
        fields = dict(kv.split("=", 1) for kv in m.group(1).split())
        if "ops" in fields:
            out["stress_runs"] += 1
        for k, v in fields.items():
            if k in STRESS_KEYS:
                out[STRESS_KEYS[k]] += int(float(v))
    return out


def load_expected_skips(path):
    out = []
    if not path:
        return out
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            pat, _, why = line.partition(" ")
            out.append((pat, why.strip()))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ktap", type=str, required=True, metavar="FILE",
                    help="the guest's KTAP output (ktap.log)")
    ap.add_argument("--console", type=str, required=True, metavar="FILE",
                    help="the guest's console (console.log), scanned for splats")
    ap.add_argument("--expected-skips", type=str, metavar="FILE",
                    help="the skips allowed, one PATTERN REASON per line")
    ap.add_argument("--status", default="finished",
                    choices=("finished", "timeout", "crashed", "qemu-error"),
                    help="how the guest ended (boot.sh's status file)")
    ap.add_argument("--base", type=str, default="", metavar="VER", help="the base's version, for the summary")
    ap.add_argument("--accel", type=str, default="", help="QEMU's accelerator, for the summary")
    ap.add_argument("--json", type=str, metavar="FILE", help="write summary.json here")
    ap.add_argument("--label", type=str, default="guest",
                    help="the name on the closing line (default guest)")
    ap.add_argument("--quiet", action="store_true", help="no table, only the summary line")
    a = ap.parse_args(argv)

    with open(a.ktap, errors="replace") as f:
        ktap_lines = f.readlines()
    top, info = parse_ktap(ktap_lines)
    with open(a.console, errors="replace") as f:
        splats = scan_console(f.readlines())
    tests = leaves(top, info, a.status)
    expected = load_expected_skips(a.expected_skips)

    for t in tests:
        if t["result"] == "skip":
            why = [w for p, w in expected if fnmatch.fnmatchcase(t["name"], p)]
            if not why:
                t["result"] = "fail"
                t["reason"] = f"unlisted skip: {t['reason']}"
            else:
                t["reason"] = f"{t['reason']} (expected: {why[0]})"
    by_name = {t["name"]: t for t in tests}
    for s in splats:
        t = by_name.get(s["test"])
        if t is not None:
            t["result"] = "fail"
            t["reason"] = (f"kernel splat: {s['line']}" +
                           (f"; {t['reason']}" if t["reason"] else ""))

    reliability = stress_figures(ktap_lines)
    reliability["kernels_booted"] = 1
    reliability["tests_run"] = len(tests)
    reliability["splats"] = len(splats)
    leak = by_name.get("kmemleak")
    reliability["leaks"] = None
    if leak is not None and leak["result"] == "pass":
        reliability["leaks"] = 0
    elif leak is not None:
        m = re.search(r"(\d+) suspected leaks", leak["reason"] or "")
        reliability["leaks"] = int(m.group(1)) if m else -1

    passed = sum(t["result"] == "pass" for t in tests)
    failed = sum(t["result"] == "fail" for t in tests)
    skipped = sum(t["result"] == "skip" for t in tests)
    if not tests:
        failed += 1
    summary = {
        "base": a.base,
        "kernel": info["kernel"],
        "accel": a.accel,
        "cpus": info["cpus"],
        "status": a.status,
        "complete": info["complete"],
        "passed": passed,
        "failed": failed,
        "skipped": skipped,
        "splats": len(splats),
        "splat_details": splats,
        "reliability": reliability,
        "tests": tests,
    }
    if a.json:
        with open(a.json + ".tmp", "w") as f:
            json.dump(summary, f, indent=2)
            f.write("\n")
        import os
        os.replace(a.json + ".tmp", a.json)

    if not a.quiet:
        w = max([len(t["name"]) for t in tests] + [4])
        print(f"{'test':<{w}}  {'result':<6}  {'seconds':>7}")
        print(f"{'-' * w}  ------  -------")
        for t in tests:
            sec = f"{t['seconds']:.2f}" if t["seconds"] is not None else "-"
            print(f"{t['name']:<{w}}  {t['result'].upper():<6}  {sec:>7}")
        problems = [t for t in tests if t["result"] != "pass"]
        if problems:
            print("\nDetails:")
            for t in problems:
                print(f"  {t['result'].upper()} {t['name']}: {t['reason']}")
        if splats:
            print(f"\nKernel splats ({len(splats)}) in {a.console}:")
            for s in splats:
                print(f"  line {s['lineno']}: {s['line']} (during {s['test'] or 'no test'})")
        if not info["complete"]:
            print(f"\nThe run is incomplete ({a.status}).")
    # The closing line counts every result of every program; say which.
    per = {}
    for t in tests:
        per[t["program"]] = per.get(t["program"], 0) + 1
    by = f" ({', '.join(f'{p} {n}' for p, n in per.items())})" if len(per) > 1 else ""
    print(f"{a.label}: {passed} passed, {failed} failed, {skipped} skipped{by}")
    ok = failed == 0 and not splats and info["complete"] and tests
    return 0 if ok else 1


if __name__ == "__main__":
    run_main(main)
