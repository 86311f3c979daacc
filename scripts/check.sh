#!/usr/bin/env bash
# check.sh - the upstream gate: every patch checked as linux-mm would.
#
# Usage: scripts/check.sh [--no-build] [--help]
#
# Applies the series to build/linux (scripts/apply.sh), then for each patch
# in `series` order, checking out its commit: checkpatch.pl --strict (exceptions only from
# configs/checkpatch-allowlist), the minimal kernel builds, no new W=1 or
# sparse warnings in the touched files, kernel-doc clean and present for
# changed exported symbols, and the commit message rules. For the series:
# the cover letter and MAINTAINERS.fragment are up to date. Prints a
# patch x check table, every failure's details, and
#   check: N passed, M failed
# --no-build skips the build, W=1 and sparse columns.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

case ${1:-} in -h|--help) usage "$0" ;; esac
[ -e "$TREE/.git" ] || die "no work tree at $TREE (run make tree)"
command -v sparse >/dev/null || die "sparse missing (Debian package sparse)"
"$TOP/scripts/apply.sh"
step "check: $(series_patches | wc -l) patches"
rc=0
BUILD=$BUILD TREE=$TREE python3 "$TOP/scripts/check.py" "$@" || rc=$?
step_done ""
exit "$rc"
