"""checkpatch: scripts/checkpatch.pl --strict, with configs/checkpatch-allowlist."""
import fnmatch
import re

from checks.common import CTREE, Finding, run


def check_checkpatch(name, path, allow):
    """Findings of checkpatch.pl --strict on the patch file at PATH that
    configs/checkpatch-allowlist does not list for NAME, and the messages
    it did list."""
    code, out = run(["perl", "scripts/checkpatch.pl", "--strict", "--no-summary", path],
                    cwd=CTREE)
    msgs = [l for l in out.splitlines() if re.match(r"^(ERROR|WARNING|CHECK):", l)]
    bad, allowed = [], []
    lines = out.splitlines()
    for m in msgs:
        if any(fnmatch.fnmatchcase(name, p) and m == msg for p, msg, _ in allow):
            allowed.append(m)
            continue
        i = lines.index(m)
        bad.append("\n".join(lines[i:i + 4]).rstrip())
    if code and not msgs:
        bad.append(f"checkpatch.pl exited {code} with no message:\n{out[-1500:]}")
    return [Finding("checkpatch", name, b) for b in bad], allowed
