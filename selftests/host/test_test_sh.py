"""Tests of scripts/test.sh (make test) on a made-up stage table.

The table's stages are tiny scripts that pass, fail (exit 1) or stop
with a setup error (exit 2), so that stage selection, the "not run" and
"skipped" results, the exit status, the failed-stage excerpt and
results.json are checked in a second, without building anything.
"""
import json
import os
import subprocess
import tempfile
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TEST_SH = os.path.join(TOP, "scripts", "test.sh")

SCRIPTS = {
    "ok.sh": "echo all good\n",
    "fail.sh": "echo step one\necho 'FAIL: the widget broke' >&2\necho step two\nexit 1\n",
    "setup.sh": "echo 'ERROR: no package frobnicate (apt-get install frobnicate)' >&2\nexit 2\n",
    "noisy.sh": "seq 1 20000 >&2\necho 'FAIL: the real reason' >&2\nseq 1 3\nexit 1\n",
}
TABLE = """\
# a made-up table
a  -    {d}/ok.sh
b  a    {d}/fail.sh
c  b    {d}/ok.sh
d  -    {d}/setup.sh
e  a    {d}/ok.sh
f  ~b   {d}/ok.sh
g  -    {d}/noisy.sh
"""


class TestSh(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        d = self.tmp.name
        for name, body in SCRIPTS.items():
            path = os.path.join(d, name)
            with open(path, "w") as f:
                f.write("#!/bin/sh\n" + body)
            os.chmod(path, 0o755)
        self.table = os.path.join(d, "stages")
        with open(self.table, "w") as f:
            f.write(TABLE.format(d=d))
        self.build = os.path.join(d, "build")

    def tearDown(self):
        self.tmp.cleanup()

    def run_test_sh(self, *args, table=None):
        env = dict(os.environ, BUILD=self.build,
                   HMM_TEST_STAGES=table or self.table)
        return subprocess.run([TEST_SH, *args], env=env, capture_output=True,
                              text=True, timeout=60)

    def outcome(self):
        """{stage: result} of the last run."""
        return {n: s["result"] for n, s in self.results()[0].items()}

    def results(self):
        with open(os.path.join(self.build, "test", "results.json")) as f:
            got = json.load(f)
        return {s["name"]: s for s in got["stages"]}, got

    def test_full_run(self):
        p = self.run_test_sh()
        self.assertEqual(p.returncode, 1, "a failed stage makes the exit status 1")
        stages, got = self.results()
        self.assertEqual({n: s["result"] for n, s in stages.items()},
                         {"a": "pass", "b": "FAIL", "c": "not run",
                          "d": "ERROR", "e": "pass", "f": "pass", "g": "FAIL"})
        self.assertEqual(stages["b"]["exit"], 1)
        self.assertIsNone(stages["c"]["log"], "a stage that did not run has no log")
        self.assertEqual(stages["d"]["exit"], 2)
        self.assertEqual(stages["b"]["first_error"], "FAIL: the widget broke")
        self.assertEqual(stages["d"]["first_error"],
                         "ERROR: no package frobnicate (apt-get install frobnicate)")
        self.assertIsNone(stages["a"]["first_error"])
        self.assertEqual(got["exit"], 1)
        self.assertEqual(got["counts"]["pass"], 3)
        self.assertTrue(p.stdout.endswith(
            "FAIL b: FAIL: the widget broke\n"
            "ERROR d: ERROR: no package frobnicate (apt-get install frobnicate)\n"
            "FAIL g: FAIL: the real reason\n"
            "stages: 3 passed, 2 failed, 1 setup errors, 1 not run\n"),
            "the last lines name each stage that did not pass and its first error")

    def test_a_long_log_is_whole_before_it_is_read(self):
        """A script stage's stderr is all in its log before the excerpt and
        results.json are made from it (a bare wait did not wait for it)."""
        p = self.run_test_sh("--only", "g")
        self.assertEqual(p.returncode, 1)
        stages, _ = self.results()
        self.assertEqual(stages["g"]["first_error"], "FAIL: the real reason")
        with open(os.path.join(self.build, "test", "g.log")) as f:
            lines = f.read().splitlines()
        self.assertEqual(len(lines), 20004)
        self.assertIn("FAIL: the real reason", lines)
        self.assertIn("first error line: FAIL: the real reason", p.stdout)

    def test_ran_need(self):
        """~STAGE: f runs once b has run, though b failed."""
        p = self.run_test_sh("--only", "f")
        stages, _ = self.results()
        self.assertEqual(stages["f"]["result"], "pass")
        self.assertEqual(stages["b"]["result"], "FAIL")
        self.assertEqual(p.returncode, 1)

    def test_only_what_skip_takes_away(self):
        p = self.run_test_sh("--only", "e", "--skip", "a")
        self.assertEqual(p.returncode, 2)
        self.assertIn("--only e: it needs a stage that --skip leaves out", p.stderr)

    def test_table_names_the_log_and_the_first_error(self):
        p = self.run_test_sh()
        self.assertRegex(p.stdout, r"(?m)^b +FAIL +[0-9.]+ +\S*test/b\.log$")
        self.assertIn("first error line: FAIL: the widget broke", p.stdout)
        with open(os.path.join(self.build, "test", "b.log")) as f:
            log = f.read()
        self.assertEqual(log.count("step one"), 1)
        self.assertIn("step two", log, "the log holds the stage's whole output")
        self.assertIn("FAIL: the widget broke", log, "and its stderr")

    def test_only_pulls_in_what_is_needed(self):
        p = self.run_test_sh("--only", "e")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertEqual(self.outcome(),
                         {"a": "pass", "b": "skipped", "c": "skipped",
                          "d": "skipped", "e": "pass", "f": "skipped", "g": "skipped"})
        self.assertIn("needed by the stages asked for, and run too: a", p.stderr)

    def test_only_accepts_commas_and_blanks(self):
        p = self.run_test_sh("--only", "a,e", "--only", "d")
        self.assertEqual(p.returncode, 2, "a setup error alone makes it 2")
        stages, _ = self.results()
        self.assertEqual([n for n, s in stages.items() if s["result"] != "skipped"],
                         ["a", "d", "e"])

    def test_skip_skips_what_needs_it(self):
        p = self.run_test_sh("--skip", "b d g")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertEqual(self.outcome(),
                         {"a": "pass", "b": "skipped", "c": "skipped",
                          "d": "skipped", "e": "pass", "f": "skipped", "g": "skipped"})

    def test_unknown_stage_is_a_setup_error(self):
        p = self.run_test_sh("--only", "nosuch")
        self.assertEqual(p.returncode, 2)
        self.assertIn("no stage named nosuch; the stages are: a b c d e f g", p.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.build, "test")),
                         "nothing ran and no earlier results were removed")

    def test_bad_table(self):
        bad = os.path.join(self.tmp.name, "bad")
        with open(bad, "w") as f:
            f.write("x  y  /bin/true\n")
        p = self.run_test_sh(table=bad)
        self.assertEqual(p.returncode, 2)
        self.assertIn("stage x needs y, which is not listed before it", p.stderr)

    def test_list(self):
        p = self.run_test_sh("--list")
        self.assertEqual(p.returncode, 0)
        lines = p.stdout.splitlines()
        self.assertEqual(lines[0].split(), ["STAGE", "NEEDS", "COMMAND"])
        self.assertEqual([ln.split()[:2] for ln in lines[1:]],
                         [["a", "-"], ["b", "a"], ["c", "b"], ["d", "-"], ["e", "a"],
                          ["f", "~b"], ["g", "-"]])

    def test_real_table_lists(self):
        env = dict(os.environ)
        env.pop("HMM_TEST_STAGES", None)
        p = subprocess.run([TEST_SH, "--list"], env=env, capture_output=True,
                           text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        names = [ln.split()[0] for ln in p.stdout.splitlines()[1:]]
        for want in ("deps", "check", "build", "guest-debug", "guest-patched",
                     "mm-selftests", "bench-icount"):
            self.assertIn(want, names)
        for cmd in (ln.split()[2] for ln in p.stdout.splitlines()[1:]):
            if cmd not in ("guest", "reliability"):
                self.assertTrue(os.access(os.path.join(TOP, "scripts", cmd), os.X_OK),
                                f"scripts/stages names {cmd}, which is not an executable")


if __name__ == "__main__":
    unittest.main()
