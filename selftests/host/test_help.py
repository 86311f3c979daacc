"""Help is written once and agrees with the code.

make help comes from the `## ` comments of the Makefile: every phony
target has one. Every option that a script's argument loop parses is in
its Usage: synopsis, and every option of a Python script has help text.
"""
import glob
import os
import re
import subprocess
import unittest

# Targets of the kernel's own Makefile that the docs name as such.
KERNEL_TARGETS = {"allnoconfig", "olddefconfig", "htmldocs", "headers_install"}
TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def calls(code, opener):
    """The argument text of every call that starts with OPENER, parentheses
    balanced (strings with parentheses in them are fine as long as they
    balance)."""
    out, i = [], 0
    while (i := code.find(opener, i)) >= 0:
        j, depth = i + len(opener), 1
        while depth and j < len(code):
            depth += {"(": 1, ")": -1}.get(code[j], 0)
            j += 1
        out.append(code[i + len(opener):j - 1])
        i = j
    return out


def usage(path):
    """The comment block at the top of a shell script, as lib.sh's usage() prints it."""
    out = []
    with open(path) as f:
        next(f)
        for line in f:
            if not line.startswith("#"):
                break
            out.append(line[1:])
    return "".join(out)


class MakeHelp(unittest.TestCase):
    def test_every_phony_target_is_listed(self):
        with open(os.path.join(TOP, "Makefile")) as f:
            text = f.read()
        phony = re.search(r"^\.PHONY:((?:[^\n]*\\\n)*[^\n]*)", text, re.M).group(1)
        targets = phony.replace("\\\n", " ").split()
        out = subprocess.run(["make", "-s", "-C", TOP, "help"], capture_output=True,
                             text=True, check=True).stdout
        listed = set()
        for line in out.splitlines():
            m = re.match(r"^  (\S+(?: \S+)*?)  +\S", line)
            if m:
                listed.update(m.group(1).split())
        self.assertEqual(sorted(set(targets) - listed), [],
                         "phony targets without a `## ` help comment")
        self.assertEqual(sorted(listed - set(targets)), [],
                         "make help lists targets that are not .PHONY")


class Docs(unittest.TestCase):
    def test_make_targets_named_in_docs_exist(self):
        with open(os.path.join(TOP, "Makefile")) as f:
            targets = set()
            for line in f:
                m = re.match(r"^([a-z][a-z -]*):", line)
                if m:
                    targets.update(m.group(1).split())
        bad = []
        for path in [os.path.join(TOP, "README.md")] + sorted(
                glob.glob(os.path.join(TOP, "Documentation", "*.md"))):
            with open(path) as f:
                text = f.read()
            for t in set(re.findall(r"`make ([a-z][a-z-]*)", text)):
                if t not in targets | KERNEL_TARGETS:
                    bad.append(f"{os.path.basename(path)}: make {t}")
        self.assertEqual(sorted(bad), [], "docs name make targets that do not exist")

    def test_no_counts_that_change(self):
        """The README and the status page quote no count of patches, tests or
        passes: those change with every patch, and make status prints them
        from the latest results. (Dated measurements live elsewhere.)"""
        count = re.compile(r"\b\d+(?:-patch\b| patches\b| hmm-tests\b| passed\b)")
        bad = []
        for name in ("README.md", os.path.join("Documentation", "status.md")):
            with open(os.path.join(TOP, name)) as f:
                for n, line in enumerate(f, 1):
                    bad += [f"{name}:{n}: {m.group(0)}" for m in count.finditer(line)]
        self.assertEqual(bad, [], "counts that go stale: let make status print them")

    def test_readme_is_short(self):
        with open(os.path.join(TOP, "README.md")) as f:
            n = len(f.readlines())
        self.assertLessEqual(n, 100, "the README is read in a minute: figures go to "
                             "Documentation/ and make status")


class ScriptOptions(unittest.TestCase):
    def test_shell_options_are_in_usage(self):
        missing = []
        for path in sorted(glob.glob(os.path.join(TOP, "scripts", "*.sh")) +
                           [os.path.join(TOP, "selftests", "host", "run.sh")]):
            if path.endswith("lib.sh"):
                continue
            with open(path) as f:
                code = f.read()
            # The synopsis: from "Usage:" to the first blank line.
            text = usage(path).split("Usage:", 1)[-1].split("\n\n", 1)[0]
            opts = set()
            for alts in re.findall(r"^\s*((?:-[-\w]*\|)*--[a-z][a-z0-9-]*)\)", code, re.M):
                opts.update(o for o in alts.split("|") if o.startswith("--"))
            for opt in sorted(opts):
                if not re.search(re.escape(opt) + r"\b", text):
                    missing.append(f"{os.path.basename(path)}: {opt}")
        self.assertEqual(missing, [], "options parsed but not in the Usage: synopsis")

    def test_python_options_have_help(self):
        missing = []
        for path in sorted(glob.glob(os.path.join(TOP, "scripts", "*.py"))):
            with open(path) as f:
                code = f.read()
            for call in calls(code, "add_argument("):
                if "help=" not in call:
                    missing.append(f"{os.path.basename(path)}: {call.split(',')[0]} (no help)")
                if not re.search(r"\b(type|action|choices)=", call):
                    missing.append(f"{os.path.basename(path)}: {call.split(',')[0]} (no type)")
        self.assertEqual(missing, [], "argparse options without help text or a type")


if __name__ == "__main__":
    unittest.main()
