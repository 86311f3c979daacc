#!/usr/bin/env bash
# check.sh - the upstream checks: every patch checked as linux-mm would.
#
# Usage: scripts/check.sh [--no-build] [--only CHECKS] [--patches N[-M]]
#                         [--help]
#
# Applies the series to build/linux (scripts/apply.sh), then for each patch
# in `series` order, checking out its commit: checkpatch.pl --strict
# (exceptions only from configs/checkpatch-allowlist), the minimal kernel
# builds, no new W=1 or sparse warnings in the touched files (exceptions
# only from configs/warnings-allowlist), kernel-doc clean and present for
# changed exported symbols, and the commit message rules. For the series
# ("series"): no new Sphinx warning in the touched .rst files, and the
# cover letter and MAINTAINERS.fragment are up to date. Prints a patch x
# check table, every failure's details, and
#   check: N passed, M failed
# Before that it runs selftests/host/tree_test_checks.py: checkpatch and
# kernel-doc must find what their fixture files hold, and nothing in the
# good ones, or the checks have stopped biting and make check fails.
#
#   --no-build        skip the build, W=1 and sparse columns
#   --only CHECKS     only these checks, comma-separated, of: checkpatch,
#                     build, W=1, sparse, kdoc, msg, series
#   --patches N[-M]   only patches N to M of `series` (1-based)
# (make check CHECKS=... PATCHES=...). scripts/check.py does the work.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

args=("$@")
while [ $# -gt 0 ]; do
	case $1 in
	-h|--help) usage "$0" ;;
	--no-build) ;;
	--only)
		[ $# -ge 2 ] || die "--only wants a list of checks"
		for c in ${2//,/ }; do
			case $c in checkpatch|build|W=1|sparse|kdoc|msg|series) ;;
			*) die "unknown check $c; the checks are checkpatch, build, W=1, sparse, kdoc, msg, series" ;;
			esac
		done
		shift ;;
	--patches)
		[[ ${2:-} =~ ^[1-9][0-9]*(-[1-9][0-9]*)?$ ]] || die "--patches wants N or N-M, got '${2:-}'"
		shift ;;
	*) die "unknown argument: $1 (see --help)" ;;
	esac
	shift
done
[ -e "$TREE/.git" ] || die "no work tree at $TREE (run make tree)"
command -v sparse >/dev/null || die "sparse missing (Debian package sparse)"
"$TOP/scripts/apply.sh"
step "check: checkpatch and kernel-doc on their fixtures"
out=$(cd "$TOP" && BUILD=$BUILD TREE=$TREE python3 -B -m unittest selftests/host/tree_test_checks.py 2>&1) ||
	{ printf '%s\n' "$out" >&2; fail "checkpatch or kernel-doc as check.py reads them miss what their fixtures hold (selftests/host/tree_test_checks.py)"; }
step_done
step "check: $(series_patches | wc -l) patches"
rc=0
BUILD=$BUILD TREE=$TREE python3 "$TOP/scripts/check.py" "${args[@]}" | tee "$BUILD/check.out" ||
	rc=${PIPESTATUS[0]}
step_done ""
case $rc in
0) ;;
1) fail "$(grep -a '^check: ' "$BUILD/check.out" | tail -n 1): the failing checks are in Details above" ;;
*) exit "$rc" ;;
esac
