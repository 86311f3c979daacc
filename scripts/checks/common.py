"""What the checks of make check share: paths, running commands, findings."""
import dataclasses
import fnmatch
import os
import re
import subprocess

from hmmcommon import GIT_IDENT_EMAIL, GIT_IDENT_NAME, TOP, SetupError

BUILD = os.environ.get("BUILD", os.path.join(TOP, "build"))
TREE = os.environ.get("TREE", os.path.join(BUILD, "linux"))
CTREE = TREE   # the checks run in build/linux itself, so that ccache hits
WOUT = os.path.join(BUILD, "kbuild", "check-w1")
DOUT = os.path.join(BUILD, "kbuild", "check-drivers")


@dataclasses.dataclass(frozen=True)
class Finding:
    """One problem a check found: which check, in which patch ("series"
    for the series-level checks), and what, as printed in the details."""
    check: str
    patch: str
    text: str


def run(cmd, cwd=None, check=False, env=None):
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, errors="replace", env=env)
    if check and p.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{p.stdout[-3000:]}")
    return p.returncode, p.stdout


def git(*args, cwd=CTREE, check=True):
    return run(["git", "-c", f"user.name={GIT_IDENT_NAME}",
                "-c", f"user.email={GIT_IDENT_EMAIL}", *args], cwd=cwd, check=check)[1]


def patch_files(text):
    """Files a patch touches (new names), and whether it has any diff."""
    files = re.findall(r"^diff --git a/\S+ b/(\S+)$", text, flags=re.M)
    return files


def is_kernel_c(f):
    return f.endswith(".c") and not f.startswith(("tools/", "scripts/", "Documentation/"))


def builds_kernel(files):
    """Whether a patch touching FILES can change what the kernel build
    makes: anything but selftests (tools/testing/), Documentation/ and
    MAINTAINERS. Other tools/ files, objtool's for one, are built with it."""
    return any(not f.startswith(("tools/testing/", "Documentation/")) and f != "MAINTAINERS"
               for f in files)


def load_allowlist(name="checkpatch-allowlist"):
    out = []
    path = os.path.join(TOP, "configs", name)
    with open(path) as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            parts = [p.strip() for p in line.rstrip("\n").split(" | ")]
            if len(parts) != 3 or not parts[2]:
                raise SetupError(f"{path}: want 'PATCH | MESSAGE | WHY': {line!r}")
            out.append(parts)
    return out


def allowed_warning(patch, warning, allow):
    return any(fnmatch.fnmatchcase(patch, p) and warning == m for p, m, _ in allow)


def new_items(now, before):
    return [f"{f}: {m}" for (f, m), n in (now - before).items() for _ in range(n)]
