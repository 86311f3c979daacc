#!/usr/bin/env bash
# wip-test.sh - test work in progress that the series cannot hold yet.
#
# Usage: scripts/wip-test.sh [--help]
#
# wip/*.patch are patches on top of the series that are not part of it:
# today a test-only way to map a device private PMD, so that the mm paths
# the series prepares for large device private folios are exercised before
# migrate_vma can create one (wip/README.md). This applies them to
# build/linux on top of `series`, builds and boots that tree as retest.sh
# --debug does (the debug kernel, into build/kbuild/dev-debug: its
# assertions are what these tests are after, and it has the memcg and
# soft-dirty code they need), runs the hmm-tests that wip/tests names,
# and puts build/linux back on `series`, whatever the outcome. The exit
# status is retest.sh's.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

no_args "$@"
[ -d "$TREE/.git" ] || die "no work tree at $TREE (run make tree first)"
tgit diff --quiet HEAD || die "build/linux has uncommitted changes: commit or stash them first"
shopt -s nullglob
patches=("$TOP"/wip/*.patch)
[ ${#patches[@]} -gt 0 ] || die "no patches in wip/"
tests=()
while read -r t _; do
	case $t in ''|'#'*) continue ;; esac
	tests+=(--only "$t")
done <"$TOP/wip/tests"
[ ${#tests[@]} -gt 0 ] || die "wip/tests names no test"

T0=$(now)
back=$(tgit symbolic-ref -q --short HEAD || tgit rev-parse HEAD)
# shellcheck disable=SC2317  # called by the EXIT trap
restore() {
	tgit am --abort >/dev/null 2>&1 || true
	tgit checkout -q -f "$back" || echo "WARNING: could not put build/linux back on $back" >&2
}
trap restore EXIT
tgit checkout -q --detach series
step "wip: ${#patches[@]} patch(es) on top of the series"
for p in "${patches[@]}"; do
	tgit am -q --no-3way "$p" || fail "wip/${p##*/} does not apply on top of the series"
done
step_done "$(tgit rev-parse --short HEAD)"
rc=0
"$TOP/scripts/retest.sh" --debug "${tests[@]}" || rc=$?
log "wip: $((${#tests[@]} / 2)) test(s) done in $(elapsed "$T0")s, exit $rc"
exit "$rc"
