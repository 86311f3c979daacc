"""series: MAINTAINERS.fragment against the series, and the Sphinx build of
the touched .rst files."""
import collections
import os
import re

from checks.common import BUILD, CTREE, TOP, Finding, git, run


def check_maintainers():
    """A finding if MAINTAINERS.fragment is not what the series adds."""
    diff = git("diff", "base", "HEAD", "--", "MAINTAINERS", cwd=CTREE)
    added = [l[1:] for l in diff.splitlines() if l.startswith("+") and not l.startswith("+++")]
    frag = [l.rstrip("\n") for l in open(os.path.join(TOP, "MAINTAINERS.fragment"))
            if not l.startswith("#")]
    while frag and not frag[-1].strip():
        frag.pop()
    while added and not added[-1].strip():
        added.pop()
    if frag == added:
        return []
    return [Finding("MAINTAINERS.fragment", "series",
                    "MAINTAINERS.fragment differs from what the series adds to MAINTAINERS:\n"
                    "  fragment: " + repr(frag[:8]) + "\n  series:   " + repr(added[:8]))]


def sphinx_warnings(rst_files):
    """Sphinx warnings about the given .rst files, for Documentation/mm."""
    out_dir = os.path.join(BUILD, "docs")
    dirs = sorted({f.split("/")[1] for f in rst_files})
    _, out = run(["make", "-C", CTREE, f"O={out_dir}", f"SPHINXDIRS={' '.join(dirs)}",
                  "htmldocs"])
    found = collections.Counter()
    for line in out.splitlines():
        m = re.match(r"^(?:.*?/)?(Documentation/\S+?\.rst):(?:\d+:)? (WARNING|ERROR|CRITICAL): (.*)$",
                     line)
        if m and m.group(1) in rst_files:
            found[(m.group(1), m.group(3))] += 1
    if "sphinx-build" in out and "not found" in out:
        found[("Documentation", "sphinx-build not found")] += 1
    return found
