#!/usr/bin/env python3
"""The upstream checks: per-patch checks of the series (run by scripts/check.sh).

Walks the commits that scripts/apply.sh made in build/linux from `series`
(base..refs/hmm/applied), checking out each in turn, and runs for each:

  checkpatch  scripts/checkpatch.pl --strict: no ERROR, WARNING or CHECK
              outside configs/checkpatch-allowlist
  build       the minimal kernel builds (incremental, ccache), and touched
              selftest sources compile; a patch that changes only tools/testing/,
              Documentation/ or MAINTAINERS leaves the kernel sources of
              the commit before it, built in the same run, so only its
              selftests are compiled; where the patch touches drivers/ or
              include/, the driver objects of configs/drivers.objects
              compile in a tree configured with configs/drivers.config
  W=1         no new W=1 compiler warnings in the touched kernel .c files
              (driver files in the drivers tree; gcc -Wall -Wextra for
              touched selftest .c files), against base
  sparse      no new sparse (C=2) warnings in the touched kernel .c files
              (W=1 and sparse: one make for all of a patch's files, its
              output split by object; see checks/build.py)
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
import os
import re

from checks.build import (DRIVER_OBJS, build_drivers, check_build, drivers_prepare,
                          file_warnings, tools_warnings, w1_prepare)
from checks.checkpatch import check_checkpatch
from checks.common import (CTREE, TOP, Finding, allowed_warning, builds_kernel, git,
                           is_kernel_c, load_allowlist, new_items, patch_files, run)
from checks.kdoc import check_exports, kdoc_warnings
from checks.msg import check_message
from checks.series import check_maintainers, sphinx_warnings
from hmmcommon import SetupError, log, run_main, series_patches

COLS = ["checkpatch", "build", "W=1", "sparse", "kdoc", "msg"]


# What --only takes: the columns, and "series" for the series-level checks.
CHECKS = COLS + ["series"]


def check_list(text):
    names = re.split(r"[,\s]+", text.strip())
    names = [c for c in names if c]
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
    if not a.want:
        raise SetupError("--no-build leaves none of the checks asked for by --only")
    allow = load_allowlist()
    wallow = load_allowlist("warnings-allowlist")
    patches = series_patches()
    if a.patches and a.patches[1] > len(patches):
        raise SetupError(f"--patches {a.patches[0]}-{a.patches[1]}: the series has "
                         f"{len(patches)} patches")
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
        raise SetupError("the series changes " + ", ".join(unlisted) + ", not in "
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
        found = check_build("base", [])
        if found:
            raise SetupError("the base does not build: " + "; ".join(f.text for f in found))
        w1_prepare()
        if touches_drivers:
            log("base: configuring the drivers tree and compiling the driver objects")
            drivers_prepare()
            found = build_drivers("base")
            if found:
                raise SetupError("the base's driver objects do not compile: " + found[0].text)
        if want & {"W=1", "sparse"}:
            for f, w in file_warnings([f for f in kc if os.path.exists(os.path.join(CTREE, f))],
                                      w1="W=1" in want, sparse="sparse" in want).items():
                base_w1[f], base_sparse[f] = w["W=1"], w["sparse"]
        if "W=1" in want:
            for f in tc:
                base_tools[f] = tools_warnings(f)

    def record(r, check, patch, findings):
        """The cell of CHECK for PATCH, and the findings behind it."""
        r[check] = not findings
        for f in findings:
            details[(f.patch, f.check)].append(f.text)

    lo, hi = a.patches or (1, len(patches))
    # The kernel of the previous commit built in this run (the base did).
    built_before = lo == 1
    for n, p in enumerate(patches, 1):
        if not lo <= n <= hi:
            continue
        log(f"{n}/{len(patches)} {p}")
        r = dict.fromkeys(COLS)
        files = patch_files(texts[p])
        if "checkpatch" in want:
            found, _ = check_checkpatch(p, os.path.join(TOP, "patches", p), allow)
            record(r, "checkpatch", p, found)
        if building or "kdoc" in want:
            git("checkout", "-q", "--detach", commits[n - 1])
        if building:
            kernel = builds_kernel(files) or not built_before
            if not kernel:
                log(f"{p}: no kernel source changed since the last build; "
                    "its selftests only are compiled")
            found = check_build(p, files, kernel=kernel)
            built_before = not any(f.text.startswith("the kernel does not build")
                                   for f in found)
            if touches_drivers and any(f.startswith(("drivers/", "include/")) for f in files):
                found += build_drivers(p)
            if "build" in want:
                record(r, "build", p, found)
            w1, sp = [], []
            touched = [f for f in files if f in kc and os.path.exists(os.path.join(CTREE, f))]
            if touched and want & {"W=1", "sparse"}:
                for f, w in file_warnings(touched, w1="W=1" in want,
                                          sparse="sparse" in want).items():
                    w1 += new_items(w["W=1"], base_w1.get(f, collections.Counter()))
                    sp += new_items(w["sparse"], base_sparse.get(f, collections.Counter()))
            if "W=1" in want:
                for f in files:
                    if f in tc:
                        w1 += new_items(tools_warnings(f),
                                        base_tools.get(f, collections.Counter()))
            if "W=1" in want:
                record(r, "W=1", p, [Finding("W=1", p, w) for w in w1
                                     if not allowed_warning(p, w, wallow)])
            if "sparse" in want:
                record(r, "sparse", p, [Finding("sparse", p, w) for w in sp
                                        if not allowed_warning(p, w, wallow)])
        if "kdoc" in want:
            diff_text = git("show", "--format=", "HEAD")
            found = []
            for f in files:
                if f in kd:
                    found += [Finding("kdoc", p, w) for w in new_items(
                        kdoc_warnings(f), base_kdoc.get(f, collections.Counter()))]
            record(r, "kdoc", p, found + check_exports(p, diff_text, files))
        if "msg" in want:
            record(r, "msg", p, check_message(texts[p], p))
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
    found = check_maintainers()
    series_res["MAINTAINERS.fragment"] = not found
    details[("series", "MAINTAINERS.fragment")] += [f.text for f in found]


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
