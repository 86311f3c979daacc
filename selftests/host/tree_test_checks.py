"""The checks of make check that need the kernel's own scripts, on fixtures.

checkpatch.pl and kernel-doc come from the kernel tree (TREE, build/linux
by default), so these tests are not among the host tests, which run before
anything is fetched: scripts/check.sh runs them before it checks the
series, so that a check that stopped biting (a parser that no longer
matches the tool's output, say) stops make check instead of passing it.
"""
import os
import sys
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(TOP, "scripts"))
from checks import common  # noqa: E402  (the path is set just above)
from checks.checkpatch import check_checkpatch  # noqa: E402
from checks.kdoc import kdoc_warnings  # noqa: E402

FIX = os.path.join(TOP, "selftests", "host", "fixtures")


class TreeChecks(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        for tool in ("scripts/checkpatch.pl", "scripts/kernel-doc"):
            if not os.path.exists(os.path.join(common.CTREE, tool)):
                raise RuntimeError(f"no {tool} in {common.CTREE}: fetch the base first")

    def test_checkpatch_good(self):
        found, allowed = check_checkpatch("good.patch", f"{FIX}/checkpatch/good.patch", [])
        self.assertEqual((found, allowed), ([], []))

    def test_checkpatch_bad(self):
        found, _ = check_checkpatch("bad.patch", f"{FIX}/checkpatch/bad.patch", [])
        firsts = sorted(f.text.splitlines()[0] for f in found)
        self.assertEqual(firsts, ["ERROR: trailing statements should be on next line",
                                  "ERROR: trailing whitespace",
                                  "WARNING: braces {} are not necessary for single "
                                  "statement blocks"])
        self.assertTrue(all((f.check, f.patch) == ("checkpatch", "bad.patch") for f in found))
        self.assertIn("FILE: mm/hmm.c:13:", found[0].text, "the finding says where")

    def test_checkpatch_allowlist(self):
        allow = [("bad.*", "ERROR: trailing whitespace", "a reason")]
        found, allowed = check_checkpatch("bad.patch", f"{FIX}/checkpatch/bad.patch", allow)
        self.assertEqual(allowed, ["ERROR: trailing whitespace"])
        self.assertEqual(sorted(f.text.splitlines()[0] for f in found),
                         ["ERROR: trailing statements should be on next line",
                          "WARNING: braces {} are not necessary for single statement blocks"])

    def test_kdoc_good(self):
        self.assertEqual(kdoc_warnings(f"{FIX}/kdoc/good.c"), {})

    def test_kdoc_bad(self):
        got = kdoc_warnings(f"{FIX}/kdoc/bad.c")
        self.assertEqual(sorted(m for _, m in got), [
            "Excess function parameter 'timeuot' description in 'hmm_example'",
            "Function parameter or struct member 'timeout' not described in 'hmm_example'"])


if __name__ == "__main__":
    unittest.main()
