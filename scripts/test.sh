#!/usr/bin/env bash
# test.sh - the gate: everything `make test` (and so CI) checks.
#
# Usage: scripts/test.sh [--help]
#
# Stages: Debian packages; shellcheck; series/patches consistency;
# host-side tests of our tooling; fetch; git am apply; quilt apply; the
# KERNEL_SRC path; the per-patch upstream checks (make check); the mbox
# and its three checks (make mbox); build; the converted driver files
# (make drivers: nouveau, RDMA ODP, compiled only); initramfs and the guest run of
# the HMM selftests, first on the debug kernel (configs/debug.config:
# KASAN, lockdep, DEBUG_VM, kmemleak, ...; a leak fails), then on the
# minimal one, each with the stress test (hmm-stress; on the debug kernel
# once more with fault injection); the reliability report of those runs
# (scripts/reliability.py: 0 splats, leaks and mismatches, faults really
# injected); the mm selftests of the paths the series touches on the stock
# base and the patched kernel, no new failure (scripts/mm-selftests.sh);
# and make bench --quick, a smoke test of the benchmark
# harness (that it runs and parses, not how fast), booting the two
# kernels one after the other, together taking turns (--paired), and
# under QEMU's instruction counter (--icount). Independent stages all
# run; the chain of fetch, apply, build, initramfs and guest stops at its
# first failure. Prints a stage table, then the last lines of each failed
# stage's output (all of it is in build/test-logs/STAGE.log), and exits
# non-zero on any failure.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

no_args "$@"
T0=$(now)
names=() results=() times=()
chain_ok=1
logs=$BUILD/test-logs
rm -rf "$logs"
mkdir -p "$logs"
# stage NAME chain|free CMD...: run a stage and record its result.
stage() {
	local name=$1 kind=$2 t rc=0
	shift 2
	if [ "$kind" = chain ] && [ "$chain_ok" = 0 ]; then
		names+=("$name") results+=("not run") times+=("-")
		return
	fi
	printf '\n######## stage: %s\n' "$name" >&2
	t=$(now)
	# The output goes where it went, and into the stage's log.
	"$@" > >(tee "$logs/$name.log") 2> >(tee -a "$logs/$name.log" >&2) || rc=$?
	names+=("$name") times+=("$(elapsed "$t")")
	if [ "$rc" = 0 ]; then
		results+=(pass)
	else
		results+=(FAIL)
		if [ "$kind" = chain ]; then
			chain_ok=0
		fi
	fi
	return 0
}

S=$TOP/scripts
stage deps chain "$S/deps.sh"
stage shellcheck free "$S/shellcheck.sh"
stage series free "$S/check-series.sh"
stage host-tests free "$TOP/selftests/host/run.sh"
stage fetch chain "$S/fetch.sh"
stage apply chain "$S/apply.sh"
stage quilt free "$S/quilt-check.sh"
stage kernel-src free "$S/kernel-src-test.sh"
stage check free "$S/check.sh"
stage mbox free "$S/mbox.sh" --check
stage build chain "$S/build.sh" --name patched
stage drivers free "$S/drivers.sh"
stage initramfs chain "$S/initramfs.sh" --name patched
stage debug-build chain "$S/build.sh" --name debug --fragment "$TOP/configs/debug.config"
stage debug-initramfs chain "$S/initramfs.sh" --name debug --plan "$TOP/selftests/plan.debug"
# guest ARGS...: run guest-test.sh and keep its result directory for the report.
runs=()
guest() {
	local rc=0
	"$S/guest-test.sh" "$@" || rc=$?
	runs+=(--run "$BUILD/results/$(readlink "$BUILD/results/latest")")
	return "$rc"
}
stage hmm-tests-debug chain guest --name debug --timeout 1800 --label hmm-tests-debug
stage hmm-tests chain guest --name patched
# The reliability report: both kernels' figures added up, into the last
# run's summary.json. The debug run must have run the stress test, injected
# faults and checked for leaks.
reliability() {
	[ "${#runs[@]}" -gt 0 ] || die "no guest run to report on"
	python3 "$S/reliability.py" "${runs[@]}" --into "$BUILD/results/latest/summary.json" \
		--require-stress --require-faults --require-leak-check
}
stage reliability free reliability
stage mm-selftests free "$S/mm-selftests.sh"
stage bench-smoke free "$S/bench.sh" --quick
stage bench-paired free "$S/bench.sh" --quick --paired
stage bench-icount free "$S/bench.sh" --quick --icount

printf '\n%-16s %-8s %8s\n' stage result seconds
pass=0 fail=0
for i in "${!names[@]}"; do
	printf '%-16s %-8s %8s\n' "${names[$i]}" "${results[$i]}" "${times[$i]}"
	case ${results[$i]} in pass) pass=$((pass + 1)) ;; *) fail=$((fail + 1)) ;; esac
done
printf 'total time: %ss\n' "$(elapsed "$T0")"
for i in "${!names[@]}"; do
	[ "${results[$i]}" = FAIL ] || continue
	printf '\n---- the last lines of %s (all in %s):\n' "${names[$i]}" "$logs/${names[$i]}.log"
	tail -n 25 "$logs/${names[$i]}.log"
done
echo "stages: $pass passed, $fail failed"
[ "$fail" = 0 ]
