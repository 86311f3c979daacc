#!/usr/bin/env bash
# mbox.sh - write the series as the mail linux-mm would get, and check it.
#
# Usage: scripts/mbox.sh [--check] [--range-diff REV] [--help]
#
# Writes build/mbox/NAME-vN.mbox (NAME, VERSION and CHANGE_ID from
# configs/series.conf) with scripts/mboxwrite.py: the cover letter and
# every patch in `series` order, with subjects "[PATCH vN i/M]" ("[PATCH
# i/M]" for version 1), To/Cc from
# scripts/get_maintainer.pl run on the patched tree (the people To, the
# lists Cc), deterministic Message-Ids, every patch In-Reply-To the cover
# letter, and the change-id that ties the versions together. From v2 on,
# the cover letter also gets "Changes in vK:" for each later version, from
# configs/series.changes, and "Range-diff against vN-1:", from git
# range-diff of the previous version's patches against these.
#
# A reroll: tag the commit of this repository whose patches/ was posted
# as NAME-vN (git tag NAME-v1), raise VERSION, write what changed under
# "vN+1:" in configs/series.changes, and make mbox.
#
#   --check           also check that the mbox applies with `git am` onto
#                     base, that `b4 am` takes it from the local file and
#                     the result applies too, and that mbox -> tree ->
#                     make export reproduces patches/ and series byte for
#                     byte.
#   --range-diff REV  the previous version is this commit or tag of this
#                     repository (default: the tag NAME-v<VERSION-1>; with
#                     --check and no such tag, as in a CI clone, the mbox
#                     is checked without a range-diff and a warning)
# make mbox passes MBOX_ARGS (e.g. MBOX_ARGS='--range-diff hmm-thp-exclusive-v1').
set -euo pipefail
. "$(dirname "$0")/lib.sh"

check=0 prev=""
while [ $# -gt 0 ]; do
	case $1 in
	-h|--help) usage "$0" ;;
	--check) check=1 ;;
	--range-diff) [ $# -ge 2 ] || die "--range-diff wants a commit or tag"; prev=$2; shift ;;
	*) die "unknown argument: $1 (see --help)" ;;
	esac
	shift
done
# shellcheck source=../configs/series.conf
. "$TOP/configs/series.conf"
: "${NAME:?configs/series.conf sets no NAME}" "${VERSION:?configs/series.conf sets no VERSION}"
: "${CHANGE_ID:?configs/series.conf sets no CHANGE_ID}"
[[ $VERSION =~ ^[1-9][0-9]*$ ]] || die "configs/series.conf: VERSION=$VERSION is not a version number"
[ -z "$prev" ] || [ "$VERSION" -gt 1 ] || die "--range-diff: version 1 has no previous version"

# range_diff REV OUT: git range-diff of the series that this repository
# held at REV against the one applied now (refs/hmm/applied), into OUT.
range_diff() {
	local rev=$1 out=$2 d p
	if ! git -C "$TOP" rev-parse -q --verify "$rev^{commit}" >/dev/null; then
		# A clone without tags (CI's) still checks the mbox; a posting
		# must not go out without its range-diff.
		if [ "$check" = 0 ] || [ -n "$prev" ]; then
			die "no commit or tag $rev in $TOP for the range-diff (tag the commit posted as v$((VERSION - 1)), or pass --range-diff REV)"
		fi
		log "WARNING: no tag $rev in this clone: the mbox is checked without its range-diff; do not post it"
		return 1
	fi
	step "mbox: range-diff against $rev"
	d=$BUILD/mbox/prev
	rm -rf "$d" "$BUILD/mbox/prev-tree"
	mkdir -p "$d"
	git -C "$TOP" archive "$rev" series patches | tar -x -C "$d"
	[ -f "$d/series" ] || die "$rev has no series file: it is not a version of this series"
	worktree_add "$BUILD/mbox/prev-tree" base
	while read -r p; do
		git -C "$BUILD/mbox/prev-tree" -c user.name="$GIT_IDENT_NAME" \
			-c user.email="$GIT_IDENT_EMAIL" am -q --no-3way "$d/patches/$p" ||
			die "$rev's patches/$p does not apply to base"
	done < <(series_patches_of "$d/series")
	tgit range-diff --no-color "base..$(git -C "$BUILD/mbox/prev-tree" rev-parse HEAD)" \
		base..refs/hmm/applied >"$out"
	tgit worktree remove --force "$BUILD/mbox/prev-tree"
	step_done "$(grep -c '^ *[0-9-]*: ' "$out") pairs, $out"
}
mkdir -p "$BUILD/mbox"
mbox=$BUILD/mbox/$NAME-v$VERSION.mbox

rdargs=()
if [ "$VERSION" -gt 1 ]; then
	if range_diff "${prev:-$NAME-v$((VERSION - 1))}" "$BUILD/mbox/$NAME-v$VERSION.range-diff"; then
		rdargs=(--range-diff "$BUILD/mbox/$NAME-v$VERSION.range-diff")
	fi
fi
step "mbox: $NAME v$VERSION"
mapfile -t files < <(series_patches | sed "s|^|$TOP/patches/|")
people=$(cd "$TREE" && perl scripts/get_maintainer.pl --no-rolestats --no-git \
	--no-git-fallback --no-fixes --no-l "${files[@]}" 2>/dev/null | paste -sd, - | sed 's/,/, /g')
lists=$(cd "$TREE" && perl scripts/get_maintainer.pl --no-rolestats --no-git \
	--no-git-fallback --no-fixes --no-m --no-r "${files[@]}" 2>/dev/null | paste -sd, - | sed 's/,/, /g')
[ -n "$lists" ] || fail "get_maintainer.pl named no mailing list"
python3 "$TOP/scripts/mboxwrite.py" --out "$mbox.part" --name "$NAME" --version "$VERSION" \
	--change-id "$CHANGE_ID" --to "$people" --cc "$lists" --changes "$TOP/configs/series.changes" \
	"${rdargs[@]}" "$TOP/patches/0000-cover-letter.patch" "${files[@]}"
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
