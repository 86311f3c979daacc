#!/usr/bin/env bash
# mm-selftests.sh - the mm selftests of the paths the series touches, on the
# stock base and on the patched kernel: no test that passes on the base may
# fail with the series.
#
# Usage: scripts/mm-selftests.sh [--plan FILE] [--timeout S] [--help]
#
# Builds (incrementally) the pristine base in the worktree build/stock/linux
# and base + the series in build/linux, both with configs/hmm.config (the
# kernels that make bench compares), and one initramfs with the programs of
# selftests/plan.mm, built from build/linux (the series does not change
# them), so that both kernels run the same binaries. Boots each kernel with
# it (four vCPUs, two NUMA nodes), then scripts/mm-compare.py compares the
# two runs test by test: a test
# that passes on the base and fails, is skipped or is missing with the
# series, or a kernel splat that only the series shows, fails the step.
# Some of these programs fail now and then on the base as well; so a
# regression is confirmed before it fails the step: the programs that
# showed one run once more on both kernels, and the step fails if the
# second comparison shows a regression again. Both reports are kept.
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
	--plan) need_arg "$@"; plan=$2; shift ;;
	--timeout) need_arg "$@"; timeout=$2; shift ;;
	*) die "unknown argument: $1 (see --help)" ;;
	esac
	shift
done
[ -f "$plan" ] || die "no plan $plan"
[ -d "$TREE/.git" ] || die "no work tree at $TREE (run make tree first)"
T0=$(now)

stock=$STOCK
stock_tree

out=$BUILD/mm-selftests/$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
"$TOP/scripts/build.sh" --name stock --src "$stock"
"$TOP/scripts/build.sh" --name patched
"$TOP/scripts/initramfs.sh" --name patched --plan "$plan" --output "$out/mm.cpio"

# run DIR CPIO: boot both kernels with CPIO, their runs in DIR/stock and
# DIR/patched, and compare them into DIR/compare.txt; returns mm-compare's
# status.
run() {
	local dir=$1 cpio=$2 k rc
	for k in stock patched; do
		rc=0
		# A program that hangs is killed after 15 minutes; the rest still run.
		# Four vCPUs: the migration tests want three CPUs or more.
		GUEST_CPUS=4 "$TOP/scripts/boot.sh" --name "$k" --initramfs "$cpio" --out "$dir/$k" \
			--timeout "$timeout" --append "hmm.prog_timeout=900" || rc=$?
		[ -f "$dir/$k/status" ] || [ "$rc" != 2 ] ||
			die "the $k guest did not start (boot.sh: setup error, see above)"
		[ -f "$dir/$k/status" ] || fail "the $k guest did not run (boot.sh exited $rc); logs in $dir/$k"
	done
	step "compare: stock against patched"
	rc=0
	python3 "$TOP/scripts/mm-compare.py" --stock "$dir/stock" --patched "$dir/patched" \
		--out "$dir/compare.txt" --json "$dir/compare.json" || rc=$?
	step_done "$dir/compare.txt"
	return "$rc"
}

rc=0 progs=""
run "$out" "$out/mm.cpio" || rc=$?
ln -sfn "$(basename "$out")" "$BUILD/mm-selftests/latest"
if [ "$rc" = 1 ]; then
	# The programs of the regressions (all of them for a splat at boot).
	progs=$(python3 -c 'import json, sys
for r in json.load(open(sys.argv[1]))["regressions"]:
    print(r["test"].split("/")[0].split(" ")[0])' "$out/compare.json" | sort -u)
	# A name that is no program of the plan (a splat at boot, a run cut
	# short) runs the whole plan again.
	awk 'NR == FNR { if (NF) want[$1] = 1; next }
	     /^#/ || NF == 0 { next }
	     { all[++m] = $0; if ($1 in want) { keep[m] = 1; found[$1] = 1 } }
	     END { for (w in want) if (!(w in found)) whole = 1
		   for (i = 1; i <= m; i++) if (whole || keep[i]) print all[i] }' \
		<(printf '%s\n' "$progs") "$plan" >"$out/plan.confirm"
	log "regressions in: $(echo "$progs" | tr '\n' ' '); running those programs once more on both kernels"
	"$TOP/scripts/initramfs.sh" --name patched --plan "$out/plan.confirm" --output "$out/confirm.cpio"
	rc=0
	run "$out/confirm" "$out/confirm.cpio" || rc=$?
	if [ "$rc" = 0 ]; then
		log "not confirmed: on the second run no test that passes on the base fails with the series"
		log "the first run's report, kept: $out/compare.txt"
	fi
fi
log "mm-selftests: $(elapsed "$T0")s in all"
case $rc in 0|1) ;; *) die "scripts/mm-compare.py could not compare the runs (exit $rc)" ;; esac
[ "$rc" = 0 ] || fail "the series fails mm selftests that pass on the base (see $out/compare.txt${progs:+ and $out/confirm/compare.txt})"
