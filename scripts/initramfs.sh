#!/usr/bin/env bash
# initramfs.sh - build the guest's test programs and pack the initramfs.
#
# Usage: scripts/initramfs.sh [--name NAME] [--src DIR] [--plan FILE]
#                             [--output FILE] [--help]
#
# Installs the kernel headers of build/kbuild/NAME, builds every program in
# the plan (selftests/plan) statically from the kernel tree against them,
# and packs them with busybox-static, the guest init and the runner into
# build/initramfs/NAME.cpio. A plan's SOURCE may list several C files,
# comma-separated (a selftest and the helpers it links with); the mm
# selftests' local_config.h says that liburing is not used, and libnuma
# (libnuma-dev) is linked for the ones that use it.
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
	--name) need_arg "$@"; name=$2; shift ;;
	--src) need_arg "$@"; src=$2; shift ;;
	--plan) need_arg "$@"; plan=$2; shift ;;
	--output) need_arg "$@"; output=$2; shift ;;
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
make -s -C "$src" O="$out" ARCH=x86_64 headers_install >/dev/null ||
	fail "make headers_install of $src failed: the uapi headers do not install"
[ -x "$out/usr/gen_init_cpio" ] || gcc -O2 -o "$out/usr/gen_init_cpio" "$src/usr/gen_init_cpio.c"

# The mm selftests' configuration header (their Makefile generates it).
echo '/* no liburing: the guest is static */' >"$stage/local_config.h"
cflags=(-static -O2 -g -Wall -U_FORTIFY_SOURCE -I "$src" -I "$stage" -isystem "$out/usr/include"
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
	paths=()
	IFS=, read -r -a srcs <<<"$tsrc"
	for one in "${srcs[@]}"; do
		case $one in
		/*) path=$one ;;
		@/*) path=$TOP/${one#@/} ;;
		*) path=$src/$one ;;
		esac
		[ -f "$path" ] || die "plan: $tname: no source $path"
		paths+=("$path")
	done
	log "cc -static ${srcs[0]}${srcs[1]:+ (+$((${#srcs[@]} - 1)))}"
	# __FILE__ names the source without its directory: some mm selftests
	# make temporary files named after it, in the current directory.
	gcc "${cflags[@]}" -fmacro-prefix-map="$(dirname "${paths[0]}")/=" \
		-o "$bin/$tname" "${paths[@]}" -lrt -lpthread -lm -lnuma ||
		fail "building $tname from $tsrc failed"
	echo "file /tests/$tname $bin/$tname 755 0 0" >>"$spec"
done <"$plan"
output=${output:-$BUILD/initramfs/$name.cpio}
"$out/usr/gen_init_cpio" "$spec" >"$output.part"
mv "$output.part" "$output"
step_done "$output, $(du -h "$output" | cut -f1)"
