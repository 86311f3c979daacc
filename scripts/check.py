#!/usr/bin/env python3
"""The upstream checks: per-patch checks of the series (run by scripts/check.sh).

Walks the commits that scripts/apply.sh made in build/linux from `series`
(base..refs/hmm/applied), checking out each in turn, and runs for each:

  checkpatch  scripts/checkpatch.pl --strict: no ERROR, WARNING or CHECK
              outside configs/checkpatch-allowlist
  build       the minimal kernel builds (incremental, ccache), and touched
              selftest sources compile; where the patch touches drivers/ or
              include/, the driver objects of configs/drivers.objects
              compile in a tree configured with configs/drivers.config
  W=1         no new W=1 compiler warnings in the touched kernel .c files
              (driver files in the drivers tree; gcc -Wall -Wextra for
              touched selftest .c files), against base
  sparse      no new sparse (C=2) warnings in the touched kernel .c files
  kdoc        scripts/kernel-doc -none -Wall: no new warnings in touched
              kernel .c/.h files, and kernel-doc for every exported symbol
              that the patch adds or changes
  msg         subject "subsys: summary", imperative, <= 75 chars; body
              wrapped at 75; Signed-off-by matches From; Fixes: format;
              patch not empty

and for the whole series: `make SPHINXDIRS=<dirs> htmldocs` gives no new
warning in the touched .rst files; the cover letter's count, shortlog and diffstat
(scripts/cover-letter.sh --check) and MAINTAINERS.fragment against the
MAINTAINERS hunk of the series. Prints a table, the details of every
failure, and "check: N passed, M failed"; exits 1 on any failure.
"""
import argparse
import collections
import email
import email.policy
import fnmatch
import os
import re
import subprocess
import sys
import time
from hmmcommon import GIT_IDENT_EMAIL, GIT_IDENT_NAME, SetupError, run_main, series_patches

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("BUILD", os.path.join(TOP, "build"))
TREE = os.environ.get("TREE", os.path.join(BUILD, "linux"))
CTREE = TREE   # the checks run in build/linux itself, so that ccache hits
WOUT = os.path.join(BUILD, "kbuild", "check-w1")
DOUT = os.path.join(BUILD, "kbuild", "check-drivers")
COLS = ["checkpatch", "build", "W=1", "sparse", "kdoc", "msg"]
# What --only takes: the columns, and "series" for the series-level checks.
CHECKS = COLS + ["series"]


def check_list(text):
    names = [c.strip() for c in text.split(",") if c.strip()]
    bad = [c for c in names if c not in CHECKS]
    if bad or not names:
        raise argparse.ArgumentTypeError(
            f"unknown check {', '.join(bad) or '(none)'}; the checks are {', '.join(CHECKS)}")
    return names


def patch_range(text):
    m = re.fullmatch(r"(\d+)(?:-(\d+))?", text)
    if not m or int(m.group(1)) < 1 or (m.group(2) and int(m.group(2)) < int(m.group(1))):
        raise argparse.ArgumentTypeError(f"want N or N-M with 1 <= N <= M: {text!r}")
    return int(m.group(1)), int(m.group(2) or m.group(1))
NON_IMPERATIVE = {
    "adds", "fixes", "makes", "removes", "updates", "uses", "changes", "moves",
    "converts", "implements", "introduces", "allows", "ensures", "avoids",
    "handles", "drops", "teaches", "lets", "returns", "asks", "tests", "adding",
}


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


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


# ---------------------------------------------------------------- checkpatch
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


def check_checkpatch(name, path, allow):
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
    return (not bad), bad, allowed


# --------------------------------------------------------------------- build
def check_build(name, files):
    code, out = run([os.path.join(TOP, "scripts", "build.sh"), "--name", "patched",
                     "--src", CTREE])
    if code:
        blog = os.path.join(BUILD, "kbuild", "patched", "build.log")
        first = ""
        if os.path.exists(blog):
            errs = [l for l in open(blog, errors="replace") if "error:" in l or "Error " in l]
            first = errs[0].strip() if errs else ""
        return False, [f"the kernel does not build after {name}: {first or out[-1500:]}"]
    errs = []
    for f in files:
        if f.startswith("tools/") and f.endswith(".c") and os.path.exists(os.path.join(CTREE, f)):
            code, out = tools_cc(f, ["-fsyntax-only", "-Wall"])
            if code:
                errs.append(f"{f} does not compile:\n{out[-1500:]}")
    return not errs, errs


def tools_cc(f, extra):
    hdr = os.path.join(BUILD, "kbuild", "patched", "usr", "include")
    run(["make", "-s", "-C", CTREE, f"O={os.path.join(BUILD, 'kbuild', 'patched')}",
         "ARCH=x86_64", "headers_install"], check=True)
    return run(["gcc", *extra, "-O2", "-I", CTREE, "-isystem", hdr, "-isystem",
                os.path.join(CTREE, "tools/include/uapi"), os.path.join(CTREE, f)],
               cwd=os.path.dirname(os.path.join(CTREE, f)))


# ---------------------------------------------------------- W=1 and sparse
def norm_warnings(out, kind):
    """Warning lines as (file, message) with line numbers dropped."""
    found = collections.Counter()
    for line in out.splitlines():
        m = re.match(r"^(?:\.\./)*(?:[^:]*?/)?((?:mm|lib|include|drivers|tools|arch|kernel|fs)"
                     r"/[^:]+):\d+(?::\d+)?: (warning|error): (.*)$", line)
        if m:
            found[(m.group(1), m.group(3).strip())] += 1
    return found


def wmake(args, out=WOUT):
    env = dict(os.environ, KBUILD_BUILD_TIMESTAMP="Sat Jan  1 00:00:00 UTC 2000")
    return run(["make", "-C", CTREE, f"O={out}", "ARCH=x86_64", "-j2", *args], env=env)


def w1_prepare():
    os.makedirs(WOUT, exist_ok=True)
    cfg = os.path.join(BUILD, "kbuild", "patched", ".config")
    run(["cp", cfg, os.path.join(WOUT, ".config")], check=True)
    code, out = wmake(["olddefconfig"])
    if code:
        raise RuntimeError(out[-2000:])
    code, out = wmake(["prepare"])
    if code:
        raise RuntimeError(out[-2000:])


# ------------------------------------------------------------------ drivers
def driver_objects():
    """configs/drivers.objects: {source file: object target}."""
    objs = {}
    with open(os.path.join(TOP, "configs", "drivers.objects")) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                objs[os.path.normpath(line[:-2] + ".c")] = line
    return objs


DRIVER_OBJS = driver_objects()


def drivers_prepare():
    code, out = run([os.path.join(TOP, "scripts", "build.sh"), "--name", "check-drivers",
                     "--src", CTREE, "--fragment",
                     os.path.join(TOP, "configs", "drivers.config"), "--target", "prepare"])
    if code:
        raise RuntimeError(f"configuring {DOUT} failed:\n{out[-2000:]}")


def build_drivers(name):
    """Compile every driver object; the errors, if any."""
    code, out = wmake(list(DRIVER_OBJS.values()), out=DOUT)
    if not code:
        return []
    errs = [l.strip() for l in out.splitlines() if "error:" in l or "Error " in l]
    return [f"the driver objects do not compile after {name}: "
            + ("\n".join(errs[:5]) if errs else out[-1500:])]


def obj_of(f):
    """The object target of a kernel .c file, and the tree it is built in."""
    if f.startswith("drivers/"):
        return DRIVER_OBJS.get(f), DOUT
    return f[:-2] + ".o", WOUT


def w1_warnings(f):
    obj, out_dir = obj_of(f)
    try:
        os.remove(os.path.join(out_dir, obj))
    except FileNotFoundError:
        pass
    _, out = wmake(["W=1", obj], out=out_dir)
    return norm_warnings(out, "W=1")


def sparse_warnings(f):
    obj, out_dir = obj_of(f)
    _, out = wmake(["C=2", "CHECK=sparse", obj], out=out_dir)
    return norm_warnings(out, "sparse")


def tools_warnings(f):
    if not os.path.exists(os.path.join(CTREE, f)):
        return collections.Counter()
    _, out = tools_cc(f, ["-fsyntax-only", "-Wall", "-Wextra"])
    return norm_warnings(out, "tools")


def allowed_warning(patch, warning, allow):
    return any(fnmatch.fnmatchcase(patch, p) and warning == m for p, m, _ in allow)


def new_items(now, before):
    return [f"{f}: {m}" for (f, m), n in (now - before).items() for _ in range(n)]


# ---------------------------------------------------------------- kernel-doc
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


def check_exports(diff_text, files):
    errs = []
    changed = changed_lines(diff_text)
    for f in files:
        if not is_kernel_c(f) or not os.path.exists(os.path.join(CTREE, f)):
            continue
        funcs, lines = exported_functions(open(os.path.join(CTREE, f), errors="replace").read())
        for name, (first, last, idx) in funcs.items():
            touched = any(first <= n <= last for n in changed.get(f, ()))
            if touched and not has_kdoc(lines, idx, name):
                errs.append(f"{f}: exported {name}() is changed but has no kernel-doc")
    return errs


# ------------------------------------------------------------------ messages
def check_message(text):
    errs = []
    msg = email.message_from_string(text, policy=email.policy.default)
    subject = re.sub(r"\s+", " ", str(msg["Subject"] or ""))
    subject = re.sub(r"^\[[^\]]*\]\s*", "", subject)
    sender = str(msg["From"] or "")
    if len(subject) > 75:
        errs.append(f"subject is {len(subject)} characters (at most 75): {subject}")
    m = re.match(r"^([\w./-]+(?:: [\w./-]+)*): (\S+)", subject)
    if not m:
        errs.append(f"subject is not 'subsys: summary': {subject}")
    else:
        word = m.group(2)
        if word[0].isupper() and not word.isupper():
            errs.append(f"summary should start in lower case: {word}")
        w = word.lower()
        if w.endswith(("ed", "ing")) and w not in ("need", "embed") or w in NON_IMPERATIVE:
            errs.append(f"summary should be imperative ('{word}' is not): {subject}")
    payload = text.split("\n\n", 1)[1] if "\n\n" in text else ""
    body = payload.split("\n---\n", 1)[0]
    if "\n---\n" not in payload:
        errs.append("no '---' separator between message and diff")
    if not re.search(r"^diff --git ", text, flags=re.M):
        errs.append("the patch is empty (no diff)")
    for line in body.splitlines():
        if len(line) > 75 and not re.match(r"^[\w-]+: ", line) and "://" not in line:
            errs.append(f"body line longer than 75 columns: {line}")
    sobs = re.findall(r"^Signed-off-by: (.+)$", body, flags=re.M)
    if not sobs:
        errs.append("no Signed-off-by")
    elif sender.strip() not in [s.strip() for s in sobs]:
        errs.append(f"no Signed-off-by matches From ({sender})")
    for fx in re.findall(r"^Fixes:.*$", body, flags=re.M):
        if not re.match(r'^Fixes: [0-9a-f]{12,40} \("[^\n]+"\)$', fx):
            errs.append(f"Fixes: tag not in the kernel's format: {fx}")
    if len(body.strip().splitlines()) < 3:
        errs.append("the message has no body saying why")
    return not errs, errs


# ----------------------------------------------------------- series checks
def check_maintainers():
    diff = git("diff", "base", "HEAD", "--", "MAINTAINERS", cwd=CTREE)
    added = [l[1:] for l in diff.splitlines() if l.startswith("+") and not l.startswith("+++")]
    frag = [l.rstrip("\n") for l in open(os.path.join(TOP, "MAINTAINERS.fragment"))
            if not l.startswith("#")]
    while frag and not frag[-1].strip():
        frag.pop()
    while added and not added[-1].strip():
        added.pop()
    if frag == added:
        return True, []
    return False, ["MAINTAINERS.fragment differs from what the series adds to MAINTAINERS:",
                   "  fragment: " + repr(frag[:8]), "  series:   " + repr(added[:8])]


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


def main():
    ap = argparse.ArgumentParser(description="per-patch upstream checks")
    ap.add_argument("--no-build", action="store_true",
                    help="skip the bisect build, W=1 and sparse columns")
    ap.add_argument("--only", metavar="CHECKS", type=check_list,
                    help="run only these checks, comma-separated, of: " + ", ".join(CHECKS))
    ap.add_argument("--patches", metavar="N[-M]", type=patch_range,
                    help="check only patches N to M of the series (1-based)")
    a = ap.parse_args()
    a.want = set(a.only or CHECKS)
    if a.no_build:
        a.want -= {"build", "W=1", "sparse"}
    allow = load_allowlist()
    wallow = load_allowlist("warnings-allowlist")
    patches = series_patches()
    commits = git("rev-list", "--reverse", "base..refs/hmm/applied").split()
    if len(commits) != len(patches):
        raise SetupError(f"build/linux has {len(commits)} applied commits for "
                         f"{len(patches)} patches: run scripts/apply.sh")
    if git("status", "--porcelain").strip():
        raise SetupError(f"{CTREE} has uncommitted changes")
    # checkpatch and msg read the patch files; the others need the tree at
    # base for their baselines, then at each commit.
    if not a.want & {"build", "W=1", "sparse", "kdoc", "series"}:
        return run_checks(a, patches, commits, allow, wallow)
    git("checkout", "-q", "-f", "--detach", "base")
    try:
        return run_checks(a, patches, commits, allow, wallow)
    finally:
        git("checkout", "-q", "-f", "series")


def run_checks(a, patches, commits, allow, wallow):
    all_files = []
    texts = {}
    for p in patches:
        texts[p] = open(os.path.join(TOP, "patches", p), errors="replace").read()
        for f in patch_files(texts[p]):
            if f not in all_files:
                all_files.append(f)
    kc = [f for f in all_files if is_kernel_c(f)]
    unlisted = [f for f in kc if f.startswith("drivers/") and f not in DRIVER_OBJS]
    if unlisted:
        raise SystemExit("the series changes " + ", ".join(unlisted) + ", not in "
                         "configs/drivers.objects: nothing would compile it")
    touches_drivers = any(f.startswith("drivers/") for f in kc)
    tc = [f for f in all_files if f.startswith("tools/") and f.endswith(".c")]
    kd = [f for f in all_files if f.endswith((".c", ".h")) and not f.startswith("tools/")]

    base_w1, base_sparse, base_tools = {}, {}, {}
    results, details = {}, collections.defaultdict(list)
    want = a.want
    base_kdoc = {f: kdoc_warnings(f) for f in kd} if "kdoc" in want else {}
    rst = [f for f in all_files if f.startswith("Documentation/") and f.endswith(".rst")]
    if "series" not in want:
        rst = []
    base_docs = sphinx_warnings(rst) if rst else collections.Counter()
    building = bool(want & {"build", "W=1", "sparse"})
    if building:
        log("base: building the minimal kernel, then W=1 and sparse baselines")
        ok, errs = check_build("base", [])
        if not ok:
            raise SetupError("the base does not build: " + "; ".join(errs))
        w1_prepare()
        if touches_drivers:
            log("base: configuring the drivers tree and compiling the driver objects")
            drivers_prepare()
            errs = build_drivers("base")
            if errs:
                raise SetupError("the base's driver objects do not compile: " + errs[0])
        for f in kc:
            if os.path.exists(os.path.join(CTREE, f)):
                base_w1[f] = w1_warnings(f)
                base_sparse[f] = sparse_warnings(f)
        for f in tc:
            base_tools[f] = tools_warnings(f)

    lo, hi = a.patches or (1, len(patches))
    for n, p in enumerate(patches, 1):
        if not lo <= n <= hi:
            continue
        log(f"{n}/{len(patches)} {p}")
        r = dict.fromkeys(COLS)
        files = patch_files(texts[p])
        if "checkpatch" in want:
            ok, bad, allowed = check_checkpatch(p, os.path.join(TOP, "patches", p), allow)
            r["checkpatch"] = ok
            details[(p, "checkpatch")] += bad
        if building or "kdoc" in want:
            git("checkout", "-q", "--detach", commits[n - 1])
        if building:
            ok, errs = check_build(p, files)
            if touches_drivers and any(f.startswith(("drivers/", "include/")) for f in files):
                errs += build_drivers(p)
                ok = not errs
            r["build"] = ok if "build" in want else None
            details[(p, "build")] += errs
            w1, sp = [], []
            for f in files:
                if f in kc and os.path.exists(os.path.join(CTREE, f)):
                    w1 += new_items(w1_warnings(f), base_w1.get(f, collections.Counter()))
                    sp += new_items(sparse_warnings(f), base_sparse.get(f, collections.Counter()))
                elif f in tc:
                    w1 += new_items(tools_warnings(f), base_tools.get(f, collections.Counter()))
            w1 = [w for w in w1 if not allowed_warning(p, w, wallow)]
            sp = [w for w in sp if not allowed_warning(p, w, wallow)]
            if "W=1" in want:
                r["W=1"] = not w1
                details[(p, "W=1")] += w1
            if "sparse" in want:
                r["sparse"] = not sp
                details[(p, "sparse")] += sp
        if "kdoc" in want:
            diff_text = git("show", "--format=", "HEAD")
            kerrs = []
            for f in files:
                if f in kd:
                    kerrs += new_items(kdoc_warnings(f), base_kdoc.get(f, collections.Counter()))
            kerrs += check_exports(diff_text, files)
            r["kdoc"] = not kerrs
            details[(p, "kdoc")] += kerrs
        if "msg" in want:
            ok, errs = check_message(texts[p])
            r["msg"] = ok
            details[(p, "msg")] += errs
        results[p] = r

    if want & {"build", "W=1", "sparse", "kdoc", "series"}:
        git("checkout", "-q", "-f", "series")
    # Series-level checks on the tree with every patch applied.
    series_res = {}
    if "series" in want:
        series_level(rst, base_docs, series_res, details)
    print_table(a, patches, results, series_res, details, allow, wallow)
    return 0 if not any(v is False for r in [series_res, *results.values()]
                        for v in r.values()) else 1


def series_level(rst, base_docs, series_res, details):
    """The cover letter, the docs build and MAINTAINERS.fragment."""
    code, out = run([os.path.join(TOP, "scripts", "cover-letter.sh"), "--check"],
                    env=dict(os.environ, TREE=CTREE))
    series_res["cover letter"] = code == 0
    if code:
        details[("series", "cover letter")].append(out.strip()[-2000:])
    if rst:
        new_docs = new_items(sphinx_warnings(rst), base_docs)
        series_res["docs (Sphinx)"] = not new_docs
        details[("series", "docs (Sphinx)")] += new_docs
    ok, errs = check_maintainers()
    series_res["MAINTAINERS.fragment"] = ok
    details[("series", "MAINTAINERS.fragment")] += errs


def print_table(a, patches, results, series_res, details, allow, wallow):
    """The patch x check table, the details of each failure, the count."""
    w = max([len(p) for p in patches] + [10])
    print(f"{'patch':<{w}}  " + "  ".join(f"{c:<10}" for c in COLS))
    passed = failed = 0
    mark = {True: "pass", False: "FAIL", None: "-"}
    for p in patches:
        r = results.get(p, {})
        cells = []
        for c in COLS:
            v = r.get(c, None) if p in results else None
            cells.append(f"{mark[v]:<10}")
            if v is True:
                passed += 1
            elif v is False:
                failed += 1
        print(f"{p:<{w}}  " + "  ".join(cells))
    for k, v in series_res.items():
        print(f"{k:<{w}}  {mark[v]}")
        passed += v is True
        failed += v is False
    bad = [(k, v) for k, v in details.items() if v and (
        results.get(k[0], {}).get(k[1]) is False or series_res.get(k[1]) is False)]
    if bad:
        print("\nDetails:")
        for (p, c), msgs in bad:
            print(f"--- {p}: {c}")
            for m in msgs:
                print("  " + m.replace("\n", "\n  "))
    print(f"\nallowlists: {len(allow)} checkpatch, {len(wallow)} W=1/sparse "
          "(configs/checkpatch-allowlist, configs/warnings-allowlist)")
    if a.only or a.patches or a.no_build:
        print("partial run: " + ", ".join(c for c in CHECKS if c in a.want) +
              (f"; patches {a.patches[0]}-{a.patches[1]}" if a.patches else ""))
    print(f"check: {passed} passed, {failed} failed")


if __name__ == "__main__":
    run_main(main)
