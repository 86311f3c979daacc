#!/usr/bin/env bash
# series-check.sh - check that `series` and patches/ agree.
#
# Usage: scripts/series-check.sh [--help]
#
# Every file that `series` lists exists in patches/, none is listed twice,
# and no .patch file in patches/ is left out (the cover letter excepted).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

no_args "$@"
step "series: series and patches/ agree"
bad=0
listed=$(series_patches)
while read -r p; do
	[ -n "$p" ] || continue
	[ -f "$TOP/patches/$p" ] || { echo "series lists $p, which is not in patches/" >&2; bad=1; }
done <<<"$listed"
dups=$(sort <<<"$listed" | uniq -d)
[ -z "$dups" ] || { echo "series lists more than once: $dups" >&2; bad=1; }
for f in "$TOP"/patches/*.patch; do
	[ -e "$f" ] || continue
	p=${f##*/}
	case $p in 0000-cover-letter.patch) continue ;; esac
	grep -qxF "$p" <<<"$listed" || { echo "patches/$p is not listed in series" >&2; bad=1; }
done
[ "$bad" = 0 ] || fail "series and patches/ disagree"
step_done "$(grep -c . <<<"$listed") patches"
