"""scripts/results.py on every recorded guest log under selftests/host/cases/.

Each case NAME has ktap.log, console.log, optionally expected-skips, and
expect.json: the exit status, counts, per-test results, reasons and
seconds that results.py must give. golden.table and golden.json hold its
whole printed table and summary.json (the case's directory written as
CASE); UPDATE_GOLDEN=1 rewrites them. One test per case, one assertion
per condition, so that a failure says which.
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
CASES = os.path.join(HERE, "cases")


def run_case(d, tmp):
    with open(os.path.join(d, "expect.json")) as f:
        exp = json.load(f)
    out_json = os.path.join(tmp, "summary.json")
    cmd = [sys.executable, "-B", os.path.join(TOP, "scripts", "results.py"),
           "--ktap", os.path.join(d, "ktap.log"), "--console", os.path.join(d, "console.log"),
           "--status", exp.get("status", "finished"), "--json", out_json]
    if os.path.exists(os.path.join(d, "expected-skips")):
        cmd += ["--expected-skips", os.path.join(d, "expected-skips")]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    with open(out_json) as f:
        got_text = f.read()
    return exp, p, json.loads(got_text), got_text


class Cases(unittest.TestCase):
    def check_case(self, name):
        d = os.path.join(CASES, name)
        with tempfile.TemporaryDirectory() as tmp:
            exp, p, got, got_text = run_case(d, tmp)
        if "exit" in exp:
            self.assertEqual(p.returncode, exp["exit"], f"exit status: {p.stderr}")
        for k in ("passed", "failed", "skipped", "splats", "complete", "kernel", "cpus"):
            if k in exp:
                self.assertEqual(got.get(k), exp[k], f"summary's {k}")
        for k, v in exp.get("reliability", {}).items():
            self.assertEqual(got.get("reliability", {}).get(k), v, f"reliability.{k}")
        tests = {t["name"]: t for t in got["tests"]}
        for n, r in exp.get("tests", {}).items():
            self.assertIn(n, tests, f"no test {n}")
            self.assertEqual(tests[n]["result"], r, f"result of {n}")
        for n, r in exp.get("reasons", {}).items():
            if n in tests:
                self.assertIn(r, tests[n]["reason"], f"reason of {n}")
        for n, s in exp.get("seconds", {}).items():
            if n in tests:
                self.assertEqual(tests[n]["seconds"], s, f"seconds of {n}")
        per = {}
        for t in got["tests"]:
            per[t["program"]] = per.get(t["program"], 0) + 1
        want = f"guest: {got['passed']} passed, {got['failed']} failed, {got['skipped']} skipped"
        if len(per) > 1:
            want += " (" + ", ".join(f"{q} {n}" for q, n in per.items()) + ")"
        self.assertEqual(p.stdout.rstrip("\n").splitlines()[-1], want, "the closing line")
        # The golden files, byte for byte.
        table = p.stdout.replace(d + "/", "CASE/")
        summary = got_text.replace(d + "/", "CASE/")
        for fname, text in (("golden.table", table), ("golden.json", summary)):
            path = os.path.join(d, fname)
            if os.environ.get("UPDATE_GOLDEN") == "1":
                with open(path, "w") as f:
                    f.write(text)
            self.assertTrue(os.path.exists(path), f"no {fname} (UPDATE_GOLDEN=1 writes it)")
            with open(path) as f:
                self.assertEqual(text, f.read(), f"{fname} differs")


def _add(name):
    setattr(Cases, "test_case_" + name.replace("-", "_"),
            lambda self: self.check_case(name))


for _name in sorted(os.listdir(CASES)):
    if os.path.isdir(os.path.join(CASES, _name)):
        _add(_name)


if __name__ == "__main__":
    unittest.main()
