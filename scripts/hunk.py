#!/usr/bin/env python3
"""Name the hunks of a patch that `git apply --check -v` could not apply.

Usage: git apply --check -v PATCH 2>&1 | scripts/hunk.py PATCH

Reads git apply's messages ("error: patch failed: FILE:LINE") on stdin and
prints, for each, the file, the hunk number and the hunk itself.
"""
import re
import sys
from hmmcommon import run_main


def hunks(patch_text):
    """Yield (file, index, old_start, text) for every hunk of the patch."""
    cur, idx, buf, start = None, 0, [], None
    for line in patch_text.splitlines():
        m = re.match(r"^diff --git a/(\S+) b/", line)
        if m:
            if buf:
                yield cur, idx, start, "\n".join(buf)
            cur, idx, buf, start = m.group(1), 0, [], None
            continue
        m = re.match(r"^@@ -(\d+)", line)
        if m and cur:
            if buf:
                yield cur, idx, start, "\n".join(buf)
            idx += 1
            start, buf = int(m.group(1)), [line]
            continue
        if buf and (line[:1] in (" ", "+", "-", "\\") or line == ""):
            if line.startswith("-- ") and line.strip() == "--":
                continue
            buf.append(line)
    if buf:
        yield cur, idx, start, "\n".join(buf)


def main():
    if len(sys.argv) != 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        sys.exit(0 if len(sys.argv) == 2 else 2)
    patch = open(sys.argv[1], errors="replace").read()
    all_hunks = list(hunks(patch))
    found = False
    for line in sys.stdin:
        sys.stdout.write(line)
        m = re.match(r"^error: patch failed: (.+):(\d+)$", line.strip())
        if not m:
            continue
        path, lno = m.group(1), int(m.group(2))
        for f, idx, start, text in all_hunks:
            if f == path and start == lno:
                print(f"==> {sys.argv[1].rsplit('/', 1)[-1]}: {path}: hunk #{idx} "
                      f"(at line {lno}) does not apply:")
                print(text)
                found = True
    if not found:
        print("(no hunk identified; see the messages above)")
    return 0


if __name__ == "__main__":
    run_main(main)
