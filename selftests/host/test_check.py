"""Unit tests of scripts/check.py and scripts/checks/: the commit-message check on fixture
patches (selftests/host/fixtures/msg/: good.patch, and bad variants made
from it here, one rule broken in each), and the --only and --patches
arguments of make check."""
import argparse
import os
import sys
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(TOP, "scripts"))
import check  # noqa: E402  (the path is set just above)
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


class Arguments(unittest.TestCase):
    def test_check_list(self):
        self.assertEqual(check.check_list("msg,kdoc"), ["msg", "kdoc"])
        self.assertEqual(check.check_list("W=1, series"), ["W=1", "series"])
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
