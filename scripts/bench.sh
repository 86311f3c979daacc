#!/usr/bin/env bash
# bench.sh - the stock base and the patched kernel, measured side by side.
#
# Usage: scripts/bench.sh [--quick] [--sizes "2 8 ..."] [--reps N]
#                         [--window S] [--rounds N] [--paired | --icount]
#                         [--help]
#
# Builds (incrementally) the pristine base in the worktree build/stock/linux
# and base + the series in build/linux, with the same configs; boots each in
# QEMU with the same settings; runs selftests/bench/hmm-bench.c, built for
# each from its own tree; and writes build/bench/<time>/ with results.json
# (every sample, the accelerator, the guest's CPUs), table.txt and chart.png.
# build/bench/latest points at the newest complete run; a run that fails
# leaves its logs and no results.json.
#
#   --quick       small sizes and 3 repetitions: the smoke test of make test
#   --sizes LIST  range sizes in MiB, multiples of 2 (default 2 8 32 128 256)
#   --reps N      repetitions of every metric (default 5, at least 5 for a
#                 full run)
#   --window S    seconds per sample of the one-page fault metrics (default 2)
#   --rounds N    boots of each kernel, in ABBA order (default 2; quick: 1);
#                 every boot's samples are pooled per kernel
#   --paired      boot the two kernels together in each round and let them
#                 take turns sample by sample (scripts/bench-pair.py), so
#                 that each stock sample has a patched one taken seconds
#                 apart; the report then gives the median of the per-pair
#                 ratios. For a host whose speed changes under the run.
#   --icount      boot each kernel under QEMU's -icount with one vCPU
#                 (scripts/boot.sh, ACCEL=icount): the guest's clock counts
#                 instructions, so every rate is per 10^9 guest instructions
#                 and does not move with the host's load. It measures the
#                 work a path does, not what it costs in cycles (cache
#                 misses, atomics and TCG's own overheads are not in it).
#                 One vCPU cannot run an mmap_lock writer beside the faults,
#                 so fault_1page_contended is not measured (hmm-bench -a).
#                 Default --rounds 1.
# Environment: BENCH_TIMEOUT (seconds per boot, default 1200, paired 2400),
# BENCH_APPEND (extra kernel command-line arguments for both kernels).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

sizes="2 8 32 128 256" reps=5 window=2 quick=0 rounds="" paired=0 icount=0
while [ $# -gt 0 ]; do
	case $1 in
	-h|--help) usage "$0" ;;
	--quick) quick=1 sizes="2 4" reps=3 window=0.5 ;;
	--rounds) need_arg "$@"; rounds=$2; shift ;;
	--paired) paired=1 ;;
	--icount) icount=1 ;;
	--sizes) need_arg "$@"; sizes=$2; shift ;;
	--reps) need_arg "$@"; reps=$2; shift ;;
	--window) need_arg "$@"; window=$2; shift ;;
	*) die "unknown argument: $1 (see --help)" ;;
	esac
	shift
done
T0=$(now)
mem=${GUEST_MEM:-3072}
# The guest keeps 512 MiB for the coherent devices and 64 MiB of huge pages;
# the largest size needs its range, the read buffer, the device's backing
# pages and the two memcpy buffers, about 4 times the size, plus ~300 MiB.
usable=$((mem - 512 - 64 - 300))
args=()
for s in $sizes; do
	if ! [[ $s =~ ^[0-9]+$ ]] || [ $((s % 2)) != 0 ] || [ "$s" = 0 ]; then
		die "size $s MiB: sizes are positive multiples of 2 MiB"
	fi
	[ $((4 * s)) -le "$usable" ] ||
		die "size $s MiB does not fit the guest's memory: it needs about $((4 * s)) MiB, the guest has $usable MiB usable (GUEST_MEM=$mem)"
	args+=(-s "$s")
done
if ! [[ $reps =~ ^[0-9]+$ ]] || [ "$reps" = 0 ]; then
	die "--reps wants a positive number"
fi
[ "$paired" = 0 ] || [ "$icount" = 0 ] ||
	die "--paired and --icount do not go together: --icount needs no pairing, as the host's load does not move its figures"
accel=${ACCEL:-}
[ "$icount" = 0 ] || accel=icount
if [ -z "$rounds" ]; then
	rounds=2
	[ "$quick" = 0 ] && [ "$icount" = 0 ] || rounds=1
fi
if ! [[ $rounds =~ ^[0-9]+$ ]] || [ "$rounds" = 0 ]; then
	die "--rounds wants a positive number"
fi
[ "$quick" = 1 ] || [ "$reps" -ge 5 ] || die "a full run repeats every metric at least 5 times"

# The two trees: build/linux (base + series) and the pristine base.
"$TOP/scripts/apply.sh"
stock=$STOCK
stock_tree

out=$BUILD/bench/$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
plan=$out/plan
# -y: the serial port where a paired guest waits for its turn; -a: no
# mmap_lock writer on a one-vCPU guest.
mode=()
[ "$paired" = 0 ] || mode=(-y /dev/ttyS2)
[ "$icount" = 0 ] || mode=(-a)
echo "hmm-bench @/selftests/bench/hmm-bench.c hmm-bench ${args[*]} -r $reps -w $window ${mode[*]}" >"$plan"
for k in stock patched; do
	src=$TREE
	[ "$k" = stock ] && src=$stock
	"$TOP/scripts/build.sh" --name "$k" --src "$src"
	"$TOP/scripts/initramfs.sh" --name "$k" --src "$src" --plan "$plan" --output "$out/$k.cpio"
done
# check_run RUN RC: the boot (boot.sh exit status RC) finished its
# benchmark, with no splat.
check_run() {
	local run=$1 rc=$2 k=${1%-*}
	if [ "$rc" != 0 ] || ! grep -q '^    ok 1 hmm-bench' "$out/$run/ktap.log"; then
		tail -n 20 "$out/$run/ktap.log" >&2 || true
		fail "the $run benchmark run failed ($(cat "$out/$run/status" 2>/dev/null || echo no status)); logs kept in $out/$run"
	fi
	if ! python3 "$TOP/scripts/results.py" --quiet --ktap "$out/$run/ktap.log" \
		--console "$out/$run/console.log" >/dev/null; then
		python3 "$TOP/scripts/results.py" --ktap "$out/$run/ktap.log" \
			--console "$out/$run/console.log" | tail -n 15 >&2
		fail "the $k kernel splatted or failed during the benchmark; logs kept in $out/$run"
	fi
}

# boot_run RUN [boot.sh arguments]: boot RUN's kernel into $out/RUN.
boot_run() {
	local run=$1 k=${1%-*} limit=${BENCH_TIMEOUT:-1200}
	shift
	[ "$paired" = 0 ] || limit=${BENCH_TIMEOUT:-2400}
	mkdir -p "$out/$run"
	ACCEL=$accel "$TOP/scripts/boot.sh" --name "$k" --initramfs "$out/$k.cpio" --out "$out/$run" \
		--timeout "$limit" ${BENCH_APPEND:+--append "$BENCH_APPEND"} "$@"
}

if [ "$paired" = 0 ]; then
	[ "$icount" = 0 ] || echo icount >"$out/mode"
	# ABBA order, stock and patched alternating over ROUNDS pairs, so that a
	# change of load on the host hits both kernels alike.
	order=()
	for ((r = 1; r <= rounds; r++)); do
		if [ $((r % 2)) = 1 ]; then order+=("stock-$r" "patched-$r"); else order+=("patched-$r" "stock-$r"); fi
	done
	for run in "${order[@]}"; do
		rc=0
		boot_run "$run" || rc=$?
		check_run "$run" "$rc"
	done
else
	# Both kernels at once; bench-pair.py gives them turns, and which one
	# goes first alternates from round to round as well as step to step.
	echo paired >"$out/mode"
	socks=$(mktemp -d /tmp/hmm-bench-pair.XXXXXX)
	trap 'pkill -f -- "unix:$socks/" 2>/dev/null || true; rm -rf "$socks"' EXIT
	for ((r = 1; r <= rounds; r++)); do
		first=stock
		[ $((r % 2)) = 1 ] || first=patched
		step "bench: round $r of $rounds, stock and patched taking turns ($first first)"
		rm -f "$socks/ready"
		python3 "$TOP/scripts/bench-pair.py" --socket "stock=$socks/stock" \
			--socket "patched=$socks/patched" --first "$first" \
			--ready "$socks/ready" 2> >(tee "$out/pair-$r.log" >&2) &
		pair=$!
		i=0
		while [ ! -e "$socks/ready" ] && [ "$i" -lt 100 ] && kill -0 "$pair" 2>/dev/null; do
			sleep 0.1
			i=$((i + 1))
		done
		[ -e "$socks/ready" ] || die "bench-pair.py did not start listening (log: $out/pair-$r.log)"
		boot_run "stock-$r" --turns "$socks/stock" >"$out/boot-stock-$r.log" 2>&1 &
		bs=$!
		boot_run "patched-$r" --turns "$socks/patched" >"$out/boot-patched-$r.log" 2>&1 &
		bp=$!
		pair_rc=0 stock_rc=0 patched_rc=0
		wait "$pair" || pair_rc=$?
		# A failed pairing leaves the guests waiting for a turn: stop them.
		[ "$pair_rc" = 0 ] || pkill -f -- "unix:$socks/" 2>/dev/null || true
		wait "$bs" || stock_rc=$?
		wait "$bp" || patched_rc=$?
		cat "$out/boot-stock-$r.log" "$out/boot-patched-$r.log" >&2
		[ "$pair_rc" = 0 ] || fail "round $r: the turns failed (log: $out/pair-$r.log); logs kept in $out"
		check_run "stock-$r" "$stock_rc"
		check_run "patched-$r" "$patched_rc"
		step_done
	done
fi
step "bench: report"
qflag=()
[ "$quick" = 0 ] || qflag=(--quick)
python3 "$TOP/scripts/bench-report.py" --dir "$out" "${qflag[@]}" --base "$UPSTREAM_VERSION"
ln -sfn "$(basename "$out")" "$BUILD/bench/latest"
step_done "$out"
log "make bench: done in $(elapsed "$T0")s"
