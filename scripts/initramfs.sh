#!/usr/bin/env bash
# initramfs.sh - build the guest's test programs and pack the initramfs.
#
# Usage: scripts/initramfs.sh [--name NAME] [--src DIR] [--plan FILE] [--help]
#
# Installs the kernel headers of build/kbuild/NAME, builds every program in
# the plan (selftests/plan) statically from the kernel tree against them,
# and packs them with busybox-static, the guest init and the runner into
# build/initramfs/NAME.cpio.
#
#   --name NAME    the kernel build (default: patched)
#   --src DIR      kernel source tree (default: build/linux)
#   --plan FILE    test plan (default: selftests/plan)
#   --output FILE  the archive (default: build/initramfs/NAME.cpio)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

name=patched src=$TREE plan=$TOP/selftests/plan output=""
while [ $# -gt 0 ]; do
	case $1 in
	-h|--help) usage "$0" ;;
	--name) name=$2; shift ;;
	--src) src=$2; shift ;;
	--plan) plan=$2; shift ;;
	--output) output=$2; shift ;;
	*) die "unknown argument: $1 (see --help)" ;;
	esac
	shift
done
out=$BUILD/kbuild/$name
[ -f "$out/.config" ] || die "no kernel build at $out (run scripts/build.sh --name $name)"
busybox=$(command -v busybox || true)
if [ -z "$busybox" ] || ! file -L "$busybox" | grep -q 'statically linked'; then
	die "need a static busybox (Debian package busybox-static)"
fi

step "initramfs: $name"
stage=$BUILD/initramfs/$name.d
bin=$BUILD/initramfs/$name.bin
rm -rf "$stage"
mkdir -p "$stage" "$bin"
make -s -C "$src" O="$out" ARCH=x86_64 headers_install >/dev/null
[ -x "$out/usr/gen_init_cpio" ] || gcc -O2 -o "$out/usr/gen_init_cpio" "$src/usr/gen_init_cpio.c"

cflags=(-static -O2 -g -Wall -U_FORTIFY_SOURCE -I "$src" -isystem "$out/usr/include"
	-isystem "$src/tools/include/uapi")
spec=$stage/spec
{
	printf 'dir /%s 755 0 0\n' bin sbin usr usr/bin dev proc sys tmp etc etc/hmm tests root
	echo "nod /dev/console 600 0 0 c 5 1"
	echo "nod /dev/ttyS0 600 0 0 c 4 64"
	echo "nod /dev/ttyS1 600 0 0 c 4 65"
	echo "nod /dev/ttyS2 600 0 0 c 4 66"
	echo "file /bin/busybox $busybox 755 0 0"
	for applet in $("$busybox" --list); do
		[ "$applet" = busybox ] || echo "slink /bin/$applet busybox 777 0 0"
	done
	echo "file /init $TOP/selftests/guest/init 755 0 0"
	echo "file /bin/run-tests $TOP/selftests/guest/run-tests 755 0 0"
	echo "file /etc/hmm/plan $plan 644 0 0"
} >"$spec"
while read -r tname tsrc _cmd; do
	case $tname in ""|\#*) continue ;; esac
	case $tsrc in
	/*) path=$tsrc ;;
	@/*) path=$TOP/${tsrc#@/} ;;
	*) path=$src/$tsrc ;;
	esac
	[ -f "$path" ] || die "plan: $tname: no source $path"
	log "cc -static $tsrc"
	gcc "${cflags[@]}" -o "$bin/$tname" "$path" -lrt -lpthread -lm ||
		die "building $tname from $tsrc failed"
	echo "file /tests/$tname $bin/$tname 755 0 0" >>"$spec"
done <"$plan"
output=${output:-$BUILD/initramfs/$name.cpio}
"$out/usr/gen_init_cpio" "$spec" >"$output.part"
mv "$output.part" "$output"
step_done "$output, $(du -h "$output" | cut -f1)"
