#!/usr/bin/env bash
# fetch.sh - get the pinned 6.12 base and make build/linux from it.
#
# Usage: scripts/fetch.sh [--repin] [--help]
#
# Downloads linux-source-6.12 at the Debian version pinned in
# configs/base.pin (apt-get download, no root needed), checks the tarball's
# sha256, unpacks it into a cache outside the work tree and creates
# build/linux as a git repository whose first commit, tagged `base`, is the
# pristine tarball (less the Debian packaging lines of .gitignore, see
# README.md). An existing build/linux on the same base is reused.
#
#   --repin      pin configs/base.pin to the newest linux-source-6.12 in the
#                archive, then fetch it.
#
# Environment:
#   BASE=newest       run once on the newest 6.12 package without re-pinning.
#   KERNEL_SRC=DIR    use your own kernel tree (same upstream version) as the
#                     base instead of Debian's tarball.
#   HMM_CACHE=DIR     the download cache (default ~/.cache/hmm-series).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PKG=linux-source-6.12
repin=0
for a in "$@"; do
	case $a in
	-h|--help) usage "$0" ;;
	--repin) repin=1 ;;
	*) die "unknown argument: $a (see --help)" ;;
	esac
done

apt_update_once() {
	[ -n "${_apt_updated:-}" ] && return 0
	_apt_updated=1
	if [ "$(id -u)" = 0 ]; then
		log "refreshing Debian's package lists (apt-get update)"
		apt-get update -qq >&2 || log "apt-get update failed; using the lists we have"
	fi
}

# The newest linux-source-6.12 version the archive offers.
newest_version() {
	apt_update_once
	apt-cache madison "$PKG" 2>/dev/null | awk -F'|' '{ gsub(/ /, "", $2); print $2 }' |
		sort -V | tail -n 1
}

# download_tarball DEBVER OUT: fetch the package and extract its tarball.
download_tarball() {
	local ver=$1 out=$2 tmp deb err
	tmp=$(mktemp -d "$CACHE/dl.XXXXXX")
	log "downloading $PKG=$ver (apt-get download)"
	if ! (cd "$tmp" && apt-get download -q "$PKG=$ver") >"$tmp/log" 2>&1; then
		apt_update_once
		if ! (cd "$tmp" && apt-get download -q "$PKG=$ver") >"$tmp/log" 2>&1; then
			err=$(cat "$tmp/log")
			rm -rf "$tmp"
			if grep -q "was not found" <<<"$err"; then
				die "the pinned base $PKG=$ver has left the Debian archive.
  Re-pin to the newest 6.12 package:   scripts/fetch.sh --repin   (or: make repin)
  Or run once on it without re-pinning: make run BASE=newest
apt-get said: $err"
			fi
			die "apt-get download $PKG=$ver failed:
$err"
		fi
	fi
	deb=$(ls "$tmp"/*.deb)
	dpkg-deb --fsys-tarfile "$deb" |
		tar -x -O ./usr/src/linux-source-6.12.tar.xz >"$out.part" ||
		{ rm -rf "$tmp" "$out.part"; die "cannot extract the tarball from $deb"; }
	mv "$out.part" "$out"
	rm -rf "$tmp"
}

# upstream_version DIR: VERSION.PATCHLEVEL.SUBLEVEL from a kernel Makefile.
upstream_version() {
	awk -F' *= *' '/^VERSION/ {v=$2} /^PATCHLEVEL/ {p=$2} /^SUBLEVEL/ {s=$2}
		/^EXTRAVERSION/ { printf "%s.%s.%s\n", v, p, s; exit }' "$1/Makefile"
}

# Drop Debian's packaging lines from the top-level .gitignore: they ignore
# every top-level path, so files that a patch adds would never show.
fix_gitignore() {
	local gi=$1/.gitignore
	grep -qx '!/debian/' "$gi" || return 0
	python3 - "$gi" <<'PY'
import sys
path = sys.argv[1]
lines = open(path).read().split("\n")
i = next(n for n, l in enumerate(lines) if l.startswith("# Debian packaging"))
j = lines.index("!/debian/", i)
if i > 0 and lines[i - 1] == "#":
    i -= 1
assert all(l.startswith("#") or l == "/*" for l in lines[i:j]), lines[i:j]
del lines[i:j + 1]
open(path, "w").write("\n".join(lines).rstrip("\n") + "\n")
PY
	if grep -qx '!/debian/' "$gi" || grep -qx '/\*' "$gi"; then
		die "could not drop Debian's packaging lines from $gi"
	fi
	log "dropped Debian's packaging lines (/*, !/debian/) from .gitignore"
}

# make_tree SRC LABEL ID: build/linux from the directory SRC, its base commit
# named after LABEL and tagged `base`; ID recorded to recognise it later.
make_tree() {
	local src=$1 label=$2 id=$3
	rm -rf "$TREE"
	need_space "$(dirname "$TREE")" 3072 "the kernel work tree $TREE"
	mkdir -p "$(dirname "$TREE")"
	log "copying the base into $TREE"
	cp -a "$src" "$TREE"
	rm -rf "$TREE/.git"
	fix_gitignore "$TREE"
	log "committing the pristine base (git add of ~90k files)"
	git -C "$TREE" init -q -b series
	git -C "$TREE" config core.autocrlf false
	git -C "$TREE" config gc.auto 0
	with_heartbeat 20 "git add" git -C "$TREE" add -A -f
	GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z" \
		tgit commit -q -m "Linux $(upstream_version "$TREE") ($label)" \
		-m "Pristine base of the HMM series. Debian's packaging lines at the
end of .gitignore are dropped; nothing else differs from the source."
	tgit tag base
	printf '%s\n' "$id" >"$TREE/.git/hmm-base"
}

tree_is() { [ -f "$TREE/.git/hmm-base" ] && [ "$(cat "$TREE/.git/hmm-base")" = "$1" ]; }

from_kernel_src() {
	local src ver head id
	src=$(cd "$KERNEL_SRC" && pwd) || die "KERNEL_SRC=$KERNEL_SRC: no such directory"
	if [ ! -f "$src/Makefile" ] || [ ! -d "$src/mm" ]; then
		die "KERNEL_SRC=$src is not a kernel tree"
	fi
	ver=$(upstream_version "$src")
	[ "$ver" = "$UPSTREAM_VERSION" ] ||
		die "KERNEL_SRC=$src is Linux $ver; the series is pinned to $UPSTREAM_VERSION"
	if git -C "$src" rev-parse -q --verify HEAD >/dev/null 2>&1; then
		[ -z "$(git -C "$src" status --porcelain --untracked-files=no)" ] ||
			die "KERNEL_SRC=$src has uncommitted changes; commit or stash them"
		head=$(git -C "$src" rev-parse HEAD)
		id="kernel-src:$src:$head"
		if tree_is "$id"; then
			log "reusing $TREE (KERNEL_SRC at ${head:0:12})"; return 0
		fi
		rm -rf "$TREE"
		need_space "$(dirname "$TREE")" 3072 "the kernel work tree $TREE"
		log "cloning $src at ${head:0:12} into $TREE"
		git clone -q --no-hardlinks "$src" "$TREE"
		git -C "$TREE" checkout -q -B series "$head"
		git -C "$TREE" tag -f base "$head" >/dev/null
		printf '%s\n' "$id" >"$TREE/.git/hmm-base"
	else
		id="kernel-src:$src:$(find "$src" -maxdepth 1 -newer "$src/Makefile" | wc -l)"
		tree_is "$id" && { log "reusing $TREE (KERNEL_SRC)"; return 0; }
		make_tree "$src" "kernel-src:$src" "$id"
	fi
}

main() {
	local ver sha want tarball src id
	mkdir -p "$CACHE"
	if [ -n "${KERNEL_SRC:-}" ]; then
		step "fetch: base from KERNEL_SRC"
		from_kernel_src
		step_done
		return
	fi
	step "fetch: $PKG"
	ver=$DEBIAN_VERSION want=$TARBALL_SHA256
	if [ "$repin" = 1 ] || [ "${BASE:-pinned}" = newest ]; then
		ver=$(newest_version)
		[ -n "$ver" ] || die "no $PKG in Debian's archive (is deb.debian.org/debian-security in apt sources?)"
		log "newest $PKG in the archive: $ver (pinned: $DEBIAN_VERSION)"
		[ "$ver" = "$DEBIAN_VERSION" ] || want=""
	fi
	tarball=$CACHE/linux-source-$ver.tar.xz
	if [ -f "$tarball" ] && [ -n "$want" ]; then
		sha=$(sha256sum "$tarball" | cut -d' ' -f1)
		if [ "$sha" = "$want" ]; then
			log "cached tarball verified: $tarball"
		else
			log "cached tarball $tarball fails its checksum ($sha); fetching it again"
			rm -f "$tarball"
			rm -rf "$CACHE/src/$ver"
		fi
	fi
	[ -f "$tarball" ] || download_tarball "$ver" "$tarball"
	sha=$(sha256sum "$tarball" | cut -d' ' -f1)
	if [ -n "$want" ] && [ "$sha" != "$want" ]; then
		rm -f "$tarball"
		die "downloaded tarball for $PKG=$ver has sha256 $sha, the pin says $want"
	fi
	src=$CACHE/src/$ver
	if [ ! -f "$src/.unpacked" ] || [ "$(cat "$src/.unpacked")" != "$sha" ]; then
		rm -rf "$src"
		need_space "$CACHE" 2048 "unpacking the kernel source"
		mkdir -p "$src"
		log "unpacking into $src"
		with_heartbeat 15 "tar -xJf" tar -xJf "$tarball" -C "$src"
		printf '%s\n' "$sha" >"$src/.unpacked"
	else
		log "unpacked source cached: $src"
	fi
	if [ "$repin" = 1 ]; then
		local up
		up=$(upstream_version "$src/linux-source-6.12")
		sed -i -e "s/^UPSTREAM_VERSION=.*/UPSTREAM_VERSION=$up/" \
			-e "s/^DEBIAN_VERSION=.*/DEBIAN_VERSION=$ver/" \
			-e "s/^TARBALL_SHA256=.*/TARBALL_SHA256=$sha/" "$PIN"
		log "re-pinned configs/base.pin to $PKG=$ver (Linux $up, sha256 $sha)"
	elif [ -z "$want" ]; then
		log "BASE=newest: running on $PKG=$ver, sha256 $sha (not pinned)"
	fi
	id="debian:$ver:$sha"
	if tree_is "$id"; then
		step_done "reusing $TREE, base $ver"
		return
	fi
	make_tree "$src/linux-source-6.12" "debian:$ver" "$id"
	step_done
}
main
