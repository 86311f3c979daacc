"""kdoc: no new kernel-doc warning in the touched files, and kernel-doc for
every exported function that a patch changes."""
import collections
import os
import re

from checks.common import CTREE, Finding, is_kernel_c, run


def kdoc_warnings(f):
    path = os.path.join(CTREE, f)
    if not os.path.exists(path):
        return collections.Counter()
    _, out = run(["perl", "scripts/kernel-doc", "-none", "-Wall", f], cwd=CTREE)
    found = collections.Counter()
    for line in out.splitlines():
        m = re.match(r"^([^:]+):\d+: (warning|error): (.*)$", line)
        if m:
            found[(m.group(1), m.group(3))] += 1
    return found


def changed_lines(diff_text):
    """{file: set of new-side line numbers added or next to a removal}."""
    out = collections.defaultdict(set)
    cur, ln = None, 0
    for line in diff_text.splitlines():
        m = re.match(r"^\+\+\+ b/(\S+)", line)
        if m:
            cur = m.group(1)
            continue
        m = re.match(r"^@@ -\d+(?:,\d+)? \+(\d+)", line)
        if m:
            ln = int(m.group(1))
            continue
        if cur is None or line.startswith(("diff ", "index ", "--- ")):
            continue
        if line.startswith("+"):
            out[cur].add(ln)
            ln += 1
        elif line.startswith("-"):
            out[cur].add(ln)
        elif line.startswith(" "):
            ln += 1
    return out


def exported_functions(text):
    """{name: (first line, last line)} of functions exported in a C file."""
    names = set(re.findall(r"^EXPORT_SYMBOL(?:_GPL)?\((\w+)\);", text, flags=re.M))
    lines = text.split("\n")
    out = {}
    for name in names:
        for i, l in enumerate(lines):
            if re.match(rf"^[A-Za-z].*\b{name}\(", l) and not l.rstrip().endswith(";"):
                j = i
                while j < len(lines) and lines[j] != "}":
                    j += 1
                out[name] = (i + 1, j + 1, i)
                break
    return out, lines


def has_kdoc(lines, idx, name):
    j = idx - 1
    while j >= 0 and lines[j].strip() == "":
        j -= 1
    if j < 0 or not lines[j].strip().endswith("*/"):
        return False
    while j >= 0 and not lines[j].startswith("/**"):
        if lines[j].startswith("/*") and not lines[j].startswith("/**"):
            return False
        j -= 1
    return j >= 0 and re.search(rf"\b{name}\b", lines[j + 1] if j + 1 < len(lines) else "")


def check_exports(patch, diff_text, files):
    """Findings for exported functions that the diff changes and that have
    no kernel-doc comment."""
    errs = []
    changed = changed_lines(diff_text)
    for f in files:
        if not is_kernel_c(f) or not os.path.exists(os.path.join(CTREE, f)):
            continue
        with open(os.path.join(CTREE, f), errors="replace") as fh:
            funcs, lines = exported_functions(fh.read())
        for name, (first, last, idx) in funcs.items():
            touched = any(first <= n <= last for n in changed.get(f, ()))
            if touched and not has_kdoc(lines, idx, name):
                errs.append(Finding("kdoc", patch,
                                    f"{f}: exported {name}() is changed but has no kernel-doc"))
    return errs
