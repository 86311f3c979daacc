#!/usr/bin/env bash
# guest-test.sh - boot a kernel, run the test plan, and report the results.
#
# Usage: scripts/guest-test.sh [--name NAME] [--timeout S] [--label L]
#                              [--append ARGS] [--initramfs FILE] [--help]
#
# Boots build/kbuild/NAME with its initramfs (scripts/boot.sh), then parses
# the guest's KTAP and console into a table and
# build/results/<time>-NAME/summary.json, with the console log beside it;
# build/results/latest points at it. Ends with the line
#   guest-NAME: N passed, M failed, K skipped (PROGRAM N, ...)
# which counts the results of every program of the plan (hmm-tests,
# hmm-stress, kmemleak, ...), and names them when there is more than one.
# and exits non-zero on any failure, unlisted skip, splat, crash or timeout.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

name=patched timeout=${GUEST_TIMEOUT:-900} label="" extra=()
while [ $# -gt 0 ]; do
	case $1 in
	-h|--help) usage "$0" ;;
	--name) need_arg "$@"; name=$2; shift ;;
	--timeout) need_arg "$@"; timeout=$2; shift ;;
	--label) need_arg "$@"; label=$2; shift ;;
	--append) need_arg "$@"; extra+=(--append "$2"); shift ;;
	--initramfs) need_arg "$@"; extra+=(--initramfs "$2"); shift ;;
	*) die "unknown argument: $1 (see --help)" ;;
	esac
	shift
done
[ -n "$label" ] || label=guest-$name
dir=$BUILD/results/$(date +%Y%m%d-%H%M%S)-$name
mkdir -p "$dir"
ln -sfn "$(basename "$dir")" "$BUILD/results/latest"
rc=0
"$TOP/scripts/boot.sh" --name "$name" --out "$dir" --timeout "$timeout" "${extra[@]}" || rc=$?
if [ ! -f "$dir/status" ]; then
	# boot.sh stopped before QEMU ran: a setup error (no kernel, no QEMU,
	# a bad ACCEL or GUEST_CPUS) if it said so, else a failure.
	[ "$rc" != 2 ] || die "the guest did not start (boot.sh: setup error, see above)"
	fail "the guest did not run (boot.sh exited $rc)"
fi
step "results: $name"
res=0
python3 "$TOP/scripts/results.py" --ktap "$dir/ktap.log" --console "$dir/console.log" \
	--expected-skips "$TOP/selftests/expected-skips" --status "$(cat "$dir/status")" \
	--base "$UPSTREAM_VERSION ($DEBIAN_VERSION)" --accel "$(cat "$dir/accel")" \
	--json "$dir/summary.json" --label "$label" | tee "$dir/table.txt" || res=$?
step_done "$dir"
[ "$(cat "$dir/status")" != qemu-error ] || die "QEMU itself failed (exit $rc); logs in $dir"
[ "$rc" = 0 ] || fail "the guest run did not finish cleanly ($(cat "$dir/status")); logs in $dir"
case $res in
0) ;;
1) fail "$(tail -n 1 "$dir/table.txt"); the failures are listed above (Details), logs in $dir" ;;
*) die "scripts/results.py could not read the run (exit $res); logs in $dir" ;;
esac
