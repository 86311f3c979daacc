"""scripts/reliability.py, bench-report.py and bench-pair.py on made-up
input: one assertion per condition, so that a failure says which."""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
from bench_fixture import write_run  # noqa: E402  (the path is set just above)
from test_cases import CASES, run_case  # noqa: E402


def script(name, *args):
    return subprocess.run([sys.executable, "-B", os.path.join(TOP, "scripts", name), *args],
                          capture_output=True, text=True, timeout=120)


class Tmp(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.tmp = self._tmp.name

    def tearDown(self):
        self._tmp.cleanup()


class Reliability(Tmp):
    def test_two_runs_add_up_and_a_leak_fails(self):
        for run, case in (("r1", "stress-figures"), ("r2", "all-pass")):
            os.makedirs(f"{self.tmp}/{run}")
            with tempfile.TemporaryDirectory() as t:
                _, _, _, text = run_case(os.path.join(CASES, case), t)
            with open(f"{self.tmp}/{run}/summary.json", "w") as f:
                f.write(text)
        p = script("reliability.py", "--run", f"{self.tmp}/r1", "--run", f"{self.tmp}/r2",
                   "--into", f"{self.tmp}/r2/summary.json", "--require-faults")
        self.assertEqual(p.returncode, 1, "two suspected leaks fail the report")
        self.assertIn("FAIL: 2 suspected leaks", p.stdout + p.stderr)
        with open(f"{self.tmp}/r2/summary.json") as f:
            r = json.load(f)["reliability"]
        self.assertEqual(r["kernels_booted"], 2)
        self.assertEqual(r["stress_ops"], 5373)
        self.assertEqual(r["faults_injected"], 96)
        self.assertEqual(r["leaks"], 2)


class BenchTargets(Tmp):
    """The device-fault targets are judged from the bootstrap intervals of
    the median ratios. Tight samples: one target met and one not, and a
    row 10% faster than stock counts as met (the band is one-sided);
    samples spread by half: neither settled."""

    def report(self, run, vals, spread):
        write_run(f"{self.tmp}/{run}",
                  {k: {m: [v * (1 - spread), v, v * (1 + spread)] for m, v in mv.items()}
                   for k, mv in vals.items()})
        p = script("bench-report.py", "--dir", f"{self.tmp}/{run}")
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(f"{self.tmp}/{run}/results.json") as f:
            return json.load(f)["targets"], p.stdout

    VALS = {"stock": {"read_fault": 100, "fault_1page": 100, "fault_1page_contended": 40},
            "patched": {"read_fault": 90, "fault_1page": 110, "fault_1page_contended": 90}}

    def test_tight(self):
        t, out = self.report("bench", self.VALS, 0.01)
        self.assertEqual(t["single"]["verdict"], "NOT met")
        self.assertFalse(t["single"]["met"])
        self.assertAlmostEqual(t["single"]["min"], 0.9)
        self.assertEqual(t["single"]["rows_met"], 1, "the row 10% faster is met")
        self.assertEqual(t["contended"]["verdict"], "met")
        self.assertAlmostEqual(t["contended"]["ratio"], 2.25)
        lo, hi = t["contended"]["interval"]
        self.assertTrue(2.0 < lo < 2.25 < hi < 2.4, (lo, hi))
        self.assertAlmostEqual(t["contended_over_alone"]["stock"], 0.4)
        self.assertRegex(out, r"at least 2x stock: 2\.25x \(90% interval 2\.\d+x to 2\.\d+x\), met\n")
        self.assertIn("at most 5% slower than stock (2 rows: fault_1page, read_fault from 32M): "
                      "0.90x to 1.10x; by 90% interval 1 met, 1 not, 0 not settled: NOT met", out)

    def test_chart_data(self):
        """The chart says what the table says: each ratio with its interval,
        and the memcpy limit of both kernels."""
        vals = {k: dict(v, memcpy=300 if k == "stock" else 330, migrate_to_dev=50)
                for k, v in self.VALS.items()}
        self.report("bench", vals, 0.01)
        with open(f"{self.tmp}/bench/results.json") as f:
            rows = {r["metric"]: r for r in json.load(f)["rows"]}
        with open(f"{self.tmp}/bench/ratios.dat") as f:
            dat = [ln.split(None, 4) for ln in f if not ln.startswith("#")]
        self.assertEqual(len(dat), 5)
        for _, ratio, lo, hi, label in dat:
            r = rows[label.strip('"\n').split()[0]]
            self.assertAlmostEqual(float(ratio), r["ratio"], places=3)
            self.assertAlmostEqual(float(lo), r["interval"][0], places=3)
            self.assertAlmostEqual(float(hi), r["interval"][1], places=3)
        with open(f"{self.tmp}/bench/migrate.dat") as f:
            self.assertTrue(f.readline().rstrip().endswith("memcpy_patched memcpy_stock"))
            row = f.readline().split()
        self.assertEqual(row[0], "16", "the 16 MiB rows")
        self.assertEqual([float(x) for x in row[-2:]], [330.0, 300.0],
                         "each kernel's memcpy, patched then stock")
        if shutil.which("gnuplot"):
            self.assertTrue(os.path.exists(f"{self.tmp}/bench/chart.png"), "no chart")

    def test_spread(self):
        t, out = self.report("bench-spread", self.VALS, 0.5)
        self.assertEqual(t["single"]["verdict"], "not settled")
        self.assertEqual(t["contended"]["verdict"], "not settled")
        self.assertAlmostEqual(t["contended"]["ratio"], 2.25)
        self.assertLess(t["contended"]["interval"][0], 2.0)
        self.assertRegex(out, r"at least 2x stock: 2\.25x \(90% interval .*\), not settled")


class BenchPaired(Tmp):
    """Samples that swing with the host in step on both kernels give their
    true ratio when paired, where the medians of the same samples,
    unpaired, settle nothing."""

    def test_paired_against_unpaired(self):
        base = {"read_fault": (100, 0.9), "fault_1page": (100, 1.0),
                "fault_1page_contended": (40, 2.25)}
        speeds = (1, 0.5, 1, 0.5, 1, 0.5)
        res = {}
        for run in ("paired", "unpaired"):
            write_run(f"{self.tmp}/{run}",
                      {k: {m: [v * s * (r if k == "patched" else 1) for s in speeds]
                           for m, (v, r) in base.items()} for k in ("stock", "patched")},
                      mode="paired" if run == "paired" else "")
            p = script("bench-report.py", "--dir", f"{self.tmp}/{run}")
            self.assertEqual(p.returncode, 0, p.stderr)
            with open(f"{self.tmp}/{run}/results.json") as f:
                res[run] = json.load(f), p.stdout
        (pj, pout), (uj, _) = res["paired"], res["unpaired"]
        row = next(x for x in pj["rows"] if x["metric"] == "read_fault")
        self.assertTrue(pj["paired"])
        self.assertFalse(uj["paired"])
        self.assertAlmostEqual(row["ratio"], 0.9)
        self.assertAlmostEqual(row["interval"][1], 0.9)
        self.assertEqual(pj["targets"]["single"]["verdict"], "NOT met")
        self.assertEqual(pj["targets"]["contended"]["verdict"], "met")
        self.assertEqual(uj["targets"]["single"]["verdict"], "not settled")
        self.assertEqual(uj["targets"]["contended"]["verdict"], "not settled")
        self.assertIn("rounds of the two kernels taking turns", pout)


class BenchIcount(Tmp):
    """An --icount run: rates per 10^9 guest instructions, and the
    contended target, which one vCPU cannot measure, reported as not
    measured rather than left out."""

    def test_icount(self):
        write_run(f"{self.tmp}/icount",
                  {"stock": {"read_fault": [100] * 3, "fault_1page": [100] * 3},
                   "patched": {"read_fault": [101] * 3, "fault_1page": [106] * 3}},
                  mode="icount")
        p = script("bench-report.py", "--dir", f"{self.tmp}/icount")
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(f"{self.tmp}/icount/results.json") as f:
            r = json.load(f)
        self.assertTrue(r["icount"])
        self.assertFalse(r["paired"])
        self.assertNotIn("contended", r["targets"])
        self.assertEqual(r["targets"]["single"]["verdict"], "met")
        self.assertAlmostEqual(r["targets"]["single"]["max"], 1.06)
        self.assertIn("QEMU TCG -icount shift=0 (the guest's clock counts instructions", p.stdout)
        self.assertRegex(p.stdout, r"(?m)^target, device faults with an mmap_lock writer at "
                         r"least 2x stock: not measured \(--icount")


class BenchPair(Tmp):
    """Two fake guests take turns, swapping who goes first at every step;
    a guest that ends before the other fails by name."""

    def run_pair(self, steps):
        d = f"{self.tmp}/pair"
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        p = subprocess.Popen([sys.executable, "-B", f"{TOP}/scripts/bench-pair.py",
                              "--socket", f"a={d}/a", "--socket", f"b={d}/b", "--first", "a",
                              "--ready", f"{d}/ready", "--timeout", "10",
                              "--boot-timeout", "10"], stderr=subprocess.PIPE, text=True)
        for _ in range(500):
            if os.path.exists(f"{d}/ready"):
                break
            time.sleep(0.01)
        order, lock = [], threading.Lock()

        def guest(name, n):
            with socket.socket(socket.AF_UNIX) as s:
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

    def test_turns(self):
        rc, order, err = self.run_pair({"a": 4, "b": 4})
        self.assertEqual(rc, 0, err)
        self.assertEqual(order, "abbaabba")

    def test_one_ends_early(self):
        rc, _, err = self.run_pair({"a": 2, "b": 4})
        self.assertEqual(rc, 1)
        self.assertIn("the a guest ended at step 2 while the other went on", err)


if __name__ == "__main__":
    unittest.main()
