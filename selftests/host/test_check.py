"""Unit tests of scripts/check.py and scripts/checks/: the commit-message check on fixture
patches (selftests/host/fixtures/msg/: good.patch, and bad variants made
from it here, one rule broken in each), and the --only and --patches
arguments of make check."""
import argparse
import os
import tempfile
import sys
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(TOP, "scripts"))
import check  # noqa: E402  (the path is set just above)
from checks import kdoc  # noqa: E402
from checks.msg import check_message  # noqa: E402

FIX = os.path.join(TOP, "selftests", "host", "fixtures", "msg")
with open(os.path.join(FIX, "good.patch")) as f:
    GOOD = f.read()
SUBJECT = "mm/hmm: return -EBUSY when the walk makes no progress"

# name: (what to replace in good.patch, by what, the error expected)
BAD = {
    "subject-too-long": (SUBJECT, SUBJECT + " even in kernel threads of drivers",
                         "subject is 87 characters (at most 75)"),
    "no-subsystem": (SUBJECT, "return -EBUSY when the walk makes no progress",
                     "subject is not 'subsys: summary'"),
    "capitalised": ("mm/hmm: return", "mm/hmm: Return", "summary should start in lower case"),
    "not-imperative": ("mm/hmm: return", "mm/hmm: returning",
                       "summary should be imperative ('returning' is not)"),
    "no-signoff": ("Signed-off-by: A Developer <dev@example.org>\n", "",
                   "no Signed-off-by"),
    "signoff-not-author": ("Signed-off-by: A Developer <dev@example.org>",
                           "Signed-off-by: Someone Else <else@example.org>",
                           "no Signed-off-by matches From"),
    "fixes-format": ('Fixes: 0123456789ab ("mm/hmm: add a fault helper")',
                     "Fixes: 0123456 mm/hmm: add a fault helper",
                     "Fixes: tag not in the kernel's format"),
    "long-body-line": ("A walk that faults", "A walk that faults " + "x" * 70,
                       "body line longer than 75 columns"),
    "no-body": ("A walk that faults without mapping anything can loop for as long as the\n"
                "fault keeps succeeding. Check the budget inside the loop, so that such a\n"
                "walk ends within its budget even in a kernel thread.\n\n"
                'Fixes: 0123456789ab ("mm/hmm: add a fault helper")\n', "",
                "the message has no body saying why"),
    "empty": (GOOD[GOOD.index("diff --git"):GOOD.index("-- \n")], "",
              "the patch is empty (no diff)"),
}


class CommitMessage(unittest.TestCase):
    def test_good(self):
        self.assertEqual(check_message(GOOD, "good.patch"), [])

    def test_each_bad_variant_fails_for_its_reason_only(self):
        for name, (old, new, want) in BAD.items():
            with self.subTest(name):
                self.assertIn(old, GOOD)
                found = check_message(GOOD.replace(old, new, 1), name)
                self.assertEqual(len(found), 1, found)
                self.assertEqual((found[0].check, found[0].patch), ("msg", name))
                self.assertIn(want, found[0].text)


# A file after a patch, and the patch's diff: it changes the body of
# hmm_example(), which is exported, and of static helper(), which is not.
EXPORTED = """// SPDX-License-Identifier: GPL-2.0
static int helper(void)
{
	return 1;
}

int hmm_example(struct hmm_range *range)
{
	return helper();
}
EXPORT_SYMBOL_GPL(hmm_example);
"""
DOC = """/**
 * hmm_example() - an example
 * @range: the range
 *
 * Return: what helper() returns.
 */
"""
DIFF = """diff --git a/mm/hmm_example.c b/mm/hmm_example.c
--- a/mm/hmm_example.c
+++ b/mm/hmm_example.c
@@ -3,1 +3,1 @@ static int helper(void)
-	return 0;
+	return 1;
@@ -9,1 +9,1 @@ int hmm_example(struct hmm_range *range)
-	return 0;
+	return helper();
"""


class KdocOfExports(unittest.TestCase):
    """check_exports: a patch that changes an exported function must leave
    it with kernel-doc; the file and diff are fixtures, the tree a temp dir."""

    def findings(self, text, diff):
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(f"{d}/mm")
            with open(f"{d}/mm/hmm_example.c", "w") as f:
                f.write(text)
            old = kdoc.CTREE
            kdoc.CTREE = d
            try:
                return kdoc.check_exports("p.patch", diff, ["mm/hmm_example.c"])
            finally:
                kdoc.CTREE = old

    def test_changed_export_without_kdoc(self):
        found = self.findings(EXPORTED, DIFF)
        self.assertEqual([(f.check, f.patch, f.text) for f in found], [
            ("kdoc", "p.patch",
             "mm/hmm_example.c: exported hmm_example() is changed but has no kernel-doc")])

    def test_changed_export_with_kdoc(self):
        text = EXPORTED.replace("int hmm_example(", DOC + "int hmm_example(")
        diff = DIFF.replace("@@ -9,1 +9,1", "@@ -15,1 +15,1")
        self.assertEqual(self.findings(text, diff), [])

    def test_only_the_static_helper_changed(self):
        diff = DIFF[:DIFF.index("@@ -9,1")]
        self.assertEqual(self.findings(EXPORTED, diff), [])


class KernelInputs(unittest.TestCase):
    """Which patches make check builds the kernel for."""

    def test_builds_kernel(self):
        from checks.common import builds_kernel
        self.assertFalse(builds_kernel(["tools/testing/selftests/mm/hmm-tests.c"]))
        self.assertFalse(builds_kernel(["Documentation/mm/hmm.rst", "MAINTAINERS"]))
        self.assertFalse(builds_kernel([]))
        self.assertTrue(builds_kernel(["tools/testing/selftests/mm/hmm-tests.c",
                                       "lib/test_hmm_uapi.h"]))
        self.assertTrue(builds_kernel(["include/linux/memremap.h"]))
        self.assertTrue(builds_kernel(["mm/Kconfig"]))
        self.assertTrue(builds_kernel(["tools/objtool/check.c"]))


class WarningsByObject(unittest.TestCase):
    """make check compiles every touched file of a patch in one make (W=1
    and sparse together): the output must go back to the file, and to the
    compiler or sparse, that printed it."""

    OUT = """make[1]: Entering directory '/t/kbuild/check-w1'
  CC      kernel/bounds.s
  CC      mm/hmm.o
/t/linux/mm/hmm.c:10:5: warning: no previous prototype for 'f' [-Wmissing-prototypes]
  CHECK   /t/linux/mm/hmm.c
/t/linux/mm/hmm.c:316:9: warning: context imbalance in 'g' - unexpected unlock
  CC [M]  drivers/gpu/drm/amd/amdgpu/../amdkfd/kfd_svm.o
In file included from /t/linux/include/linux/mm.h:5:
/t/linux/include/linux/mm.h:7:1: warning: unused variable 'x' [-Wunused-variable]
  CHECK   /t/linux/drivers/gpu/drm/amd/amdgpu/../amdkfd/kfd_svm.c
  CHECK   /t/linux/mm/gup.c
/t/linux/mm/gup.c:944:9: warning: context imbalance in 'h' - unexpected unlock
"""

    def test_split(self):
        from checks.build import norm_warnings, split_by_object
        parts = split_by_object(self.OUT, "/t/linux")
        self.assertEqual(set(parts), {("mm/hmm.c", "W=1"), ("mm/hmm.c", "sparse"),
                                      ("drivers/gpu/drm/amd/amdkfd/kfd_svm.c", "W=1"),
                                      ("mm/gup.c", "sparse")})
        w = norm_warnings(parts[("mm/hmm.c", "W=1")], "W=1")
        self.assertEqual(list(w), [("mm/hmm.c", "no previous prototype for 'f' "
                                    "[-Wmissing-prototypes]")])
        self.assertEqual(list(norm_warnings(parts[("mm/hmm.c", "sparse")], "sparse")),
                         [("mm/hmm.c", "context imbalance in 'g' - unexpected unlock")])
        # A header's warning counts for the file whose compile printed it.
        kfd = "drivers/gpu/drm/amd/amdkfd/kfd_svm.c"
        self.assertEqual(list(norm_warnings(parts[(kfd, "W=1")], "W=1")),
                         [("include/linux/mm.h", "unused variable 'x' [-Wunused-variable]")])
        self.assertNotIn((kfd, "sparse"), parts, "sparse printed nothing for it")
        # Nothing before the first object's line is anyone's.
        self.assertNotIn("kernel/bounds", "".join(parts.values()))


class Arguments(unittest.TestCase):
    def test_check_list(self):
        self.assertEqual(check.check_list("msg,kdoc"), ["msg", "kdoc"])
        self.assertEqual(check.check_list("W=1, series"), ["W=1", "series"])
        self.assertEqual(check.check_list("msg kdoc"), ["msg", "kdoc"], "as check.sh splits")
        for bad in ("", "msg,nosuch", ","):
            with self.subTest(bad):
                with self.assertRaises(argparse.ArgumentTypeError):
                    check.check_list(bad)

    def test_patch_range(self):
        self.assertEqual(check.patch_range("5"), (5, 5))
        self.assertEqual(check.patch_range("40-47"), (40, 47))
        for bad in ("0", "7-3", "a", "1-", "-3", "3-4-5"):
            with self.subTest(bad):
                with self.assertRaises(argparse.ArgumentTypeError):
                    check.patch_range(bad)


if __name__ == "__main__":
    unittest.main()
