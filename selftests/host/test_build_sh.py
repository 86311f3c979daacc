"""Tests of scripts/build.sh's build step on a fake kernel tree.

The tree's Makefile only writes a .config and, for bzImage, takes a few
seconds without printing a compile line, as an up-to-date kernel tree
does; build.sh polls it every second (BUILD_POLL=1), so the progress
lines are exercised in a few seconds, without a compiler.
"""
import os
import subprocess
import tempfile
import time
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD_SH = os.path.join(TOP, "scripts", "build.sh")

MAKEFILE = """\
allnoconfig olddefconfig:
\t@touch $(O)/.config
bzImage:
\t@echo '  CALL    scripts/checksyscalls.sh'; sleep {quiet}; {compile}exit {rc}
"""
# merge_config.sh -m -O OUT OUT/.config FRAGMENT...: the fragments are the
# .config, so that every symbol they ask for is there.
MERGE = """\
#!/bin/sh
out=$3
shift 4
cat "$@" >"$out/.config"
"""


class BuildShTest(unittest.TestCase):
    def tree(self, quiet=3, compile_lines=0, rc=0, where="src"):
        self.tmp = tempfile.TemporaryDirectory()
        src = os.path.join(self.tmp.name, where)
        os.makedirs(os.path.join(src, "scripts", "kconfig"))
        comp = "".join("echo '  CC      mm/x%d.o'; " % i for i in range(compile_lines))
        with open(os.path.join(src, "Makefile"), "w") as f:
            f.write(MAKEFILE.format(quiet=quiet, compile=comp, rc=rc))
        merge = os.path.join(src, "scripts", "kconfig", "merge_config.sh")
        with open(merge, "w") as f:
            f.write(MERGE)
        os.chmod(merge, 0o755)
        return src

    def tearDown(self):
        self.tmp.cleanup()

    def run_build(self, src, poll="1"):
        env = dict(os.environ, BUILD=os.path.join(self.tmp.name, "build"),
                   BUILD_POLL=poll)
        return subprocess.run([BUILD_SH, "--name", "t", "--src", src], env=env,
                              capture_output=True, text=True, timeout=60)

    def test_quiet_build_past_a_poll(self):
        """A make that prints no compile line for longer than one poll is an
        up-to-date tree, not a failure (it used to end build.sh silently)."""
        p = self.run_build(self.tree(quiet=3))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("steps, ", p.stderr, "progress lines were printed")
        self.assertIn("up to date, nothing rebuilt", p.stderr)

    def test_compile_lines_counted(self):
        p = self.run_build(self.tree(quiet=2, compile_lines=5))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("5 build steps", p.stderr)

    def test_failed_make_fails_with_its_log(self):
        p = self.run_build(self.tree(quiet=2, rc=2))
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("FAIL: building t failed", p.stderr)
        self.assertIn("first compiler errors", p.stderr)

    def test_bad_poll(self):
        p = self.run_build(self.tree(quiet=0), poll="0.5")
        self.assertEqual(p.returncode, 2)
        self.assertIn("BUILD_POLL=0.5", p.stderr)

    def test_build_end_not_slept_out(self):
        """The build ending is seen within a second, not at the next poll
        (it used to sleep out the whole interval: 7 s per build on average,
        which make check pays once per patch)."""
        src = self.tree(quiet=1)
        t0 = time.monotonic()
        p = self.run_build(src, poll="30")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertLess(time.monotonic() - t0, 15, p.stderr)

    def test_config_kept_until_an_input_changes(self):
        """The .config is made again only when the fragments, a Kconfig file
        or the compiler changed since it was made."""
        src = self.tree(quiet=0)
        kconfig = os.path.join(src, "Kconfig")
        with open(kconfig, "w") as f:
            f.write("config A\n\tbool\n")
        p = self.run_build(src)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertNotIn("kept", p.stderr)
        p = self.run_build(src)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn(": kept)", p.stderr)
        with open(kconfig, "a") as f:
            f.write("config B\n\tbool\n")
        p = self.run_build(src)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertNotIn("kept", p.stderr)
        # A .config made by hand, or half made, has no key: made again.
        os.remove(os.path.join(self.tmp.name, "build", "kbuild", "t", ".config.key"))
        p = self.run_build(src)
        self.assertNotIn("kept", p.stderr)

    def test_other_linux_tree_builds_beside_itself(self):
        """A second tree called linux (the stock worktree) is built into a
        kbuild/NAME beside it, linked from build/kbuild/NAME, so that the
        source stands to the objects as build/linux does to its own and
        ccache (keyed by that relative path) shares their objects. A
        directory left there by the old layout is replaced by the link."""
        src = self.tree(quiet=0, where=os.path.join("stock", "linux"))
        old = os.path.join(self.tmp.name, "build", "kbuild", "t")
        os.makedirs(old)
        p = self.run_build(src)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(os.path.islink(old))
        real = os.path.realpath(old)
        self.assertEqual(real, os.path.realpath(os.path.join(self.tmp.name, "stock", "kbuild", "t")))
        self.assertTrue(os.path.exists(os.path.join(real, ".config")))
        tree = os.path.join(self.tmp.name, "build", "linux")
        self.assertEqual(os.path.relpath(src, real), os.path.relpath(tree, old))

    def test_other_tree_not_called_linux_builds_in_kbuild(self):
        p = self.run_build(self.tree(quiet=0, where="elsewhere"))
        self.assertEqual(p.returncode, 0, p.stderr)
        out = os.path.join(self.tmp.name, "build", "kbuild", "t")
        self.assertFalse(os.path.islink(out))
        self.assertTrue(os.path.exists(os.path.join(out, ".config")))


if __name__ == "__main__":
    unittest.main()
