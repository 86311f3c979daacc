"""Unit tests of scripts/status.py (make status) on a made-up build/."""
import contextlib
import io
import json
import os
import sys
import tempfile
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(TOP, "scripts"))
import status  # noqa: E402  (the path is set just above)


def put(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(obj, f)


class Status(unittest.TestCase):
    def test_empty_build_names_the_targets(self):
        with tempfile.TemporaryDirectory() as b:
            lines = status.report(b)
        self.assertRegex(lines[0], r"^series: \d+ patches")
        self.assertIn("make test: no run yet (make test)", lines)
        self.assertIn("guest: no run yet (make run)", lines)
        self.assertIn("make bench: no full run yet (make bench)", lines)
        self.assertIn("make mm-selftests: no run yet (make mm-selftests)", lines)

    def test_figures(self):
        with tempfile.TemporaryDirectory() as b:
            put(f"{b}/test/results.json", {
                "seconds": 600, "exit": 1,
                "counts": {"pass": 20, "FAIL": 1, "ERROR": 0, "skipped": 0, "not run": 1},
                "stages": [{"name": "check", "result": "FAIL", "log": "build/test/check.log",
                            "first_error": "FAIL: x"},
                           {"name": "build", "result": "pass", "log": "build/test/build.log",
                            "first_error": None}]})
            put(f"{b}/results/20261127-010000-debug/summary.json", {
                "kernel": "6.12.117+", "passed": 150, "failed": 2, "skipped": 0, "splats": 1,
                "complete": True})
            put(f"{b}/results/20261127-020000-debug/summary.json", {
                "kernel": "6.12.117+", "passed": 158, "failed": 0, "skipped": 0, "splats": 0,
                "complete": True})
            put(f"{b}/bench/20261127-010000/results.json", {
                "quick": False, "paired": True, "boots": {"stock": ["stock-1", "stock-2"]},
                "targets": {"single": {"min": 0.97, "max": 1.02, "verdict": "met"},
                            "contended": {"ratio": 2.5, "interval": [2.3, 2.8], "verdict": "met"},
                            "contended_over_alone": {"stock": 0.4, "patched": 0.9}}})
            put(f"{b}/bench/20261127-020000/results.json", {"quick": True, "targets": {}})
            put(f"{b}/mm-selftests/latest/compare.json",
                {"regressions": [], "stock": {}, "patched": {"cow": {}, "migration": {}}})
            text = "\n".join(status.report(b))
        self.assertIn("20 stages passed, 1 failed, 0 setup errors, 1 not run", text)
        self.assertIn("  check: FAIL (build/test/check.log): FAIL: x", text)
        self.assertNotIn("  build:", text)
        self.assertIn("guest debug (", text)
        self.assertIn("158 passed, 0 failed, 0 skipped, 0 splats", text, "the latest run")
        self.assertNotIn("150 passed", text)
        self.assertIn("make bench (build/bench/20261127-010000, paired, 2 rounds):", text,
                      "the latest full run, not the --quick one after it")
        self.assertIn("with an mmap_lock writer, at least 2x: 2.50x (2.30x-2.80x), met", text)
        self.assertIn("0 regressions against stock, 2 programs", text)

    def test_broken_json_is_a_setup_error(self):
        with tempfile.TemporaryDirectory() as b:
            os.makedirs(f"{b}/test")
            with open(f"{b}/test/results.json", "w") as f:
                f.write("{")
            err = io.StringIO()
            with contextlib.redirect_stderr(err), self.assertRaises(SystemExit) as cm:
                status.run_main(status.main, ["--build", b])
            self.assertEqual(cm.exception.code, 2)
            self.assertIn("not JSON", err.getvalue())


class RunMain(unittest.TestCase):
    """hmmcommon.run_main: 0 and 1 from main, 2 for a setup error or a bug."""

    def exit_of(self, main):
        err = io.StringIO()
        with contextlib.redirect_stderr(err), self.assertRaises(SystemExit) as cm:
            status.run_main(main)
        return cm.exception.code, err.getvalue()

    def test_codes(self):
        self.assertEqual(self.exit_of(lambda: 0)[0], 0)
        self.assertEqual(self.exit_of(lambda: 1)[0], 1)
        code, err = self.exit_of(lambda: open("/nonexistent/x"))
        self.assertEqual(code, 2)
        self.assertTrue(err.startswith("ERROR: [Errno 2]"), err)

        def bug():
            return {}["missing"]
        code, err = self.exit_of(bug)
        self.assertEqual(code, 2)
        self.assertIn("KeyError", err)
        self.assertIn("failed with the traceback above", err)


if __name__ == "__main__":
    unittest.main()
