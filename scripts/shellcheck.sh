#!/usr/bin/env bash
# scripts/shellcheck.sh - lint every script of the project.
#
# Usage: scripts/shellcheck.sh [--help]
#
# bash scripts under scripts/, .ci/ and selftests/host/, and the guest's
# busybox sh scripts (as POSIX sh).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

no_args "$@"
command -v shellcheck >/dev/null || die "shellcheck missing (Debian package shellcheck)"
step "shellcheck"
cd "$TOP"
mapfile -t bash_files < <(ls scripts/*.sh .ci/run selftests/host/*.sh 2>/dev/null)
shellcheck -x "${bash_files[@]}"
shellcheck -s sh selftests/guest/init selftests/guest/run-tests
step_done "${#bash_files[@]} bash scripts, 2 guest scripts"
