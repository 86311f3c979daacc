#!/usr/bin/env bash
# mbox.sh - write the series as the mail linux-mm would get, and check it.
#
# Usage: scripts/mbox.sh [--check] [--help]
#
# Writes build/mbox/NAME-vN.mbox (NAME and VERSION from configs/series.conf):
# the cover letter and every patch in `series` order, with subjects
# "[PATCH vN i/M]", To/Cc from scripts/get_maintainer.pl run on the patched
# tree (the people To, the lists Cc), deterministic Message-Ids, and every
# patch In-Reply-To the cover letter, as git send-email would send them.
#
#   --check   also check that the mbox applies with `git am` onto base,
#             that `b4 am` takes it from the local file and the result
#             applies too, and that mbox -> tree -> make export reproduces
#             patches/ and series byte for byte.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

check=0
for a in "$@"; do
	case $a in
	-h|--help) usage "$0" ;;
	--check) check=1 ;;
	*) die "unknown argument: $a (see --help)" ;;
	esac
done
# shellcheck source=../configs/series.conf
. "$TOP/configs/series.conf"
: "${NAME:?configs/series.conf sets no NAME}" "${VERSION:?configs/series.conf sets no VERSION}"
mkdir -p "$BUILD/mbox"
mbox=$BUILD/mbox/$NAME-v$VERSION.mbox

step "mbox: $NAME v$VERSION"
mapfile -t files < <(series_patches | sed "s|^|$TOP/patches/|")
people=$(cd "$TREE" && perl scripts/get_maintainer.pl --no-rolestats --no-git \
	--no-git-fallback --no-fixes --no-l "${files[@]}" 2>/dev/null | paste -sd, - | sed 's/,/, /g')
lists=$(cd "$TREE" && perl scripts/get_maintainer.pl --no-rolestats --no-git \
	--no-git-fallback --no-fixes --no-m --no-r "${files[@]}" 2>/dev/null | paste -sd, - | sed 's/,/, /g')
[ -n "$lists" ] || fail "get_maintainer.pl named no mailing list"
python3 - "$mbox.part" "$NAME" "$VERSION" "$people" "$lists" \
	"$TOP/patches/0000-cover-letter.patch" "${files[@]}" <<'PY'
import hashlib
import re
import sys

out, name, version, to, cc, *files = sys.argv[1:]
n = len(files) - 1
width = len(str(n))
ids = []
for i, f in enumerate(files):
    digest = hashlib.sha1(open(f, "rb").read()).hexdigest()[:12]
    ids.append(f"<{name}-v{version}-{i:0{width}d}-{digest}@hmm-series.example.org>")
msgs = []
for i, f in enumerate(files):
    text = open(f).read()
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
            out_lines.append(f"Subject: [PATCH v{version} {i:0{width}d}/{n}] {subj}")
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
with open(out, "w") as fh:
    fh.write("".join(m if m.endswith("\n") else m + "\n" for m in msgs))
PY
mv "$mbox.part" "$mbox"
step_done "$mbox: $(grep -c '^Message-Id: ' "$mbox") messages; To: ${people:-(none)}; Cc: $lists"
[ "$check" = 1 ] || exit 0

wt=$BUILD/mbox-tree
if [ -d "$wt" ] && ! git -C "$wt" rev-parse -q --verify base >/dev/null 2>&1; then
	rm -rf "$wt"
fi
worktree_add "$wt" base
wgit() { git -C "$wt" -c user.name="$GIT_IDENT_NAME" -c user.email="$GIT_IDENT_EMAIL" "$@"; }
reset_wt() { wgit am --abort >/dev/null 2>&1 || true; wgit checkout -q -f --detach base; wgit clean -q -fd; }

# The tree that patches/ gives, to compare with.
reset_wt
for f in "${files[@]}"; do
	wgit am -q --no-3way "$f" || fail "patches/${f##*/} does not apply (scripts/apply.sh says more)"
done
want=$(wgit rev-parse 'HEAD^{tree}')

step "mbox: git am onto base (the cover letter, having no diff, is dropped)"
reset_wt
wgit am -q --no-3way --empty=drop "$mbox" || fail "the mbox does not apply with git am onto base"
[ "$(wgit rev-parse 'HEAD^{tree}')" = "$want" ] || fail "git am of the mbox gives another tree than the series"
step_done "same tree as the series"

step "mbox: mbox -> tree -> export reproduces patches/"
rm -rf "$BUILD/mbox/export"
TREE=$wt "$TOP/scripts/export.sh" --out "$BUILD/mbox/export" >/dev/null 2>&1 ||
	fail "export from the mbox's tree failed"
for f in "$TOP"/patches/*.patch "$TOP/series"; do
	cmp -s "$f" "$BUILD/mbox/export/${f##*/}" ||
		fail "the round trip changed ${f#"$TOP"/} (diff $f $BUILD/mbox/export/${f##*/})"
done
n=$(find "$BUILD/mbox/export" -name '*.patch' | wc -l)
[ "$n" = "$(find "$TOP/patches" -name '*.patch' | wc -l)" ] || fail "the round trip gave $n files"
step_done "byte for byte"

step "mbox: b4 am from the local file"
command -v b4 >/dev/null || die "b4 missing (Debian package b4)"
b4out=$BUILD/mbox/b4
rm -rf "$b4out"
mkdir -p "$b4out"
cover_id=$(grep -m1 '^Message-Id: ' "$mbox" | sed 's/^Message-Id: <\(.*\)>$/\1/')
(cd "$b4out" && b4 -q am --no-cover -m "$mbox" -o "$b4out" "$cover_id") >"$b4out/log" 2>&1 ||
	{ cat "$b4out/log" >&2; fail "b4 am failed on $mbox"; }
mbx=$(find "$b4out" -name '*.mbx' | head -n 1)
[ -n "$mbx" ] || { cat "$b4out/log" >&2; fail "b4 am wrote no .mbx"; }
reset_wt
wgit am -q --no-3way "$mbx" || fail "b4's $mbx does not apply with git am"
[ "$(wgit rev-parse 'HEAD^{tree}')" = "$want" ] || fail "b4's mbx gives another tree than the series"
reset_wt
step_done "$(grep -c '^Subject: ' "$mbx") patches from $(basename "$mbx") apply, same tree"
# Passed: give the worktree's ~1.7 GiB back (a failure keeps it to look at).
tgit worktree remove --force "$wt"
