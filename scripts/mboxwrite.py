#!/usr/bin/env python3
"""mboxwrite.py - the series as the mail linux-mm gets: one mbox file.

Usage: scripts/mboxwrite.py --out FILE --name NAME --version N --change-id ID
                            [--to LIST] --cc LIST [--changes FILE]
                            [--range-diff FILE] COVER PATCH...

Writes the cover letter and the patches with subjects "[PATCH vN i/M]"
(no vN for version 1), To/Cc, deterministic Message-Ids, and every patch
In-Reply-To the cover letter, as git send-email would send them. Into the
cover letter it puts, for a version after the first, "Changes in vK:" for
every K from N down to 2 (from --changes), and "Range-diff against
vN-1:" (from --range-diff) after the diffstat; and, after base-commit:,
the change-id that stays the same from version to version (b4's
trailer), so that a reader and b4 tie the versions together. Run by
scripts/mbox.sh.
"""
import argparse
import hashlib
import re

from hmmcommon import SetupError, run_main


def read_changes(path):
    """{version: [lines]} from the changelog: "vN:" headers, "- item" lines."""
    out, cur = {}, None
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            m = re.fullmatch(r"v(\d+):", line)
            if m:
                cur = int(m.group(1))
                if cur in out:
                    raise SetupError(f"{path}:{n}: v{cur} is listed twice")
                out[cur] = []
            elif cur is None:
                raise SetupError(f"{path}:{n}: an entry before the first 'vN:' line")
            else:
                out[cur].append(line)
    return out


def cover_extras(text, version, changes, range_diff, change_id):
    """The cover letter TEXT with the changes, range-diff and change-id in."""
    head, sep, body = text.partition("\n\n")
    if version > 1:
        missing = [v for v in range(2, version + 1) if not changes.get(v)]
        if missing:
            raise SetupError("the changelog has no entry for " +
                             ", ".join(f"v{v}" for v in missing))
        block = "".join(f"Changes in v{v}:\n" + "\n".join(changes[v]) + "\n\n"
                        for v in range(version, 1, -1))
        # Before the shortlog ("Author Name (N):"), as a reviewer reads it.
        m = re.search(r"^\S[^\n]* \(\d+\):$", body, re.M)
        if not m:
            raise SetupError("the cover letter has no shortlog to put the changes before")
        body = body[:m.start()] + block + body[m.start():]
    tail = f"change-id: {change_id}\n"
    if range_diff:
        rd = f"Range-diff against v{version - 1}:\n{range_diff.rstrip()}\n\n"
        m = re.search(r"^base-commit: ", body, re.M)
        body = body[:m.start()] + rd + body[m.start():] if m else body + "\n" + rd
    body = body.rstrip("\n") + "\n" + tail
    return head + sep + body


def build(files, name, version, to, cc, change_id, changes=None, range_diff=""):
    """The mbox text: files[0] is the cover letter."""
    n = len(files) - 1
    width = len(str(n))
    vtag = f" v{version}" if version > 1 else ""
    ids, texts = [], []
    for i, f in enumerate(files):
        with open(f) as fh:
            texts.append(fh.read())
        digest = hashlib.sha1(texts[-1].encode()).hexdigest()[:12]
        ids.append(f"<{name}-v{version}-{i:0{width}d}-{digest}@hmm-series.example.org>")
    texts[0] = cover_extras(texts[0], version, changes or {}, range_diff, change_id)
    msgs = []
    for i, text in enumerate(texts):
        head, sep, body = text.partition("\n\n")
        lines = head.split("\n")
        out_lines, j = [], 0
        while j < len(lines):
            line = lines[j]
            if line.startswith("Subject: "):
                subj = line[len("Subject: "):]
                while j + 1 < len(lines) and lines[j + 1][:1] in (" ", "\t"):
                    j += 1
                    subj += lines[j]
                subj = re.sub(r"^\[PATCH[^\]]*\]\s*", "", subj)
                out_lines.append(f"Subject: [PATCH{vtag} {i:0{width}d}/{n}] {subj}")
                out_lines.append(f"To: {to}" if to else f"To: {cc}")
                if to:
                    out_lines.append(f"Cc: {cc}")
                out_lines.append(f"Message-Id: {ids[i]}")
                if i:
                    out_lines.append(f"In-Reply-To: {ids[0]}")
                    out_lines.append(f"References: {ids[0]}")
            else:
                out_lines.append(line)
            j += 1
        msgs.append("\n".join(out_lines) + sep + body)
    return "".join(m if m.endswith("\n") else m + "\n" for m in msgs)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=str, required=True, metavar="FILE", help="the mbox to write")
    ap.add_argument("--name", type=str, required=True, help="the series' name (configs/series.conf)")
    ap.add_argument("--version", required=True, type=int, help="the version being posted")
    ap.add_argument("--change-id", type=str, required=True, metavar="ID",
                    help="the id that stays the same across versions")
    ap.add_argument("--to", type=str, default="", metavar="LIST", help="the To: addresses")
    ap.add_argument("--cc", type=str, required=True, metavar="LIST", help="the Cc: addresses (lists)")
    ap.add_argument("--changes", type=str, metavar="FILE", help="the changelog (configs/series.changes)")
    ap.add_argument("--range-diff", type=str, metavar="FILE",
                    help="git range-diff against the previous version, for the cover letter")
    ap.add_argument("files", type=str, nargs="+", metavar="FILE",
                    help="the cover letter, then the patches in order")
    a = ap.parse_args(argv)
    if a.version < 1:
        ap.error("--version is 1 or more")
    changes = read_changes(a.changes) if a.changes else {}
    rd = ""
    if a.range_diff:
        with open(a.range_diff) as f:
            rd = f.read()
    text = build(a.files, a.name, a.version, a.to, a.cc, a.change_id, changes, rd)
    with open(a.out, "w") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    run_main(main)
