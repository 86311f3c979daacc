#!/usr/bin/env bash
# Shared helpers for the step scripts. Sourced, never run.
# shellcheck shell=bash
# shellcheck disable=SC2034 # variables here are used by the scripts that source this

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
TREE=${TREE:-$BUILD/linux}
# The pristine base's worktree (stock_tree), for the kernel make bench and
# make mm-selftests compare with.
STOCK=$BUILD/stock/linux
CACHE=${HMM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hmm-series}
PIN=$TOP/configs/base.pin
# The identity that commits in build/linux are made with.
GIT_IDENT_NAME=${GIT_IDENT_NAME:-HMM Series Developers}
GIT_IDENT_EMAIL=${GIT_IDENT_EMAIL:-hmm-series@example.org}

# shellcheck source=../configs/base.pin
. "$PIN"

_step_name=""
_step_t0=0

# A command whose failure nothing handles ends a script through set -e
# without a word: say which one, where, so that the log shows why.
_unexpected() {
	printf 'ERROR: %s line %s: "%s" failed with status %s, which the script does not handle\n' \
		"${0##*/}" "$2" "$3" "$1" >&2
}
trap '_unexpected "$?" "$LINENO" "$BASH_COMMAND"' ERR

now() { date +%s.%N; }

# elapsed T0: seconds since T0, one decimal.
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
# die MSG: a setup error (a missing package or file, a bad argument): exit 2.
# fail MSG: a check found a problem in the series or the kernel: exit 1.
# make test tells the two apart by the exit status (scripts/test.sh).
die() { printf 'ERROR: %s\n' "$*" >&2; exit 2; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

# step NAME: announce a step; step_done [NOTE] prints its elapsed time.
step() {
	_step_name=$1
	_step_t0=$(now)
	printf '==> %s\n' "$_step_name" >&2
}
step_done() {
	printf '<== %s: done in %ss%s\n' "$_step_name" "$(elapsed "$_step_t0")" \
		"${1:+ ($1)}" >&2
}

# git in the kernel work tree, with a fixed identity.
tgit() {
	git -C "$TREE" -c user.name="$GIT_IDENT_NAME" \
		-c user.email="$GIT_IDENT_EMAIL" "$@"
}

# need_space DIR MIB WHAT: stop with a clear error unless the file system
# that DIR (or its nearest existing parent) is on has MIB MiB free: a full
# disk otherwise shows up later as a half-written tree or a cryptic error.
need_space() {
	local d=$1 free
	while [ ! -d "$d" ]; do d=$(dirname "$d"); done
	free=$(df -Pm "$d" | awk 'NR == 2 { print $4 }')
	[ "$free" -ge "$2" ] ||
		die "$3 needs about $2 MiB free on the file system of $d; it has $free MiB (df -h $d)"
}

# worktree_add DIR REV: a detached worktree of build/linux at REV in DIR,
# unless DIR already is one (stale registrations are pruned first).
worktree_add() {
	[ -e "$1/.git" ] && return 0
	need_space "$1" 2048 "a checkout of the kernel in $1"
	tgit worktree prune
	tgit worktree add -q --detach "$1" "$2"
}

# stock_tree: make build/stock/linux a worktree of the pristine base, again
# if it stands at anything else (a base that was re-pinned). Call it as a
# command, not in $(...), so that set -e stops the caller on a failure.
stock_tree() {
	if [ -e "$STOCK/.git" ] &&
		[ "$(git -C "$STOCK" rev-parse HEAD 2>/dev/null)" != "$(tgit rev-parse base)" ]; then
		rm -rf "$STOCK"
	fi
	worktree_add "$STOCK" base
}

# series_patches: names of the patches listed in `series`, in order
# (comments dropped); series_patches_of FILE: the same of another series
# file (a previous version's).
series_patches() { series_patches_of "$TOP/series"; }
series_patches_of() {
	sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$1" | awk 'NF { print $1 }'
}

# Run a command with a heartbeat, so that a long quiet step does not look
# hung: every INTERVAL seconds print the step and its elapsed time.
with_heartbeat() {
	local interval=$1 label=$2 t0 hb rc
	shift 2
	t0=$(now)
	( while sleep "$interval"; do
		printf '    ... %s still running (%ss)\n' "$label" "$(elapsed "$t0")" >&2
	  done ) &
	hb=$!
	rc=0
	"$@" || rc=$?
	kill "$hb" 2>/dev/null || true
	wait "$hb" 2>/dev/null || true
	return "$rc"
}

# Print the usage block at the top of a script (the comment lines after the
# shebang) and exit.
usage() {
	awk 'NR == 1 { next } !/^#/ { exit } { sub(/^# ?/, ""); print }' "$1"
	exit "${2:-0}"
}

# need_arg "$@": in an argument loop, stop with a setup error when the
# option in $1 has no value after it (set -u would exit 1 on $2).
need_arg() {
	[ $# -ge 2 ] || die "$1 wants a value (see --help)"
}

# no_args "$@": argument handling of a script that takes none but --help.
no_args() {
	local a
	for a in "$@"; do
		case $a in
		-h|--help) usage "$0" ;;
		*) die "unknown argument: $a (see --help)" ;;
		esac
	done
}
