#!/usr/bin/env bash
# build.sh - configure and build a minimal x86_64 kernel for the HMM tests.
#
# Usage: scripts/build.sh [--name NAME] [--src DIR] [--fragment FILE]...
#                         [--target T]... [--help]
#
# Configures allnoconfig plus the Kconfig fragments (configs/hmm.config by
# default, and any --fragment given), merged with merge_config.sh and
# olddefconfig, then checks that every symbol the fragments ask for is in
# the final .config; a dropped symbol fails the step by name. Builds bzImage
# with ccache (when installed) and -j$(nproc) into build/kbuild/NAME.
# For another tree whose directory is called linux (the stock worktree
# build/stock/linux), build/kbuild/NAME is a link to a kbuild/NAME beside
# that tree: ccache then finds the objects of build/linux's builds, as it
# keys them by the path of the source relative to the object directory.
#
#   --name NAME        output directory under build/kbuild (default: patched)
#   --src DIR          kernel source tree (default: build/linux)
#   --fragment FILE    an extra Kconfig fragment (repeatable)
#   --target T         make target (default: bzImage; repeatable)
# Environment: BUILD_POLL (seconds between progress lines, default 15).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

name=patched src=$TREE
fragments=("$TOP/configs/hmm.config")
targets=()
while [ $# -gt 0 ]; do
	case $1 in
	-h|--help) usage "$0" ;;
	--name) need_arg "$@"; name=$2; shift ;;
	--src) need_arg "$@"; src=$2; shift ;;
	--fragment) need_arg "$@"; fragments+=("$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"); shift ;;
	--target) need_arg "$@"; targets+=("$2"); shift ;;
	*) die "unknown argument: $1 (see --help)" ;;
	esac
	shift
done
[ ${#targets[@]} -gt 0 ] || targets=(bzImage)
[ -f "$src/Makefile" ] || die "no kernel tree at $src (run scripts/fetch.sh first)"
out=$BUILD/kbuild/$name
if [ "$(realpath "$src")" != "$(realpath "$TREE")" ] && [ "$(basename "$src")" = linux ]; then
	real=$(dirname "$(realpath "$src")")/kbuild/$name
	mkdir -p "$real" "$BUILD/kbuild"
	[ -L "$out" ] || rm -rf "$out"
	ln -sfn "$real" "$out"
fi
need_space "$BUILD" 1024 "building the $name kernel in $out"
mkdir -p "$out"

cc=gcc
if command -v ccache >/dev/null 2>&1; then
	cc="ccache gcc"
	export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
	export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
	# Let objects from different trees (build/linux, the stock worktree)
	# share cache entries.
	export CCACHE_BASEDIR=$BUILD
	export CCACHE_NOHASHDIR=1
fi
# Fixed build metadata, so that rebuilding the same source hits the cache.
export KBUILD_BUILD_TIMESTAMP="Sat Jan  1 00:00:00 UTC 2000"
export KBUILD_BUILD_USER=hmm KBUILD_BUILD_HOST=qemu KBUILD_BUILD_VERSION=1
kmake() { make -C "$src" O="$out" ARCH=x86_64 CC="$cc" HOSTCC=gcc "$@"; }

step "config: $name ($(basename -a "${fragments[@]}" | tr '\n' ' ')+ allnoconfig)"
cfglog=$out/config.log
# What the .config is made of: the fragments, every Kconfig file of the tree
# and the compiler. When none changed since the .config in $out was made
# (make check builds one tree per patch, and most patches touch none of
# them), keep it: configuring takes seconds, this check a fraction of one.
cfgkey=$( {
	cat "${fragments[@]}" "$src/scripts/kconfig/merge_config.sh"
	gcc --version
	(cd "$src" && find . \( -path ./tools -o -path ./Documentation \) -prune -o \
		-name 'Kconfig*' -type f -print0 | sort -z | xargs -0 cat)
} | sha1sum)
cfgkey=${cfgkey%% *}
if [ -f "$out/.config" ] && [ "$(cat "$out/.config.key" 2>/dev/null)" = "$cfgkey" ]; then
	echo "    (fragments, Kconfig files and compiler as for the .config there: kept)" >&2
else
	rm -f "$out/.config.key"
	{
		kmake allnoconfig
		"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "${fragments[@]}"
		kmake olddefconfig
	} >"$cfglog" 2>&1 || { tail -n 30 "$cfglog" >&2; fail "configuring $name failed (log: $cfglog)"; }
	printf '%s\n' "$cfgkey" >"$out/.config.key"
fi
missing=0
for f in "${fragments[@]}"; do
	fname=${f##*/}
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*)
			grep -qxF -- "$line" "$out/.config" && continue
			got=$(grep -E "^(# )?${line%%=*}[= ]" "$out/.config" || echo "absent")
			printf 'ERROR: %s asks for %s, the .config has: %s\n' \
				"$fname" "$line" "$got" >&2
			missing=1 ;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }; sym=${sym%% *}
			grep -q "^$sym=" "$out/.config" || continue
			printf 'ERROR: %s asks for %s unset, the .config has it set\n' \
				"$fname" "$sym" >&2
			missing=1 ;;
		esac
	done <"$f"
done
[ "$missing" = 0 ] || fail "Kconfig dropped symbols that the fragments ask for (see above)"
step_done "$(grep -c '=[ym]$' "$out/.config") symbols set, all requested ones present"

step "build: $name ${targets[*]} (-j$(nproc), ${cc})"
blog=$out/build.log
t0=$(now)
poll=${BUILD_POLL:-15}
[[ $poll =~ ^[1-9][0-9]*$ ]] || die "BUILD_POLL=$poll: want a whole number of seconds"
kmake -j"$(nproc)" "${targets[@]}" >"$blog" 2>&1 &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
	# A fifth of a second at a time: the build may end at any moment, and
	# sleeping out the whole poll interval after it cost 7 s per build on
	# average (make check builds once per patch).
	for ((i = 0; i < poll * 5; i++)); do
		sleep 0.2
		kill -0 "$pid" 2>/dev/null || break 2
	done
	# No compile line yet is no error: an up-to-date tree has none. (A
	# grep that matched nothing here used to end the script silently,
	# through pipefail and set -e, whenever make ran past one poll.)
	n=$(grep -cE '^  (CC|AS|LD|AR)' "$blog" || true)
	last=$({ grep -E '^  (CC|AS|LD|AR)' "$blog" || true; } | tail -n 1 | sed 's/^ *//')
	printf '    ... %s: %s steps, %ss, last: %s\n' "$name" "$n" "$(elapsed "$t0")" "$last" >&2
done
rc=0
wait "$pid" || rc=$?
if [ "$rc" != 0 ]; then
	echo "---- first compiler errors ($blog) ----" >&2
	grep -E -m 10 -B2 -A3 'error:|Error [0-9]' "$blog" >&2 || tail -n 30 "$blog" >&2
	fail "building $name failed"
fi
n=$(grep -cE '^  (CC|AS|LD|AR)' "$blog" || true)
if [ "$n" -le 2 ]; then
	step_done "up to date, nothing rebuilt"
else
	step_done "$n build steps; $out/arch/x86/boot/bzImage"
fi
