#!/usr/bin/env bash
# apply.sh - apply the series to the base in build/linux with git am.
#
# Usage: scripts/apply.sh [--help]
#
# Resets branch `series` of build/linux to the tag `base` and applies every
# patch in `series` order with `git am` (no fuzz, no 3-way merge). A patch
# that does not apply stops the run; the message names the patch, the file
# and the hunk, and the tree is left at the last patch that applied (the
# next run starts from `base` again).
#
# Work in build/linux is never thrown away: uncommitted changes stop the
# run, and a HEAD that is neither `base` nor the last applied series is kept
# as refs/backup/<time> before the reset.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

no_args "$@"
if [ ! -d "$TREE/.git" ] || ! tgit rev-parse -q --verify base >/dev/null; then
	die "no work tree at $TREE (run scripts/fetch.sh)"
fi

# commits_text REV: authors, messages and diffs of base..REV.
commits_text() { tgit log --reverse -p --format='%an <%ae>%n%B' "base..$1"; }

step "apply: $(series_patches | wc -l) patches onto base"
if [ -d "$TREE/.git/rebase-apply" ]; then
	log "aborting an unfinished git am from an earlier run"
	tgit am --abort >/dev/null 2>&1 || rm -rf "$TREE/.git/rebase-apply"
fi
dirty=$(tgit status --porcelain | head -n 20)
[ -z "$dirty" ] || die "$TREE has uncommitted changes; commit them (and make export) or stash them:
$dirty"
head=$(tgit rev-parse HEAD)
applied=$(tgit rev-parse -q --verify refs/hmm/applied || true)
bk=""
if [ "$head" != "$(tgit rev-parse base)" ] && [ "$head" != "$applied" ]; then
	bk=refs/backup/$(date +%Y%m%d-%H%M%S)
	tgit update-ref "$bk" "$head"
fi
tgit checkout -q -f -B series base
tgit clean -q -fd

n=0
while read -r p; do
	n=$((n + 1))
	f=$TOP/patches/$p
	[ -f "$f" ] || fail "series lists $p, which is not in patches/"
	if ! out=$(tgit am -q --no-3way --whitespace=nowarn "$f" 2>&1); then
		tgit am --abort >/dev/null 2>&1 || true
		tgit update-ref refs/hmm/applied HEAD
		echo "---- git am said ----" >&2
		printf '%s\n' "$out" >&2
		echo "---- failing hunks ----" >&2
		tgit apply --check -v "$f" 2>&1 | python3 "$TOP/scripts/hunk.py" "$f" >&2 || true
		fail "patch $n, $p, does not apply to base + the $((n - 1)) patches before it"
	fi
	log "applied $p"
done < <(series_patches)
tgit update-ref refs/hmm/applied HEAD
# Keep the backup only if the old HEAD had work that the series lacks.
if [ -n "$bk" ]; then
	if [ "$(commits_text "$bk")" = "$(commits_text HEAD)" ]; then
		tgit update-ref -d "$bk"
	else
		log "the old HEAD ${head:0:12} differs from the series; kept it as $bk"
	fi
fi
step_done "HEAD $(tgit rev-parse --short HEAD)"
