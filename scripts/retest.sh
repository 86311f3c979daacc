#!/usr/bin/env bash
# retest.sh - build build/linux as it stands, boot it and run the guest suite.
#
# Usage: scripts/retest.sh [--debug] [--plan FILE] [--only TEST]...
#                          [--append ARGS] [--timeout S] [--help]
#
# The development loop: unlike make run, this neither re-applies patches/
# nor asks for a clean tree. It builds build/linux at HEAD with whatever is
# uncommitted (into build/kbuild/dev, or dev-debug with --debug), packs the
# initramfs from the plan and runs the guest through scripts/guest-test.sh,
# so the result is a table, a summary.json and the exit status of make run.
#
#   --debug        the debug kernel (configs/debug.config) and its plan
#   --plan FILE    the test plan (default: selftests/plan, or plan.debug)
#   --only TEST    run only this hmm-tests test (FIXTURE.VARIANT.TEST or a
#                  TEST name, as hmm-tests -r / -t take it; repeatable),
#                  and no other program of the plan
#   --append ARGS  extra kernel command-line arguments
#   --timeout S    hard limit for the guest (default: 900, 1800 with --debug)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

debug=0 plan="" only=() extra=() timeout=""
while [ $# -gt 0 ]; do
	case $1 in
	-h|--help) usage "$0" ;;
	--debug) debug=1 ;;
	--plan) need_arg "$@"; plan=$2; shift ;;
	--only) need_arg "$@"; only+=("$2"); shift ;;
	--append) need_arg "$@"; extra+=(--append "$2"); shift ;;
	--timeout) need_arg "$@"; timeout=$2; shift ;;
	*) die "unknown argument: $1 (see --help)" ;;
	esac
	shift
done
[ -d "$TREE/.git" ] || die "no work tree at $TREE (run make tree first)"
T0=$(now)
name=dev frag=()
if [ "$debug" = 1 ]; then
	name=dev-debug frag=(--fragment "$TOP/configs/debug.config")
	plan=${plan:-$TOP/selftests/plan.debug} timeout=${timeout:-1800}
fi
plan=${plan:-$TOP/selftests/plan} timeout=${timeout:-900}
[ -f "$plan" ] || die "no plan $plan"
log "build/linux at $(tgit rev-parse --short HEAD)$(tgit diff --quiet HEAD || echo ', with uncommitted changes')"

if [ ${#only[@]} -gt 0 ]; then
	# A plan of one line: hmm-tests with a -r or -t per test asked for.
	args=()
	for t in "${only[@]}"; do
		case $t in *.*) args+=(-r "$t") ;; *) args+=(-t "$t") ;; esac
	done
	src=$(awk '$1 == "hmm-tests" { print $2; exit }' "$plan")
	[ -n "$src" ] || die "$plan has no hmm-tests line"
	mkdir -p "$BUILD/initramfs"
	plan=$BUILD/initramfs/$name.plan
	printf 'hmm-tests %s hmm-tests %s\n' "$src" "${args[*]}" >"$plan"
fi
"$TOP/scripts/build.sh" --name "$name" "${frag[@]}"
"$TOP/scripts/initramfs.sh" --name "$name" --plan "$plan"
rc=0
"$TOP/scripts/guest-test.sh" --name "$name" --timeout "$timeout" "${extra[@]}" || rc=$?
log "retest: ${name}, $(elapsed "$T0")s in all, exit $rc"
exit "$rc"
