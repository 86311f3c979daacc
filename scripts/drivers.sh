#!/usr/bin/env bash
# drivers.sh - compile the in-tree HMM users that the series converts.
#
# Usage: scripts/drivers.sh [--help]
#
# Configures build/kbuild/drivers from configs/hmm.config and
# configs/drivers.config (nouveau with SVM, RDMA with on-demand paging,
# amdgpu with userptr and KFD SVM, xe, as modules) and compiles the files the
# series changes in those drivers (configs/drivers.objects). They need
# hardware this machine does not have, so they are built, never run.
# Only these objects are compiled, not the whole modules: nouveau alone is
# several hundred files, too many for make test's time on two cores.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

no_args "$@"
objs=()
while read -r o; do
	case $o in ''|'#'*) continue ;; esac
	objs+=("$o")
done <"$TOP/configs/drivers.objects"
[ ${#objs[@]} -gt 0 ] || die "configs/drivers.objects lists no object"
args=()
for o in "${objs[@]}"; do
	[ -f "$TREE/${o%.o}.c" ] || die "$TREE/${o%.o}.c: no such file (scripts/apply.sh first)"
	args+=(--target "$o")
done
"$TOP/scripts/build.sh" --name drivers --fragment "$TOP/configs/drivers.config" "${args[@]}"
for o in "${objs[@]}"; do
	f=$BUILD/kbuild/drivers/$o
	if [ ! -f "$f" ] || [ "$TREE/${o%.o}.c" -nt "$f" ]; then
		fail "$o was not built from the current source"
	fi
done
log "drivers: ${#objs[@]} converted files compiled as module objects"
