#!/usr/bin/env bash
# test.sh - the gate: everything `make test` (and so CI) checks.
#
# Usage: scripts/test.sh [--list] [--only STAGES] [--skip STAGES] [--help]
#
# Runs the stages listed in scripts/stages, in order: Debian packages; a
# lint of every script; series/patches consistency; host-side tests of our
# tooling; fetch; git am apply; quilt apply; the KERNEL_SRC path; the per-patch
# upstream checks (make check); the mbox and its checks (make mbox);
# build; the converted driver files (make drivers); initramfs and the
# guest run of the HMM selftests, on the debug kernel (configs/debug.config:
# KASAN, lockdep, kmemleak, ...) with the stress and churn tests, then on
# the minimal one; the reliability report of those runs; the mm selftests
# on stock and patched (no new failure); and make bench --quick, --paired
# and --icount as smoke tests of the benchmark harness (that it runs and
# parses, not how fast).
#
# A stage runs only when every stage it needs (the NEEDS column of
# scripts/stages) has passed in this run (or, for ~STAGE, has run); the
# others still run.
#
#   --list          print the stages, what each needs and runs, and exit
#   --only STAGES   run these stages (names separated by commas or blanks)
#                   and the stages they need
#   --skip STAGES   run every stage but these; a stage that needs a skipped
#                   one is skipped too
#
# Each stage's output goes to the terminal and to build/test/STAGE.log. At
# the end: a table (stage, result, seconds), then for each stage that did
# not pass its log, its first error line and its last 25 lines; the same
# in build/test/results.json; last, one line per such stage with its first
# error line, and the counts. A stage's result: pass (exit 0), FAIL (1 or
# any other status: a test found a problem), ERROR (2: a setup error such
# as a missing package or a bad argument), skipped, or "not run" (a stage
# it needs did not pass). Exit status: 0 when every stage that ran passed,
# 1 when one failed, 2 when none failed but one had a setup error (or the
# arguments were wrong).
#
# Environment: HMM_TEST_STAGES, a stage table to use in place of
# scripts/stages (the host tests' fixtures).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

table=${HMM_TEST_STAGES:-$TOP/scripts/stages}
list=0 only="" skip=""
while [ $# -gt 0 ]; do
	case $1 in
	-h|--help) usage "$0" ;;
	--list) list=1 ;;
	--only|--skip)
		[ $# -ge 2 ] || die "$1 wants a list of stages (see --list)"
		if [ "$1" = --only ]; then only="$only $2"; else skip="$skip $2"; fi
		shift ;;
	*) die "unknown argument: $1 (see --help)" ;;
	esac
	shift
done

# The table: names[i], needs[i] (blank-separated) and cmds[i].
[ -f "$table" ] || die "no stage table at $table"
names=() needs=() cmds=()
declare -A index=()
while read -r name need cmd; do
	case $name in ''|'#'*) continue ;; esac
	[ -n "$cmd" ] || die "$table: stage $name has no command"
	[ -z "${index[$name]:-}" ] || die "$table: stage $name is listed twice"
	[ "$need" != - ] || need=""
	need=${need//,/ }
	for n in $need; do
		[ -n "${index[${n#\~}]:-}" ] || die "$table: stage $name needs ${n#\~}, which is not listed before it"
	done
	index[$name]=${#names[@]}
	names+=("$name") needs+=("$need") cmds+=("$cmd")
done <"$table"
[ "${#names[@]}" -gt 0 ] || die "$table lists no stage"

if [ "$list" = 1 ]; then
	printf '%-16s %-26s %s\n' STAGE NEEDS COMMAND
	for i in "${!names[@]}"; do
		need=${needs[$i]:-"-"}
		printf '%-16s %-26s %s\n' "${names[$i]}" "${need// /,}" "${cmds[$i]}"
	done
	exit 0
fi

# check_names LIST: every name in LIST is a stage.
check_names() {
	local n
	for n in ${1//,/ }; do
		[ -n "${index[$n]:-}" ] ||
			die "no stage named $n; the stages are: ${names[*]}"
	done
}
check_names "$only"
check_names "$skip"

# want[i]: run (1), skipped by --skip or --only (0).
want=()
declare -A asked=()
if [ -n "${only// /}" ]; then
	for n in ${only//,/ }; do asked[$n]=1; done
	# Walk the table backwards: a wanted stage wants what it needs.
	for i in "${!names[@]}"; do want[i]=0; done
	for ((i = ${#names[@]} - 1; i >= 0; i--)); do
		[ -n "${asked[${names[$i]}]:-}" ] || continue
		want[i]=1
		for n in ${needs[$i]}; do asked[${n#\~}]=1; done
	done
	pulled=()
	for i in "${!names[@]}"; do
		[ "${want[$i]}" = 1 ] || continue
		case " ${only//,/ } " in *" ${names[$i]} "*) ;; *) pulled+=("${names[$i]}") ;; esac
	done
	[ "${#pulled[@]}" = 0 ] || log "needed by the stages asked for, and run too: ${pulled[*]}"
else
	for i in "${!names[@]}"; do want[i]=1; done
fi
for n in ${skip//,/ }; do want[${index[$n]}]=0; done
# What needs a skipped stage is skipped too.
for i in "${!names[@]}"; do
	for n in ${needs[$i]}; do
		[ "${want[${index[${n#\~}]}]}" = 1 ] || want[i]=0
	done
done
# A stage asked for by name that --skip took away is an error, not a
# silent pass.
for n in ${only//,/ }; do
	[ "${want[${index[$n]}]}" = 1 ] ||
		die "--only $n: it needs a stage that --skip leaves out (make stages shows what it needs)"
done

T0=$(now)
logs=$BUILD/test
rm -rf "$logs" "$BUILD/test-logs"
mkdir -p "$logs"
cd "$TOP"

# guest ARGS...: run guest-test.sh and keep its result directory for the
# report. This and reliability() are called from scripts/stages, out of
# sight of the linter.
runs=()
# shellcheck disable=SC2317
guest() {
	local rc=0
	"$TOP/scripts/guest-test.sh" "$@" || rc=$?
	runs+=(--run "$BUILD/results/$(readlink "$BUILD/results/latest")")
	return "$rc"
}
# The reliability report: both kernels' figures added up, into the last
# run's summary.json. The debug run must have run the stress test, injected
# faults and checked for leaks.
# shellcheck disable=SC2317
reliability() {
	[ "${#runs[@]}" -gt 0 ] || die "no guest run to report on"
	python3 "$TOP/scripts/reliability.py" "${runs[@]}" --into "$BUILD/results/latest/summary.json" \
		--require-stress --require-faults --require-leak-check
}

# first_error LOG: the line of LOG that best says why the stage failed: the
# last "FAIL:" or "ERROR:" line that our scripts end with (die, fail), or
# else the first line that reads as an error (a failed test in a results
# table, a compiler or make error, a splat, shellcheck, a traceback).
first_error() {
	local hit
	hit=$(grep -a -E '^(FAIL|ERROR): ' "$1" | tail -n 1) || true
	if [ -z "$hit" ]; then
		hit=$(grep -a -m1 -E '^ *(FAIL|not ok) |^FAIL - |[Ee]rror: |^ERROR|BUG: |KASAN: |WARNING: .* at |^make(\[[0-9]+\])?: \*\*\*|^In [^ ]+ line [0-9]+:$|^[^ :]+:[0-9]+:[0-9]+: |^[A-Za-z]*Error: ' "$1") || true
	fi
	printf '%s\n' "$hit"
}

results=() times=() rcs=()
declare -A passed=() ran=()
for i in "${!names[@]}"; do
	name=${names[$i]}
	if [ "${want[$i]}" = 0 ]; then
		results[i]=skipped times[i]=- rcs[i]=-
		continue
	fi
	missing=""
	for n in ${needs[$i]}; do
		case $n in
		\~*) [ -n "${ran[${n#\~}]:-}" ] || missing="$missing ${n#\~} (to have run)" ;;
		*) [ -n "${passed[$n]:-}" ] || missing="$missing $n" ;;
		esac
	done
	if [ -n "$missing" ]; then
		results[i]="not run" times[i]=- rcs[i]=-
		printf '%s: not run, it needs%s\n' "$name" "$missing" >"$logs/$name.log"
		continue
	fi
	read -ra cmd <<<"${cmds[$i]}"
	if [ -f "$TOP/scripts/${cmd[0]}" ]; then
		cmd[0]=$TOP/scripts/${cmd[0]}
	fi
	printf '\n######## stage: %s (%s)\n' "$name" "$(date +%H:%M:%S)" >&2
	t=$(now) rc=0
	# The output goes where it went, and into the stage's log. The two tees
	# are waited for by pid: a bare wait does not wait for a process
	# substitution when the stage is a script, and the log's tail and
	# first error are read right after.
	: >"$logs/$name.log"
	exec 3> >(tee -a "$logs/$name.log")
	tee_out=$!
	exec 4> >(tee -a "$logs/$name.log" >&2)
	tee_err=$!
	"${cmd[@]}" >&3 2>&4 || rc=$?
	exec 3>&- 4>&-
	wait "$tee_out" "$tee_err" || true
	times[i]=$(elapsed "$t") rcs[i]=$rc ran[$name]=1
	case $rc in
	0) results[i]=pass passed[$name]=1 ;;
	2) results[i]=ERROR ;;
	*) results[i]=FAIL ;;
	esac
done

printf '\n%-16s %-8s %8s  %s\n' stage result seconds log
npass=0 nfail=0 nerr=0 nnot=0
for i in "${!names[@]}"; do
	case ${results[$i]} in
	pass) npass=$((npass + 1)) ;;
	FAIL) nfail=$((nfail + 1)) ;;
	ERROR) nerr=$((nerr + 1)) ;;
	"not run") nnot=$((nnot + 1)) ;;
	esac
	lg=""
	case ${results[$i]} in FAIL|ERROR) lg=${logs#"$TOP"/}/${names[$i]}.log ;; esac
	printf '%-16s %-8s %8s  %s\n' "${names[$i]}" "${results[$i]}" "${times[$i]}" "$lg"
done
total=$(elapsed "$T0")
ec=0
if [ "$nfail" -gt 0 ]; then ec=1; elif [ "$nerr" -gt 0 ]; then ec=2; fi
printf 'total time: %ss\n' "$total"
# The stages that did not pass, and the first error line of each, read
# once for the excerpt, results.json and the last lines.
firsts=() bad=()
for i in "${!names[@]}"; do
	firsts[i]=""
	case ${results[$i]} in FAIL|ERROR) bad+=("$i") ;; esac
done
for i in "${bad[@]}"; do
	lg=$logs/${names[$i]}.log
	firsts[i]=$(first_error "$lg")
	printf '\n---- %s: %s (exit %s), log %s\n' "${names[$i]}" "${results[$i]}" "${rcs[$i]}" "${lg#"$TOP"/}"
	printf 'first error line: %s\n' "$(cut -c1-200 <<<"${firsts[$i]}")"
	printf -- '---- its last 25 lines:\n'
	tail -n 25 "$lg"
done

# results.json: the same, for programs.
for i in "${!names[@]}"; do
	fe=${firsts[$i]}
	printf '%s\t%s\t%s\t%s\t%s\n' "${names[$i]}" "${results[$i]}" "${times[$i]}" "${rcs[$i]}" "${fe//$'\t'/ }"
done | python3 "$TOP/scripts/stageresults.py" --out "$logs/results.json" --seconds "$total" \
	--exit "$ec" --logs "$logs"

# The last lines, which a CI excerpt shows first: each stage that did not
# pass, with its first error line, then the counts.
for i in "${bad[@]}"; do
	printf '%s %s: %s\n' "${results[$i]}" "${names[$i]}" "$(cut -c1-160 <<<"${firsts[$i]:-(no error line; see its log)}")"
done
echo "stages: $npass passed, $nfail failed, $nerr setup errors, $nnot not run"
exit "$ec"
