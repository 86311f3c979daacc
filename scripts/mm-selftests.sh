#!/usr/bin/env bash
# mm-selftests.sh - the mm selftests of the paths the series touches, on the
# stock base and on the patched kernel: no test that passes on the base may
# fail with the series.
#
# Usage: scripts/mm-selftests.sh [--plan FILE] [--timeout S] [--help]
#
# Builds (incrementally) the pristine base in the worktree build/stock-tree
# and base + the series in build/linux, both with configs/hmm.config (the
# kernels that make bench compares), and one initramfs with the programs of
# selftests/plan.mm, built from build/linux (the series does not change
# them), so that both kernels run the same binaries. Boots each kernel with
# it (four vCPUs, two NUMA nodes), then scripts/mm-compare.py compares the
# two runs test by test: a test
# that passes on the base and fails, is skipped or is missing with the
# series, or a kernel splat that only the series shows, fails the step.
# The runs and the report are in build/mm-selftests/<time>/.
#
#   --plan FILE   the programs (default: selftests/plan.mm)
#   --timeout S   hard limit for each guest (default: 1800)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

plan=$TOP/selftests/plan.mm timeout=1800
while [ $# -gt 0 ]; do
	case $1 in
	-h|--help) usage "$0" ;;
	--plan) plan=$2; shift ;;
	--timeout) timeout=$2; shift ;;
	*) die "unknown argument: $1 (see --help)" ;;
	esac
	shift
done
[ -f "$plan" ] || die "no plan $plan"
[ -d "$TREE/.git" ] || die "no work tree at $TREE (run make tree first)"
T0=$(now)

stock=$BUILD/stock-tree
stock_tree

out=$BUILD/mm-selftests/$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
"$TOP/scripts/build.sh" --name stock --src "$stock"
"$TOP/scripts/build.sh" --name patched
"$TOP/scripts/initramfs.sh" --name patched --plan "$plan" --output "$out/mm.cpio"

for k in stock patched; do
	rc=0
	# A program that hangs is killed after 15 minutes; the rest still run.
	# Four vCPUs: the migration tests want three CPUs or more.
	GUEST_CPUS=4 "$TOP/scripts/boot.sh" --name "$k" --initramfs "$out/mm.cpio" --out "$out/$k" \
		--timeout "$timeout" --append "hmm.prog_timeout=900" || rc=$?
	[ -f "$out/$k/status" ] || die "the $k guest did not run (boot.sh exited $rc); logs in $out/$k"
done

step "compare: stock against patched"
rc=0
python3 "$TOP/scripts/mm-compare.py" --stock "$out/stock" --patched "$out/patched" \
	--out "$out/compare.txt" --json "$out/compare.json" || rc=$?
ln -sfn "$(basename "$out")" "$BUILD/mm-selftests/latest"
step_done "$out/compare.txt"
log "mm-selftests: $(elapsed "$T0")s in all"
[ "$rc" = 0 ] || die "the series fails mm selftests that pass on the base (see $out/compare.txt)"
