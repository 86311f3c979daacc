"""build, W=1 and sparse: the kernel and the driver objects build after each
patch, with no new W=1 or sparse warning in the files it touches."""
import collections
import os
import re

from checks.common import BUILD, CTREE, DOUT, TOP, WOUT, Finding, run


def check_build(name, files, kernel=True):
    """Findings if the minimal kernel, or a touched selftest source, does not
    build with the tree as it is (after patch NAME). With KERNEL false the
    caller knows that the kernel sources are those of a tree that built,
    and only the selftest sources are compiled."""
    if kernel:
        code, out = run([os.path.join(TOP, "scripts", "build.sh"), "--name", "patched",
                         "--src", CTREE])
        if code:
            blog = os.path.join(BUILD, "kbuild", "patched", "build.log")
            first = ""
            if os.path.exists(blog):
                errs = [l for l in open(blog, errors="replace")
                        if "error:" in l or "Error " in l]
                first = errs[0].strip() if errs else ""
            return [Finding("build", name,
                            f"the kernel does not build after {name}: {first or out[-1500:]}")]
    errs = []
    for f in files:
        if f.startswith("tools/") and f.endswith(".c") and os.path.exists(os.path.join(CTREE, f)):
            code, out = tools_cc(f, ["-fsyntax-only", "-Wall"])
            if code:
                errs.append(Finding("build", name, f"{f} does not compile:\n{out[-1500:]}"))
    return errs


def tools_cc(f, extra):
    """Compile selftest source F against the tree's uapi headers; a
    headers_install that fails (a patch that breaks a uapi header) is
    reported as the compile's failure, not raised."""
    hdr = os.path.join(BUILD, "kbuild", "patched", "usr", "include")
    code, out = run(["make", "-s", "-C", CTREE, f"O={os.path.join(BUILD, 'kbuild', 'patched')}",
                     "ARCH=x86_64", "headers_install"])
    if code:
        return code, "make headers_install failed:\n" + out
    return run(["gcc", *extra, "-O2", "-I", CTREE, "-isystem", hdr, "-isystem",
                os.path.join(CTREE, "tools/include/uapi"), os.path.join(CTREE, f)],
               cwd=os.path.dirname(os.path.join(CTREE, f)))


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
    """Compile every driver object; findings if they do not."""
    code, out = wmake(list(DRIVER_OBJS.values()), out=DOUT)
    if not code:
        return []
    errs = [l.strip() for l in out.splitlines() if "error:" in l or "Error " in l]
    return [Finding("build", name, f"the driver objects do not compile after {name}: "
                    + ("\n".join(errs[:5]) if errs else out[-1500:]))]


def obj_of(f):
    """The object target of a kernel .c file, and the tree it is built in."""
    if f.startswith("drivers/"):
        return DRIVER_OBJS.get(f), DOUT
    return f[:-2] + ".o", WOUT


# Kbuild's quiet lines that start an object's output: the compile, then,
# with C=2, sparse on its source.
_CC_LINE = re.compile(r"^  CC(?: \[M\])?\s+(\S+)\.o$")
_CHECK_LINE = re.compile(r"^  CHECK\s+(\S+)\.c$")


def split_by_object(out, top):
    """Make's output (run with -Otarget, so that each object's lines stay
    together) as {(source file, "W=1" or "sparse"): text}: a compile line
    starts an object's compiler output, its CHECK line its sparse output.
    Sources are relative to the tree TOP (CHECK names them absolutely)."""
    parts = collections.defaultdict(list)
    cur = None
    for line in out.splitlines():
        m = _CC_LINE.match(line)
        if m:
            cur = (os.path.normpath(m.group(1)) + ".c", "W=1")
            continue
        m = _CHECK_LINE.match(line)
        if m:
            src = m.group(1)
            if os.path.isabs(src):
                src = os.path.relpath(src, top)
            cur = (os.path.normpath(src) + ".c", "sparse")
            continue
        if cur:
            parts[cur].append(line)
    return {k: "\n".join(v) for k, v in parts.items()}


def file_warnings(files, w1=True, sparse=True):
    """{file: {"W=1": Counter, "sparse": Counter}} for the kernel .c FILES:
    their objects recompiled with W=1 and checked by sparse (C=2), in one
    make per object tree rather than two per file, which spent most of its
    time starting make. Warnings from included headers count for the file
    whose compile printed them, as they did when each file had its make."""
    res = {f: {"W=1": collections.Counter(), "sparse": collections.Counter()} for f in files}
    by_tree = collections.defaultdict(list)
    for f in files:
        obj, out_dir = obj_of(f)
        by_tree[out_dir].append((f, obj))
    for out_dir, pairs in by_tree.items():
        # -k: an object that does not compile (one the minimal config does
        # not build) must not stop the others.
        args = ["-Otarget", "-k"]
        if w1:
            args.append("W=1")
            for _, obj in pairs:
                try:
                    os.remove(os.path.join(out_dir, obj))
                except FileNotFoundError:
                    pass
        if sparse:
            args += ["C=2", "CHECK=sparse"]
        _, out = wmake(args + [obj for _, obj in pairs], out=out_dir)
        parts = split_by_object(out, CTREE)
        for f, obj in pairs:
            src = os.path.normpath(obj[:-2] + ".c")
            for kind in ("W=1", "sparse"):
                res[f][kind] = norm_warnings(parts.get((src, kind), ""), kind)
    return res


def tools_warnings(f):
    if not os.path.exists(os.path.join(CTREE, f)):
        return collections.Counter()
    _, out = tools_cc(f, ["-fsyntax-only", "-Wall", "-Wextra"])
    return norm_warnings(out, "tools")
