"""Tests of scripts/cover-letter.sh on a small git tree.

The script keeps the hand-written body of the cover letter and regenerates
its tail (shortlog, diffstat, base-commit); the body must survive whatever
its lines look like.
"""
import os
import subprocess
import tempfile
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COVER_SH = os.path.join(TOP, "scripts", "cover-letter.sh")

BODY = """\
The first paragraph.

A paragraph whose line ends as a shortlog header does: the test checks
what it found (50):
and goes on after it.

Trailing section
----------------
The last words.
"""


class CoverLetterShTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.tree = os.path.join(self.tmp.name, "linux")
        os.makedirs(self.tree)
        env = dict(os.environ, GIT_AUTHOR_NAME="A U Thor",
                   GIT_AUTHOR_EMAIL="a@example.org",
                   GIT_COMMITTER_NAME="A U Thor",
                   GIT_COMMITTER_EMAIL="a@example.org")

        def git(*args):
            subprocess.run(["git", "-C", self.tree, *args], env=env,
                           check=True, capture_output=True)
        git("init", "-q")
        with open(os.path.join(self.tree, "f"), "w") as f:
            f.write("one\n")
        git("add", "f")
        git("commit", "-qm", "base")
        git("tag", "base")
        with open(os.path.join(self.tree, "f"), "a") as f:
            f.write("two\n")
        git("commit", "-qam", "mm: a change")
        self.cover = os.path.join(self.tmp.name, "cover.patch")
        with open(self.cover, "w") as f:
            f.write("Subject: [PATCH 0/7] a series\n\n" + BODY +
                    "\nA U Thor (7):\n      old\n\n f | 1 +\n")

    def tearDown(self):
        self.tmp.cleanup()

    def run_cover(self, mode):
        env = dict(os.environ, TREE=self.tree,
                   BUILD=os.path.join(self.tmp.name, "build"))
        return subprocess.run([COVER_SH, mode, "--cover", self.cover], env=env,
                              capture_output=True, text=True, timeout=60)

    def test_update_keeps_the_body(self):
        """A body line ending in "(N):" is not where the shortlog starts
        (it cut the letter there, losing the rest of the body)."""
        p = self.run_cover("--update")
        self.assertEqual(p.returncode, 0, p.stderr)
        text = open(self.cover).read()
        self.assertIn(BODY, text, "the hand-written body was kept whole")
        self.assertIn("Subject: [PATCH 0/1] a series", text)
        self.assertIn("A U Thor (1):\n      mm: a change\n", text)
        self.assertNotIn("      old", text, "the old shortlog is gone")
        self.assertEqual(self.run_cover("--check").returncode, 0)

    def test_check_names_a_stale_tail(self):
        p = self.run_cover("--check")
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("out of date", p.stderr)


if __name__ == "__main__":
    unittest.main()
