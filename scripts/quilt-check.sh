#!/usr/bin/env bash
# quilt-check.sh - check that the series applies with quilt, no fuzz.
#
# Usage: scripts/quilt-check.sh [--help]
#
# Extracts the files the series touches from the tag `base` of build/linux
# into a scratch directory, runs `quilt push -a --fuzz=0` there with
# patches/ and series, and checks that every touched file then equals its
# copy in the git-am tree (branch `series`, see scripts/apply.sh).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

no_args "$@"
command -v quilt >/dev/null || die "quilt missing (Debian package quilt)"
step "quilt: push -a --fuzz=0"
scratch=$BUILD/quilt
rm -rf "$scratch"
mkdir -p "$scratch"
mapfile -t files < <(while read -r p; do
	grep -E '^diff --git a/' "$TOP/patches/$p" | sed -E 's|^diff --git a/(\S+) b/(\S+)$|\1\n\2|'
done < <(series_patches) | sort -u)
existing=()
for f in "${files[@]}"; do
	tgit cat-file -e "base:$f" 2>/dev/null && existing+=("$f")
done
if [ ${#existing[@]} -gt 0 ]; then
	tgit archive base -- "${existing[@]}" | tar -x -C "$scratch"
fi
out=$( cd "$scratch" &&
	QUILT_PATCHES="$TOP/patches" QUILT_SERIES="$TOP/series" QUILT_PC="$scratch/.pc" \
	quilt --quiltrc /dev/null push -a --fuzz=0 2>&1 ) || {
	printf '%s\n' "$out" | tail -n 30 >&2
	fail "the series does not apply with quilt push -a --fuzz=0"
}
diffs=0
for f in "${files[@]}"; do
	if tgit cat-file -e "series:$f" 2>/dev/null; then
		if ! tgit show "series:$f" | cmp -s - "$scratch/$f"; then
			echo "quilt and git am disagree on $f" >&2; diffs=1
		fi
	elif [ -e "$scratch/$f" ]; then
		echo "quilt left $f, which git am deleted" >&2; diffs=1
	fi
done
[ "$diffs" = 0 ] || fail "quilt's result differs from git am's"
step_done "$(series_patches | wc -l) patches, ${#files[@]} files identical to git am's"
