#!/usr/bin/env bash
# gate-trial.sh - prove that the reliability report bites: run a kernel with a
# deliberately broken scratch patch and expect the guest run to fail.
#
# Usage: scripts/gate-trial.sh [--patch FILE] [--plan FILE] [--fragment FILE]
#                              [--help]
#
# Applies FILE (default selftests/scratch/skip-migration-copy.patch) in the
# worktree build/scratch-tree, checked out at build/linux's HEAD, builds it
# as build/kbuild/scratch (with --fragment, e.g. configs/debug.config, on
# top of configs/hmm.config), packs the plan (default selftests/plan), boots
# it and runs the plan. Prints the failures the run reported and exits 0
# when the run failed (the gate caught the bug), 1 when the broken kernel
# passed. Not part of make test: run it once for each new kind of check.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

patch=$TOP/selftests/scratch/skip-migration-copy.patch plan=$TOP/selftests/plan
fragment=()
while [ $# -gt 0 ]; do
	case $1 in
	-h|--help) usage "$0" ;;
	--patch) need_arg "$@"; patch=$(realpath "$2"); shift ;;
	--plan) need_arg "$@"; plan=$(realpath "$2"); shift ;;
	--fragment) need_arg "$@"; fragment=(--fragment "$(realpath "$2")"); shift ;;
	*) die "unknown argument: $1 (see --help)" ;;
	esac
	shift
done
[ -f "$patch" ] || die "no scratch patch $patch"
[ -f "$plan" ] || die "no plan $plan"
[ -e "$TREE/.git" ] || die "no kernel tree at $TREE (run make tree)"

T0=$(now)
wt=$BUILD/scratch-tree
head=$(tgit rev-parse HEAD)
step "scratch tree: $(basename "$patch") on $(tgit log -1 --format=%h HEAD)"
worktree_add "$wt" "$head"
git -C "$wt" reset -q --hard
git -C "$wt" checkout -q --detach "$head"
git -C "$wt" apply --verbose "$patch" 2>&1 | sed 's/^/    /' ||
	die "$(basename "$patch") does not apply to $head"
step_done "applied"

"$TOP/scripts/build.sh" --name scratch --src "$wt" "${fragment[@]}"
"$TOP/scripts/initramfs.sh" --name scratch --src "$wt" --plan "$plan"
rc=0
"$TOP/scripts/guest-test.sh" --name scratch --label gate-trial --timeout 1800 || rc=$?
git -C "$wt" reset -q --hard

summary=$BUILD/results/$(readlink "$BUILD/results/latest")/summary.json
python3 - "$summary" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
r = s.get("reliability", {})
print("gate trial: %d failed, %d splats, stress mismatches %s, leaks %s"
      % (s["failed"], s["splats"], r.get("mismatches"), r.get("leaks")))
for t in s["tests"]:
    if t["result"] == "fail":
        print("  caught by %s: %s" % (t["name"], (t["reason"] or "")[:160]))
PY
log "gate trial done in $(elapsed "$T0")s"
if [ "$rc" = 0 ]; then
	echo "gate trial: the broken kernel PASSED: the gate did not bite"
	exit 1
fi
# A setup error (exit 2) shows nothing about the gate.
[ "$rc" = 1 ] || die "the trial's guest run did not get to test (exit $rc); logs in $BUILD/results/latest"
echo "gate trial: caught"
