#!/usr/bin/env bash
# boot.sh - boot a built kernel with the test initramfs in QEMU.
#
# Usage: scripts/boot.sh [--name NAME] [--initramfs FILE] [--mode test|shell]
#                        [--out DIR] [--timeout SECONDS] [--gdb]
#                        [--append ARGS] [--turns SOCKET] [--help]
#
# Runs qemu-system-x86_64 with 2 vCPUs (1 with ACCEL=icount) and two NUMA
# nodes, a serial console, panic=-1 and -no-reboot under a hard timeout. KVM is used only
# when a short probe boot shows that it works; otherwise (or with
# ACCEL=tcg) TCG. The guest reserves RAM with memmap= for test_hmm's two
# device-coherent devices, and huge pages for the hugetlbfs tests.
#
# In test mode the console (ttyS0) goes to DIR/console.log and the runner's
# KTAP (ttyS1) to DIR/ktap.log; a guest that panics or hangs is stopped at
# the timeout, and the last 40 console lines are printed. Shell mode gives
# an interactive guest on the terminal; --gdb (or GDB=1) starts QEMU's gdb
# stub on :1234 and waits for the debugger.
#
#   --name NAME       kernel build under build/kbuild and initramfs (patched)
#   --initramfs FILE  initramfs (default: build/initramfs/NAME.cpio)
#   --timeout S       hard limit for the whole guest run (default: 900)
#   --append ARGS     extra kernel command-line arguments
#   --turns SOCKET    connect the guest's third serial port (ttyS2) to the
#                     unix socket SOCKET, where scripts/bench-pair.py hands
#                     out turns to two guests benchmarked together
# Environment: ACCEL=kvm|tcg skips the probe; ACCEL=icount is TCG with one
# vCPU and -icount shift=0,sleep=off, where the guest's clock counts the
# instructions it executes (1 ns each) and skips idle time, so timings in
# the guest are instruction counts, unmoved by the host's load (make bench
# --icount); GUEST_MEM (MiB, default 3072); GUEST_CPUS (vCPUs, default 2).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

name=patched mode=test outdir="" timeout=900 gdb=${GDB:-0} extra="" initramfs="" turns=""
while [ $# -gt 0 ]; do
	case $1 in
	-h|--help) usage "$0" ;;
	--name) need_arg "$@"; name=$2; shift ;;
	--mode) need_arg "$@"; mode=$2; shift ;;
	--out) need_arg "$@"; outdir=$2; shift ;;
	--timeout) need_arg "$@"; timeout=$2; shift ;;
	--gdb) gdb=1 ;;
	--append) need_arg "$@"; extra=$2; shift ;;
	--initramfs) need_arg "$@"; initramfs=$2; shift ;;
	--turns) need_arg "$@"; turns=$2; shift ;;
	*) die "unknown argument: $1 (see --help)" ;;
	esac
	shift
done
kernel=$BUILD/kbuild/$name/arch/x86/boot/bzImage
initramfs=${initramfs:-$BUILD/initramfs/$name.cpio}
[ -f "$kernel" ] || die "no kernel at $kernel (run scripts/build.sh --name $name)"
[ -f "$initramfs" ] || die "no initramfs at $initramfs (run scripts/initramfs.sh --name $name)"
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing (Debian package qemu-system-x86)"

mem=${GUEST_MEM:-3072}
# 512 MiB at 2 GiB is reserved as "special purpose memory" for test_hmm's
# device-coherent devices (256 MiB each); 32 huge pages for hugetlbfs.
spm0=0x80000000 spm1=0x90000000
cmdline="console=ttyS0 panic=-1 loglevel=7 \
memmap=512M\$$spm0 test_hmm.spm_addr_dev0=$spm0 test_hmm.spm_addr_dev1=$spm1 \
hugepages=32 hmm.mode=$mode"
[ -z "$extra" ] || cmdline="$cmdline $extra"

cpus=${GUEST_CPUS:-2}
[ "${ACCEL:-}" != icount ] || cpus=1
case $cpus in [1-8]) ;; *) die "GUEST_CPUS=$cpus: want 1 to 8" ;; esac
# Two NUMA nodes of half the memory each, half the vCPUs on each (node 1 has
# none with one vCPU), so that move_pages() and mbind() have somewhere to go.
# Each vCPU is a socket of its own: cores of one socket on two nodes would
# make the guest warn about its topology at boot.
half=$((mem / 2)) c0=$(((cpus + 1) / 2))
numa=(-object "memory-backend-ram,id=m0,size=${half}M" -numa "node,nodeid=0,cpus=0-$((c0 - 1)),memdev=m0"
	-object "memory-backend-ram,id=m1,size=$((mem - half))M")
if [ "$cpus" -gt 1 ]; then
	numa+=(-numa "node,nodeid=1,cpus=$c0-$((cpus - 1)),memdev=m1")
else
	numa+=(-numa "node,nodeid=1,memdev=m1")
fi
qemu_base=(qemu-system-x86_64 -m "$mem" -smp "$cpus,sockets=$cpus,cores=1,threads=1" "${numa[@]}" -display none
	-no-reboot -kernel "$kernel" -initrd "$initramfs")

# probe_kvm: boot the guest in probe mode under KVM with a short timeout.
probe_kvm() {
	local log
	[ -w /dev/kvm ] || { echo tcg; return; }
	log=$(mktemp)
	timeout -k 2 "${KVM_PROBE_TIMEOUT:-20}" "${qemu_base[@]}" -accel kvm -cpu host \
		-serial "file:$log" -serial null -monitor none \
		-append "console=ttyS0 panic=-1 hmm.mode=probe" >/dev/null 2>&1 || true
	if grep -q HMM-PROBE-OK "$log"; then echo kvm; else echo tcg; fi
	rm -f "$log"
}

accel=${ACCEL:-}
if [ -z "$accel" ]; then
	probe=$BUILD/accel.probe
	if [ -f "$probe" ] && [ -n "$(find "$probe" -mmin -60)" ]; then
		accel=$(cat "$probe")
		log "accelerator: $accel (probed within the hour; ACCEL=kvm|tcg overrides)"
	else
		step "probe: does a KVM guest boot?"
		accel=$(probe_kvm)
		echo "$accel" >"$probe"
		step_done "using $accel"
	fi
fi
case $accel in
kvm) accel_args=(-accel kvm -cpu host) ;;
tcg) accel_args=(-accel "tcg,thread=multi" -cpu max) ;;
icount) accel_args=(-accel "tcg,thread=single" -icount "shift=0,sleep=off" -cpu max) ;;
*) die "ACCEL=$accel: want kvm, tcg or icount" ;;
esac

if [ "$mode" = shell ]; then
	dbg=()
	if [ "$gdb" = 1 ]; then
		dbg=(-s -S)
		cmdline="$cmdline nokaslr"
		log "gdb stub on :1234, QEMU waits for it:"
		log "  gdb $BUILD/kbuild/$name/vmlinux -ex 'target remote :1234'"
	fi
	log "interactive guest ($accel); Ctrl-A X quits QEMU"
	exec "${qemu_base[@]}" "${accel_args[@]}" "${dbg[@]}" -serial mon:stdio \
		-serial null -append "$cmdline"
fi

[ -n "$outdir" ] || die "--out DIR is required in test mode"
mkdir -p "$outdir"
console=$outdir/console.log ktap=$outdir/ktap.log
: >"$console"; : >"$ktap"
printf '%s\n' "$accel" >"$outdir/accel"
printf '%s\n' "$cmdline" >"$outdir/cmdline"

serials=(-serial "file:$console" -serial "file:$ktap")
[ -z "$turns" ] || serials+=(-serial "unix:$turns")
step "boot: $name ($accel, $cpus vCPU$([ "$cpus" = 1 ] || echo s), ${mem} MiB, timeout ${timeout}s)"
t0=$(now)
timeout -k 5 "$timeout" "${qemu_base[@]}" "${accel_args[@]}" \
	"${serials[@]}" -monitor none \
	-append "$cmdline" >"$outdir/qemu.log" 2>&1 &
pid=$!
tick=0
while kill -0 "$pid" 2>/dev/null; do
	sleep 1
	tick=$((tick + 1))
	kill -0 "$pid" 2>/dev/null || break
	[ $((tick % 10)) = 0 ] || continue
	n=$(grep -cE '^    (not )?ok [0-9]+ ' "$ktap" || true)
	last=$(grep -E '^    (not )?ok [0-9]+ ' "$ktap" | tail -n 1 | sed 's/^ *//' || true)
	b=$(grep -c 'HMM-BENCH ' "$ktap" || true)
	[ "$b" = 0 ] || last="$b benchmark samples"
	printf '    ... %s %ss: %s results%s\n' "$name" "$(elapsed "$t0")" "$n" "${last:+, last: $last}" >&2
done
rc=0
wait "$pid" || rc=$?
printf '%s\n' "$rc" >"$outdir/qemu.rc"
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	echo "---- guest did not finish within ${timeout}s; last 40 console lines ----" >&2
	tail -n 40 "$console" >&2
	echo "---- full log: $console ----" >&2
	echo timeout >"$outdir/status"
	step_done "TIMEOUT"
	exit 3
fi
if [ "$rc" != 0 ]; then
	cat "$outdir/qemu.log" >&2
	echo "qemu-error" >"$outdir/status"
	die "qemu exited with $rc (log: $outdir/qemu.log)"
fi
if ! grep -q '^hmm-init: tests finished' "$console"; then
	echo "---- guest stopped before the tests finished; last 40 console lines ----" >&2
	tail -n 40 "$console" >&2
	echo "---- full log: $console ----" >&2
	echo crashed >"$outdir/status"
	step_done "CRASHED"
	exit 4
fi
echo finished >"$outdir/status"
step_done
