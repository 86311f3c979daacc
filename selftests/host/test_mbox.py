"""Unit tests of scripts/mboxwrite.py (make mbox's writer) on a made-up
cover letter and patch (selftests/host/fixtures/mbox/): subjects and
threading, and a reroll's "Changes in vN", range-diff and change-id."""
import email
import email.policy
import os
import sys
import tempfile
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(TOP, "scripts"))
import mboxwrite  # noqa: E402  (the path is set just above)
from hmmcommon import SetupError  # noqa: E402

FIX = os.path.join(TOP, "selftests", "host", "fixtures", "mbox")
FILES = [os.path.join(FIX, "cover.patch"), os.path.join(FIX, "0001.patch")]
CID = "20261124-made-up-0123456789ab"


def messages(text):
    parts = ["From " + p for p in text.split("\nFrom ") if p]
    parts[0] = parts[0][len("From "):]
    return [email.message_from_string(p, policy=email.policy.default) for p in parts]


class Mbox(unittest.TestCase):
    def test_first_version(self):
        msgs = messages(mboxwrite.build(FILES, "made-up", 1, "", "linux-mm@kvack.org", CID))
        self.assertEqual([m["Subject"] for m in msgs], [
            "[PATCH 0/1] mm/hmm: a made-up series",
            "[PATCH 1/1] mm/hmm: return -EBUSY when the walk makes no progress"])
        self.assertEqual(msgs[1]["In-Reply-To"], msgs[0]["Message-Id"])
        cover = msgs[0].get_content()
        self.assertTrue(cover.rstrip().endswith(f"base-commit: v6.12.117\nchange-id: {CID}"))
        self.assertNotIn("Changes in", cover)
        self.assertNotIn("Range-diff", cover)

    def test_reroll(self):
        changes = {3: ["- Fix the budget."], 2: ["- Rename the helper.", "- Add a test."]}
        text = mboxwrite.build(FILES, "made-up", 3, "a@example.org", "linux-mm@kvack.org",
                               CID, changes, "1:  aaaa = 1:  bbbb mm/hmm: return -EBUSY\n")
        msgs = messages(text)
        self.assertEqual(msgs[0]["Subject"], "[PATCH v3 0/1] mm/hmm: a made-up series")
        self.assertEqual(msgs[0]["To"], "a@example.org")
        cover = msgs[0].get_content()
        want = ("Changes in v3:\n- Fix the budget.\n\nChanges in v2:\n- Rename the helper.\n"
                "- Add a test.\n\nA Developer (1):")
        self.assertIn(want, cover, "newest first, before the shortlog")
        self.assertIn("Range-diff against v2:\n1:  aaaa = 1:  bbbb mm/hmm: return -EBUSY\n\n"
                      "base-commit: v6.12.117\nchange-id: " + CID, cover)
        self.assertNotIn("Changes in", msgs[1].get_content(), "only in the cover letter")

    def test_reroll_without_its_changes(self):
        with self.assertRaisesRegex(SetupError, "no entry for v2"):
            mboxwrite.build(FILES, "made-up", 3, "", "l@example.org", CID, {3: ["- x"]})

    def test_read_changes(self):
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "changes")
            with open(p, "w") as f:
                f.write("# comment\nv2:\n- two\n  continued\n\nv1:\n- one\n")
            self.assertEqual(mboxwrite.read_changes(p), {2: ["- two", "  continued"],
                                                         1: ["- one"]})
            for bad, why in (("- orphan\nv1:\n", "before the first"),
                             ("v1:\n- a\nv1:\n- b\n", "listed twice")):
                with open(p, "w") as f:
                    f.write(bad)
                with self.assertRaisesRegex(SetupError, why):
                    mboxwrite.read_changes(p)

    def test_repo_changelog_covers_the_version(self):
        changes = mboxwrite.read_changes(os.path.join(TOP, "configs", "series.changes"))
        with open(os.path.join(TOP, "configs", "series.conf")) as f:
            conf = dict(ln.strip().split("=", 1) for ln in f if "=" in ln and ln[0] != "#")
        for v in range(2, int(conf["VERSION"]) + 1):
            self.assertTrue(changes.get(v), f"configs/series.changes has no v{v}: entry")
        self.assertRegex(conf["CHANGE_ID"], r"^\d{8}-[\w-]+-[0-9a-f]{12}$")


if __name__ == "__main__":
    unittest.main()
