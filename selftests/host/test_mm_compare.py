"""Unit tests of scripts/mm-compare.py, on made-up guest runs."""
import contextlib
import importlib.util
import io
import json
import os
import sys
import tempfile
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.dont_write_bytecode = True
_spec = importlib.util.spec_from_file_location(
    "mm_compare", os.path.join(TOP, "scripts", "mm-compare.py"))
mm_compare = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mm_compare)

CONSOLE = "[    1.0] hmm-runner: start {prog}\n"
SPLAT = ("[    2.0] hmm-runner: start cow cow\n"
         "[    2.1] WARNING: CPU: 0 PID: 1 at mm/rmap.c:1 x+0x1/0x2\n"
         "[    2.2] Call Trace:\n")


def ktap(results, uffd=()):
    """A guest KTAP with a kselftest program "cow" and uffd-unit-tests."""
    lines = ["KTAP version 1", "1..2", "    TAP version 13", f"    1..{len(results)}"]
    for i, (name, res) in enumerate(results, 1):
        lines.append(f"    {'ok' if res != 'fail' else 'not ok'} {i} {name}"
                     + (" # SKIP no" if res == "skip" else ""))
    lines.append("ok 1 cow")
    lines += [f"    Testing {name}... {word}" for name, word in uffd]
    lines += ["ok 2 uffd-unit-tests", "# hmm-runner: done"]
    return "\n".join(lines) + "\n"


class MmCompareTest(unittest.TestCase):
    def run_pair(self, stock, patched, stock_console="", patched_console=""):
        with tempfile.TemporaryDirectory() as d:
            for name, text, console in (("stock", stock, stock_console),
                                        ("patched", patched, patched_console)):
                os.makedirs(f"{d}/{name}")
                with open(f"{d}/{name}/ktap.log", "w") as f:
                    f.write(text)
                with open(f"{d}/{name}/console.log", "w") as f:
                    f.write(console or CONSOLE.format(prog="cow"))
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                rc = mm_compare.main(["--stock", f"{d}/stock", "--patched", f"{d}/patched",
                                      "--json", f"{d}/c.json"])
            with open(f"{d}/c.json") as f:
                return rc, out.getvalue(), json.load(f)

    def test_same_results_pass(self):
        k = ktap([("a", "pass"), ("b", "fail"), ("c", "skip")], [("x on anon", "done")])
        rc, out, js = self.run_pair(k, k)
        self.assertEqual(rc, 0)
        self.assertIn("no test that passes on the base fails", out)
        self.assertEqual(js["regressions"], [])
        self.assertEqual(js["stock"]["uffd-unit-tests"]["pass"], 2)

    def test_pass_to_fail_and_skip_and_missing(self):
        stock = ktap([("a", "pass"), ("b", "pass"), ("c", "pass"), ("d", "pass")])
        patched = ktap([("a", "fail"), ("b", "skip"), ("c", "pass")])
        rc, out, js = self.run_pair(stock, patched)
        self.assertEqual(rc, 1)
        got = {(r["test"], r["patched"]) for r in js["regressions"]}
        self.assertEqual(got, {("cow/a", "fail"), ("cow/b", "skip"), ("cow/d", "missing")})
        self.assertIn("3 regression(s)", out)

    def test_failing_on_both_is_no_regression(self):
        k = ktap([("a", "fail")])
        self.assertEqual(self.run_pair(k, k)[0], 0)

    def test_repeated_names_matched_by_occurrence(self):
        stock = ktap([("same", "pass"), ("same", "fail")])
        patched = ktap([("same", "fail"), ("same", "pass")])
        rc, _, js = self.run_pair(stock, patched)
        self.assertEqual(rc, 1)
        self.assertEqual([r["test"] for r in js["regressions"]], ["cow/same"])

    def test_numbers_in_names(self):
        stock = ktap([("Extra pages 44 (0.1%)", "pass")])
        patched = ktap([("Extra pages 51 (0.2%)", "pass")])
        self.assertEqual(self.run_pair(stock, patched)[0], 0)

    def test_uffd_lines(self):
        stock = ktap([("a", "pass")], [("minor on shmem", "done"), ("wp on anon", "done")])
        patched = ktap([("a", "pass")], [("minor on shmem", "done"), ("wp on anon", "failed")])
        rc, _, js = self.run_pair(stock, patched)
        self.assertEqual(rc, 1)
        self.assertEqual(js["regressions"][0]["test"], "uffd-unit-tests/wp on anon")

    def test_new_splat_is_a_regression(self):
        k = ktap([("a", "pass")])
        rc, out, js = self.run_pair(k, k, patched_console=SPLAT)
        self.assertEqual(rc, 1)
        self.assertEqual(js["regressions"][0]["patched"], "kernel splat")
        # The same splat on the base is not the series' doing.
        self.assertEqual(self.run_pair(k, k, SPLAT, SPLAT)[0], 0)

    def flaky_pair(self, error):
        """uffd-unit-tests stopping at "events on anon" with the patched kernel."""
        stock = ktap([("a", "pass")], [("sigbus on anon", "done"),
                                       ("events on anon", "done"), ("poison on anon", "done")])
        patched = ktap([("a", "pass")], [("sigbus on anon", "done")])
        patched = patched.replace("ok 2 uffd-unit-tests",
                                  f"    Testing events on anon... {error}\n"
                                  "not ok 2 uffd-unit-tests # exit=1")
        return self.run_pair(stock, patched)

    def test_known_flake_excuses_what_it_cut_short(self):
        rc, out, js = self.flaky_pair(
            "ERROR: UFFDIO_COPY error: -2 (errno=2, @uffd-common.c:617)")
        self.assertEqual(rc, 0, out)
        self.assertEqual(js["regressions"], [])
        self.assertIn("known flaky failure of the base in the patched run", out)

    def mremap_pair(self, message, failed="with NMB Preamble", also=None, prog="mremap_test"):
        """mremap_test failing its preamble case with the patched kernel."""
        def run(fail):
            body = ["    1..3", "    ok 1 5MB mremap - Source 1MB-aligned"]
            if fail:
                body += [f"    # {message}", f"    not ok 2 5MB mremap - {failed}"]
            else:
                body += [f"    ok 2 5MB mremap - {failed}"]
            body += ["    not ok 3 mremap expand merge" if also and fail
                     else "    ok 3 mremap expand merge"]
            top = f"not ok 1 {prog} # exit=1" if fail else f"ok 1 {prog}"
            return "\n".join(["KTAP version 1", "1..1", "    TAP version 13", *body,
                              top, "# hmm-runner: done"]) + "\n"
        return self.run_pair(run(False), run(True))

    def test_known_test_flake_excuses_only_its_test(self):
        rc, out, js = self.mremap_pair("Failed to map dest preamble region: File exists")
        self.assertEqual(rc, 0, out)
        self.assertIn("mremap_test: known flaky failure of the base in the patched run; "
                      "the test it failed is not compared", out)
        # Another test of the same program failing is still the series'.
        rc, _, js = self.mremap_pair("Failed to map dest preamble region: File exists",
                                     also=True)
        self.assertEqual(rc, 1)
        self.assertEqual([r["test"] for r in js["regressions"]],
                         ["mremap_test/mremap expand merge"])

    def test_test_flake_of_another_program_is_a_regression(self):
        rc, _, js = self.mremap_pair("Failed to map dest preamble region: File exists",
                                     prog="cow")
        self.assertEqual(rc, 1)
        self.assertEqual([r["test"] for r in js["regressions"]],
                         ["cow/NMB mremap - with NMB Preamble"])

    def test_test_flake_with_another_errno_is_a_regression(self):
        rc, _, js = self.mremap_pair("Failed to map dest preamble region: Invalid argument")
        self.assertEqual(rc, 1)
        self.assertEqual([r["test"] for r in js["regressions"]],
                         ["mremap_test/NMB mremap - with NMB Preamble"])

    def test_other_failure_at_the_same_place_is_a_regression(self):
        rc, _, js = self.flaky_pair(
            "ERROR: UFFDIO_COPY error: -14 (errno=14, @uffd-common.c:617)")
        self.assertEqual(rc, 1)
        got = {r["test"] for r in js["regressions"]}
        self.assertIn("uffd-unit-tests/events on anon", got)
        self.assertIn("uffd-unit-tests/poison on anon", got)

    def test_unreadable_run(self):
        with tempfile.TemporaryDirectory() as d:
            err = io.StringIO()
            with contextlib.redirect_stderr(err):
                rc = mm_compare.main(["--stock", f"{d}/none", "--patched", f"{d}/none"])
            self.assertEqual(rc, 2)
            self.assertIn("cannot read the run", err.getvalue())


if __name__ == "__main__":
    unittest.main()
