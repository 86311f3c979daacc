"""Tests of scripts/lib.sh's handling of an unexpected failure."""
import os
import subprocess
import tempfile
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SCRIPT = """#!/usr/bin/env bash
set -euo pipefail
. "{top}/scripts/lib.sh"
echo before
x=$(grep -c nothing-here /dev/null | tail -n 1)
false || echo handled
echo after "$x"
"""


class LibShTest(unittest.TestCase):
    def test_unhandled_failure_names_itself(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "step.sh")
            with open(path, "w") as f:
                f.write(SCRIPT.format(top=TOP))
            os.chmod(path, 0o755)
            p = subprocess.run([path], capture_output=True, text=True, timeout=30,
                               env=dict(os.environ, BUILD=d))
        self.assertEqual(p.returncode, 1)
        self.assertEqual(p.stdout, "before\n", "set -e still ends the script there")
        self.assertEqual(
            p.stderr,
            'ERROR: step.sh line 5: "x=$(grep -c nothing-here /dev/null | tail -n 1)" '
            "failed with status 1, which the script does not handle\n")


if __name__ == "__main__":
    unittest.main()
