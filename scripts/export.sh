#!/usr/bin/env bash
# export.sh - regenerate patches/ and series from base..HEAD of build/linux.
#
# Usage: scripts/export.sh [--out DIR] [--help]
#
# Writes one `git format-patch` file per commit (zero commit ids, no
# signature, [PATCH] subjects: re-exporting an unchanged tree changes no
# file), rewrites `series` keeping its `#` group comments before the patches
# they introduce, and refreshes the shortlog and diffstat of
# patches/0000-cover-letter.patch. Refuses to run while build/linux has
# uncommitted changes. --out DIR writes the patches, the cover letter and
# `series` into DIR instead, leaving patches/ and series alone.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

pdir=$TOP/patches series=$TOP/series
while [ $# -gt 0 ]; do
	case $1 in
	-h|--help) usage "$0" ;;
	--out)
		mkdir -p "$2"
		cp "$TOP/patches/0000-cover-letter.patch" "$2/"
		pdir=$(cd "$2" && pwd) series=$pdir/series
		shift ;;
	*) die "unknown argument: $1 (see --help)" ;;
	esac
	shift
done
[ -e "$TREE/.git" ] || die "no work tree at $TREE (make tree)"
dirty=$(tgit status --porcelain | head -n 20)
[ -z "$dirty" ] || die "$TREE has uncommitted changes; commit them first:
$dirty"
if [ -d "$TREE/.git/rebase-apply" ] || [ -d "$TREE/.git/rebase-merge" ]; then
	die "$TREE is in the middle of a git am or rebase"
fi

step "export: base..HEAD to ${pdir#"$TOP"/}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tgit format-patch -q --zero-commit --no-signature --no-numbered --no-cover-letter \
	--subject-prefix=PATCH -o "$tmp" base..HEAD
count=$(find "$tmp" -name '*.patch' | wc -l)
[ "$count" -gt 0 ] || die "no commits in base..HEAD"
changed=0
for f in "$tmp"/*.patch; do
	p=$pdir/${f##*/}
	cmp -s "$f" "$p" 2>/dev/null || { cp "$f" "$p"; changed=$((changed + 1)); }
done
for p in "$pdir"/*.patch; do
	case ${p##*/} in 0000-cover-letter.patch) continue ;; esac
	[ -e "$tmp/${p##*/}" ] || { rm -f "$p"; log "removed ${p##*/}"; changed=$((changed + 1)); }
done
# series: the new names in order, each old comment block kept before the
# patch that followed it (or before the patch now at that position).
(cd "$tmp" && ls -1 -- *.patch) >"$tmp/names"
python3 - "$TOP/series" "$tmp/names" >"$tmp/series" <<'PY'
import sys
import os
old = open(sys.argv[1]).read().splitlines() if os.path.exists(sys.argv[1]) else []
new = open(sys.argv[2]).read().split()
blocks, pending, idx = {}, [], 0
for line in old:
    if not line.strip() or line.lstrip().startswith("#"):
        pending.append(line)
        continue
    name = line.split()[0]
    key = name if name in new else idx
    blocks.setdefault(key, []).extend(pending)
    pending = []
    idx += 1
out = []
for i, name in enumerate(new):
    out += blocks.pop(name, []) + blocks.pop(i, [])
    out.append(name)
for rest in blocks.values():
    out += [l for l in rest if l.strip()]
out += [l for l in pending if l.strip()]
print("\n".join(out))
PY
cmp -s "$tmp/series" "$series" 2>/dev/null || { cp "$tmp/series" "$series"; changed=$((changed + 1)); }
"$TOP/scripts/cover-letter.sh" --update --cover "$pdir/0000-cover-letter.patch"
step_done "$count patches, $changed files changed"
