#!/usr/bin/env bash
# lint.sh - the fast checks of the tooling and the series: make lint.
#
# Usage: scripts/lint.sh [--static] [--help]
#
# Runs shellcheck on every script (scripts/shellcheck.sh), pyflakes on every
# Python file (scripts/, scripts/checks/, selftests/host/), then the series/patches
# consistency check (scripts/series-check.sh) and the host-side tests
# (selftests/host/run.sh). Builds nothing and boots nothing: well under a
# minute. Every step runs; the exit status is 1 if any found a problem,
# 2 if a tool is missing.
#
#   --static   only shellcheck and pyflakes (make test's lint stage; the
#              series check and the host tests are stages of their own)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

static=0
for a in "$@"; do
	case $a in
	-h|--help) usage "$0" ;;
	--static) static=1 ;;
	*) die "unknown argument: $a (see --help)" ;;
	esac
done
command -v pyflakes3 >/dev/null || die "pyflakes3 missing (Debian package pyflakes3)"
T0=$(now)
cd "$TOP"
failed="" errors=""
# part NAME CMD...: run one check; note it as failed (exit 1, or any status
# but 2) or as a setup error (2).
part() {
	local name=$1 rc=0
	shift
	"$@" || rc=$?
	case $rc in
	0) ;;
	2) errors="$errors $name" ;;
	*) failed="$failed $name" ;;
	esac
}
part shellcheck "$TOP/scripts/shellcheck.sh"
step "pyflakes"
mapfile -t py < <(ls scripts/*.py scripts/checks/*.py selftests/host/*.py)
part pyflakes pyflakes3 "${py[@]}"
step_done "${#py[@]} Python files"
if [ "$static" = 0 ]; then
	part series-check "$TOP/scripts/series-check.sh"
	part host-tests "$TOP/selftests/host/run.sh"
fi
log "lint: $(elapsed "$T0")s"
# As make test: a failure outranks a setup error.
[ -z "$failed" ] || fail "lint found problems in:$failed${errors:+ (and could not run:$errors)}"
[ -z "$errors" ] || die "lint could not run:$errors"
