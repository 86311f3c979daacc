#!/usr/bin/env bash
# selftests/host/run.sh - host-side tests of our own tooling.
#
# Usage: selftests/host/run.sh [--help]
#
# Runs scripts/results.py (the KTAP parser and summary writer) on every
# recorded guest log under selftests/host/cases/NAME/ (ktap.log,
# console.log, and optionally status and expected-skips) and compares its
# exit code, counts and per-test results with NAME/expect.json, and its
# printed table and summary.json with the golden files NAME/golden.table
# and NAME/golden.json (UPDATE_GOLDEN=1 rewrites those); then runs
# scripts/reliability.py on two of those summaries, scripts/bench-report.py
# on made-up runs, need_space on a demand no disk meets, every script's
# --help, and the Python unit tests in selftests/host/test_*.py (one result
# per test). Ends with
#   host-tests: N passed, M failed
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
case ${1:-} in -h|--help) . "$top/scripts/lib.sh"; usage "$0" ;; esac

pass=0 fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
not_ok() { echo "FAIL - $1: $2"; fail=$((fail + 1)); }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for dir in "$here"/cases/*/; do
	name=$(basename "$dir")
	status=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("status","finished"))' "$dir/expect.json")
	skips=()
	[ -f "$dir/expected-skips" ] && skips=(--expected-skips "$dir/expected-skips")
	rc=0
	python3 "$top/scripts/results.py" --ktap "$dir/ktap.log" --console "$dir/console.log" \
		--status "$status" --json "$tmp/$name.json" "${skips[@]}" >"$tmp/$name.out" 2>&1 || rc=$?
	if msg=$(python3 - "$dir/expect.json" "$tmp/$name.json" "$rc" "$tmp/$name.out" <<'PY'
import json, re, sys
exp = json.load(open(sys.argv[1]))
got = json.load(open(sys.argv[2]))
rc = int(sys.argv[3])
out = open(sys.argv[4]).read()
errs = []
if ("exit" in exp) and (rc != 0) != (exp["exit"] != 0):
    errs.append(f"exit {rc}, want {exp['exit']}")
for k in ("passed", "failed", "skipped", "splats", "complete", "kernel", "cpus"):
    if k in exp and got.get(k) != exp[k]:
        errs.append(f"{k} = {got.get(k)!r}, want {exp[k]!r}")
for k, v in exp.get("reliability", {}).items():
    if got.get("reliability", {}).get(k) != v:
        errs.append(f"reliability.{k} = {got.get('reliability', {}).get(k)!r}, want {v!r}")
tests = {t["name"]: t for t in got["tests"]}
for n, r in exp.get("tests", {}).items():
    if n not in tests:
        errs.append(f"no test {n}")
    elif tests[n]["result"] != r:
        errs.append(f"{n}: {tests[n]['result']}, want {r}")
for n, r in exp.get("reasons", {}).items():
    if n in tests and r not in tests[n]["reason"]:
        errs.append(f"{n}: reason {tests[n]['reason']!r} lacks {r!r}")
for n, s in exp.get("seconds", {}).items():
    if n in tests and tests[n]["seconds"] != s:
        errs.append(f"{n}: seconds {tests[n]['seconds']}, want {s}")
last = out.rstrip("\n").splitlines()[-1]
per = {}
for t in got["tests"]:
    per[t["program"]] = per.get(t["program"], 0) + 1
want = f"guest: {got['passed']} passed, {got['failed']} failed, {got['skipped']} skipped"
if len(per) > 1:
    want += " (" + ", ".join(f"{p} {n}" for p, n in per.items()) + ")"
if last != want:
    errs.append(f"last line {last!r}, want {want!r}")
print("; ".join(errs))
sys.exit(1 if errs else 0)
PY
	); then
		ok "$name"
	else
		not_ok "$name" "$msg"
	fi
	# Golden files: the printed table and summary.json, byte for byte (the
	# case's directory written as CASE/). UPDATE_GOLDEN=1 rewrites them.
	sed "s|$dir|CASE|g" "$tmp/$name.out" >"$tmp/$name.table"
	sed "s|$dir|CASE|g" "$tmp/$name.json" >"$tmp/$name.summary"
	if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
		cp "$tmp/$name.table" "$dir/golden.table"
		cp "$tmp/$name.summary" "$dir/golden.json"
	fi
	for g in table:golden.table summary:golden.json; do
		if [ ! -f "$dir/${g#*:}" ]; then
			not_ok "$name ${g#*:}" "no golden file (UPDATE_GOLDEN=1 writes it)"
		elif out=$(diff -u "$dir/${g#*:}" "$tmp/$name.${g%%:*}"); then
			ok "$name ${g#*:}"
		else
			not_ok "$name ${g#*:}" "$(head -20 <<<"$out" | tr '\n' ' ')"
		fi
	done
done
# scripts/reliability.py on two runs: the figures add up, and a leak fails.
mkdir -p "$tmp/r1" "$tmp/r2"
cp "$tmp/stress-figures.json" "$tmp/r1/summary.json"
cp "$tmp/all-pass.json" "$tmp/r2/summary.json"
rc=0
python3 "$top/scripts/reliability.py" --run "$tmp/r1" --run "$tmp/r2" --into "$tmp/r2/summary.json" \
	--require-faults >"$tmp/rel.out" 2>&1 || rc=$?
if [ "$rc" = 1 ] && grep -q 'FAIL: 2 suspected leaks' "$tmp/rel.out" &&
	python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["reliability"]; sys.exit(not (r["kernels_booted"] == 2 and r["stress_ops"] == 5373 and r["faults_injected"] == 96 and r["leaks"] == 2))' "$tmp/r2/summary.json"; then
	ok reliability-report
else
	not_ok reliability-report "exit $rc; $(tail -3 "$tmp/rel.out" | tr '\n' ' ')"
fi
# scripts/bench-report.py: the device-fault targets are judged from the
# bootstrap intervals of the median ratios. Tight samples: one target met
# and one not, and a row 10% faster than stock counts as met (the band
# is one-sided); samples spread by half: neither settled.
rc=0
python3 - "$tmp" "$here" <<'PY' || rc=$?
import sys
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[2])
from bench_fixture import write_run
vals = {"stock": {"read_fault": 100, "fault_1page": 100, "fault_1page_contended": 40},
        "patched": {"read_fault": 90, "fault_1page": 110, "fault_1page_contended": 90}}
for run, spread in (("bench", 0.01), ("bench-spread", 0.5)):
    write_run(f"{sys.argv[1]}/{run}",
              {k: {m: [v * (1 - spread), v, v * (1 + spread)] for m, v in mv.items()}
               for k, mv in vals.items()})
PY
for run in bench bench-spread; do
	python3 "$top/scripts/bench-report.py" --dir "$tmp/$run" >"$tmp/$run.out" 2>&1 || rc=$?
done
if [ "$rc" = 0 ] && python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))["targets"]
u = json.load(open(sys.argv[2]))["targets"]
ok = (t["single"]["verdict"] == "NOT met" and not t["single"]["met"] and
      abs(t["single"]["min"] - 0.9) < 1e-9 and t["single"]["rows_met"] == 1 and
      t["contended"]["verdict"] == "met" and t["contended"]["met"] and
      abs(t["contended"]["ratio"] - 2.25) < 1e-9 and
      2.0 < t["contended"]["interval"][0] < 2.25 < t["contended"]["interval"][1] < 2.4 and
      abs(t["contended_over_alone"]["stock"] - 0.4) < 1e-9 and
      u["single"]["verdict"] == "not settled" and not u["single"]["met"] and
      u["contended"]["verdict"] == "not settled" and not u["contended"]["met"] and
      abs(u["contended"]["ratio"] - 2.25) < 1e-9 and u["contended"]["interval"][0] < 2.0)
sys.exit(not ok)' "$tmp/bench/results.json" "$tmp/bench-spread/results.json" &&
	grep -Eq "at least 2x stock: 2\.25x \(90% interval 2\.[0-9]+x to 2\.[0-9]+x\), met$" "$tmp/bench.out" &&
	grep -q "at most 5% slower than stock (2 rows: fault_1page, read_fault from 32M): 0.90x to 1.10x; by 90% interval 1 met, 1 not, 0 not settled: NOT met" "$tmp/bench.out" &&
	grep -q "at least 2x stock: 2.25x (90% interval .*), not settled" "$tmp/bench-spread.out"; then
	ok bench-targets
else
	not_ok bench-targets "exit $rc; $(tail -4 "$tmp/bench.out" "$tmp/bench-spread.out" | tr '\n' ' ')"
fi
# scripts/bench-pair.py: two fake guests take turns, swapping who goes
# first at every step; a guest that ends before the other fails by name.
rc=0
out=$(python3 - "$top" "$tmp/pair" <<'PY' 2>&1
import os, socket, subprocess, sys, threading, time
top, d = sys.argv[1], sys.argv[2]


def run(steps):
    for f in ("a", "b", "ready"):
        if os.path.exists(f"{d}/{f}"):
            os.unlink(f"{d}/{f}")
    os.makedirs(d, exist_ok=True)
    p = subprocess.Popen([sys.executable, f"{top}/scripts/bench-pair.py",
                          "--socket", f"a={d}/a", "--socket", f"b={d}/b", "--first", "a",
                          "--ready", f"{d}/ready", "--timeout", "10", "--boot-timeout", "10"],
                         stderr=subprocess.PIPE, text=True)
    for _ in range(500):
        if os.path.exists(f"{d}/ready"):
            break
        time.sleep(0.01)
    order, lock = [], threading.Lock()

    def guest(name, n):
        s = socket.socket(socket.AF_UNIX)
        s.connect(f"{d}/{name}")
        s.sendall(b"r")
        for i in range(n):
            if s.recv(1) != b"g":
                return
            with lock:
                order.append(name)
            time.sleep(0.005)
            s.sendall(b"e" if i == n - 1 else b"r")
    for name in ("a", "b"):
        threading.Thread(target=guest, args=(name, steps[name]), daemon=True).start()
    err = p.communicate(timeout=30)[1]
    return p.returncode, "".join(order), err


rc, order, err = run({"a": 4, "b": 4})
assert rc == 0 and order == "abbaabba", (rc, order, err)
rc, order, err = run({"a": 2, "b": 4})
assert rc == 1 and "the a guest ended at step 2 while the other went on" in err, (rc, order, err)
print("pairing ok")
PY
) || rc=$?
if [ "$rc" = 0 ] && [ "$out" = "pairing ok" ]; then
	ok bench-pair
else
	not_ok bench-pair "exit $rc; $(tail -3 <<<"$out" | tr '\n' ' ')"
fi
# scripts/bench-report.py on a paired run: samples that swing with the host
# in step on both kernels give their true ratio, where the medians of the
# same samples, unpaired, settle nothing.
rc=0
python3 - "$tmp" "$here" <<'PY' || rc=$?
import sys
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[2])
from bench_fixture import write_run
base = {"read_fault": (100, 0.9), "fault_1page": (100, 1.0),
        "fault_1page_contended": (40, 2.25)}
speeds = (1, 0.5, 1, 0.5, 1, 0.5)
for run in ("paired", "unpaired"):
    write_run(f"{sys.argv[1]}/{run}",
              {k: {m: [v * s * (r if k == "patched" else 1) for s in speeds]
                   for m, (v, r) in base.items()} for k in ("stock", "patched")},
              mode="paired" if run == "paired" else "")
PY
for run in paired unpaired; do
	python3 "$top/scripts/bench-report.py" --dir "$tmp/$run" >"$tmp/$run.out" 2>&1 || rc=$?
done
if [ "$rc" = 0 ] && python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))
u = json.load(open(sys.argv[2]))
row = lambda r, m: next(x for x in r["rows"] if x["metric"] == m)
ok = (p["paired"] and not u["paired"] and
      abs(row(p, "read_fault")["ratio"] - 0.9) < 1e-9 and
      abs(row(p, "read_fault")["interval"][1] - 0.9) < 1e-9 and
      p["targets"]["single"]["verdict"] == "NOT met" and
      p["targets"]["contended"]["verdict"] == "met" and
      u["targets"]["single"]["verdict"] == "not settled" and
      u["targets"]["contended"]["verdict"] == "not settled")
sys.exit(not ok)' "$tmp/paired/results.json" "$tmp/unpaired/results.json" &&
	grep -q "rounds of the two kernels taking turns" "$tmp/paired.out"; then
	ok bench-paired
else
	not_ok bench-paired "exit $rc; $(tail -3 "$tmp/paired.out" | tr '\n' ' ')"
fi
# scripts/bench-report.py on an --icount run: the header says that rates
# are per 10^9 guest instructions, and the contended target, which one
# vCPU cannot measure, is reported as not measured rather than left out.
rc=0
python3 - "$tmp" "$here" <<'PY' || rc=$?
import sys
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[2])
from bench_fixture import write_run
write_run(f"{sys.argv[1]}/icount",
          {"stock": {"read_fault": [100, 100, 100], "fault_1page": [100, 100, 100]},
           "patched": {"read_fault": [101, 101, 101], "fault_1page": [106, 106, 106]}},
          mode="icount")
PY
python3 "$top/scripts/bench-report.py" --dir "$tmp/icount" >"$tmp/icount.out" 2>&1 || rc=$?
if [ "$rc" = 0 ] && python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
t = r["targets"]
sys.exit(not (r["icount"] and not r["paired"] and "contended" not in t and
              t["single"]["verdict"] == "met" and abs(t["single"]["max"] - 1.06) < 1e-9))' \
	"$tmp/icount/results.json" &&
	grep -q "QEMU TCG -icount shift=0 (the guest's clock counts instructions" "$tmp/icount.out" &&
	grep -q "^target, device faults with an mmap_lock writer at least 2x stock: not measured (--icount" "$tmp/icount.out"; then
	ok bench-icount
else
	not_ok bench-icount "exit $rc; $(tail -3 "$tmp/icount.out" | tr '\n' ' ')"
fi
# --help of every script: exit 0, a Usage: line, and only the comment
# block at the top (not the code after it).
bad=""
for f in "$top"/scripts/*.sh "$0"; do
	[ "$(basename "$f")" != lib.sh ] || continue
	out=$(bash "$f" --help 2>&1) || { bad="$bad $(basename "$f")(exit)"; continue; }
	grep -q "^Usage: " <<<"$out" || bad="$bad $(basename "$f")(no Usage:)"
	! grep -qE "^(set -euo|\. )" <<<"$out" || bad="$bad $(basename "$f")(code in help)"
done
if [ -z "$bad" ]; then
	ok script-help
else
	not_ok script-help "$bad"
fi
# need_space (scripts/lib.sh): a disk too full for a step stops it by name.
rc=0
out=$(bash -c '. "$1/scripts/lib.sh"; need_space "$2/not/yet" 1; need_space "$2/not/yet" 999999999 "a test step"' _ "$top" "$tmp" 2>&1) || rc=$?
if [ "$rc" = 2 ] && grep -q "^ERROR: a test step needs about 999999999 MiB free on the file system of $tmp; it has [0-9]* MiB" <<<"$out"; then
	ok need-space
else
	not_ok need-space "exit $rc; $out"
fi
# The Python unit tests (selftests/host/test_*.py), one result each.
rc=0
python3 -B -m unittest discover -v -s "$here" -p 'test_*.py' >"$tmp/unit.out" 2>&1 || rc=$?
while read -r name _ res; do
	case $res in
	ok) ok "unit $name" ;;
	*) not_ok "unit $name" "$res" ;;
	esac
done < <(sed -n 's/^\(test_[a-z_0-9]*\) (\([^)]*\)) \.\.\. \(.*\)$/\1 \2 \3/p' "$tmp/unit.out")
[ "$rc" = 0 ] || not_ok unit-tests "$(tail -5 "$tmp/unit.out" | tr '\n' ' ')"
echo "host-tests: $pass passed, $fail failed"
[ "$fail" = 0 ]
