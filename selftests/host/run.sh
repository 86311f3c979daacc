#!/usr/bin/env bash
# selftests/host/run.sh - host-side tests of our own tooling.
#
# Usage: selftests/host/run.sh [--help]
#
# Checks every script's --help and need_space on a demand no disk meets,
# then runs the Python unit tests in selftests/host/test_*.py, one result
# per test: results.py on every recorded guest log under cases/ against
# its expect.json and golden files (test_cases.py; UPDATE_GOLDEN=1
# rewrites the golden files), the reliability and bench reports and the
# pairing of bench-pair.py (test_reports.py), test.sh's stages, make
# check's message check, make status, help and docs. Ends with
#   host-tests: N passed, M failed
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
case ${1:-} in -h|--help) . "$top/scripts/lib.sh"; usage "$0" ;; esac

pass=0 fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
not_ok() { echo "FAIL - $1: $2"; fail=$((fail + 1)); }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# --help of every script: exit 0, a Usage: line, and only the comment
# block at the top (not the code after it).
bad=""
for f in "$top"/scripts/*.sh "$0"; do
	[ "$(basename "$f")" != lib.sh ] || continue
	out=$(bash "$f" --help 2>&1) || { bad="$bad $(basename "$f")(exit)"; continue; }
	grep -q "^Usage: " <<<"$out" || bad="$bad $(basename "$f")(no Usage:)"
	! grep -qE "^(set -euo|\. )" <<<"$out" || bad="$bad $(basename "$f")(code in help)"
done
if [ -z "$bad" ]; then
	ok script-help
else
	not_ok script-help "$bad"
fi
# need_space (scripts/lib.sh): a disk too full for a step stops it by name.
rc=0
out=$(bash -c '. "$1/scripts/lib.sh"; need_space "$2/not/yet" 1; need_space "$2/not/yet" 999999999 "a test step"' _ "$top" "$tmp" 2>&1) || rc=$?
if [ "$rc" = 2 ] && grep -q "^ERROR: a test step needs about 999999999 MiB free on the file system of $tmp; it has [0-9]* MiB" <<<"$out"; then
	ok need-space
else
	not_ok need-space "exit $rc; $out"
fi
# The Python unit tests (selftests/host/test_*.py), one result each
# (selftests/host/unit.py), then the traceback of each failure.
rc=0
python3 -B "$here/unit.py" >"$tmp/unit.out" 2>&1 || rc=$?
while read -r res _ where; do
	case $res in
	ok) ok "$where" ;;
	*) not_ok "${where%%: *}" "$res${where#*:}" ;;
	esac
done < <(grep -E '^(ok|FAIL|SKIP) - ' "$tmp/unit.out")
if [ "$rc" != 0 ]; then
	sed -n '/^==== /,$p' "$tmp/unit.out" | head -n 100
	grep -qE '^(FAIL|SKIP) - ' "$tmp/unit.out" || not_ok unit-tests "unit.py exited $rc: $(tail -3 "$tmp/unit.out" | tr '\n' ' ')"
fi
echo "host-tests: $pass passed, $fail failed"
[ "$fail" = 0 ]
