#!/usr/bin/env bash
# kernel-src-test.sh - test the KERNEL_SRC path with a local clone.
#
# Usage: scripts/kernel-src-test.sh [--help]
#
# Clones the base of build/linux into build/ksrc-test/src, as a user's own
# tree at the pinned upstream version, runs fetch.sh with KERNEL_SRC
# pointing at it and apply.sh, each with BUILD=build/ksrc-test, and checks
# that the result is the same tree as the series applied to Debian's base.
# Also checks that a tree at another version is refused by name. The
# trees are removed after a pass (about 4 GiB) and kept after a failure.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

no_args "$@"
want=$(tgit rev-parse -q --verify 'refs/hmm/applied^{tree}') ||
	die "apply the series to $TREE first (scripts/apply.sh)"
step "kernel-src: KERNEL_SRC=<local clone> gives the same tree"
work=$BUILD/ksrc-test
src=$work/src
mkdir -p "$work"
if [ ! -d "$src/.git" ]; then
	need_space "$work" 5120 "the KERNEL_SRC test (a clone and a work tree)"
	log "cloning the base of $TREE into $src"
	git clone -q --no-checkout "$TREE" "$src"
	git -C "$src" checkout -q --detach base
fi
env -u TREE BUILD="$work" KERNEL_SRC="$src" "$TOP/scripts/fetch.sh"
env -u TREE BUILD="$work" "$TOP/scripts/apply.sh"
got=$(git -C "$work/linux" rev-parse 'HEAD^{tree}')
[ "$got" = "$want" ] || fail "KERNEL_SRC tree $got differs from the series on Debian's base $want"

# A tree at another version is refused, with the versions named.
fake=$work/fake
rm -rf "$fake"
mkdir -p "$fake/mm"
sed "s/^SUBLEVEL = .*/SUBLEVEL = 1/" "$src/Makefile" >"$fake/Makefile"
if out=$(env -u TREE BUILD="$work/fake-build" KERNEL_SRC="$fake" "$TOP/scripts/fetch.sh" 2>&1); then
	fail "fetch.sh accepted a Linux 6.12.1 tree as KERNEL_SRC"
fi
grep -q "is Linux 6.12.1; the series is pinned to $UPSTREAM_VERSION" <<<"$out" ||
	fail "fetch.sh refused the 6.12.1 tree without naming the versions: $out"
rm -rf "$fake" "$work/fake-build"
# Passed: give the ~4 GiB of the two trees back (a failure keeps them).
rm -rf "$work"
step_done "tree ${got:0:12} identical; a 6.12.1 tree is refused"
