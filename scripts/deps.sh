#!/usr/bin/env bash
# deps.sh - install the Debian packages the pipeline needs.
#
# Usage: scripts/deps.sh [--check] [--help]
#
# As root, installs whatever is missing with apt-get. Otherwise prints the
# exact apt-get line and fails. --check only reports.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# package:command-or-file that proves it is installed
NEEDS=(
	build-essential:gcc make:make flex:flex bison:bison bc:bc
	libelf-dev:/usr/include/libelf.h libssl-dev:/usr/include/openssl/ssl.h
	ccache:ccache qemu-system-x86:qemu-system-x86_64
	busybox-static:/bin/busybox cpio:cpio quilt:quilt xz-utils:xz
	python3:python3 file:file kmod:depmod git:git rsync:rsync
	sparse:sparse shellcheck:shellcheck pyflakes3:pyflakes3 b4:b4
	libnuma-dev:/usr/include/numa.h
	gnuplot-nox:gnuplot python3-sphinx:sphinx-build python3-sphinx-rtd-theme:/usr/lib/python3/dist-packages/sphinx_rtd_theme
)
check=0
for a in "$@"; do
	case $a in
	-h|--help) usage "$0" ;;
	--check) check=1 ;;
	*) die "unknown argument: $a (see --help)" ;;
	esac
done

step "deps: Debian packages"
missing=()
for n in "${NEEDS[@]}"; do
	pkg=${n%%:*} probe=${n#*:}
	case $probe in
	/*) [ -e "$probe" ] && continue ;;
	*) command -v "$probe" >/dev/null 2>&1 && continue ;;
	esac
	missing+=("$pkg")
done
if [ -e /bin/busybox ] && ! file -L /bin/busybox 2>/dev/null | grep -q 'statically linked'; then
	missing+=(busybox-static)
fi
if [ ${#missing[@]} = 0 ]; then
	step_done "all present"
	exit 0
fi
line="apt-get install -y --no-install-recommends ${missing[*]}"
[ "$check" = 0 ] || die "missing packages: ${missing[*]}; install with: $line"
if [ "$(id -u)" != 0 ]; then
	die "missing packages: ${missing[*]}
Run as root:
  apt-get update && $line"
fi
log "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
step_done "installed ${missing[*]}"
