#!/usr/bin/env bash
# cover-letter.sh - refresh or check the generated part of the cover letter.
#
# Usage: scripts/cover-letter.sh --update|--check [--cover FILE] [--help]
#
# patches/0000-cover-letter.patch is written by hand except for its subject
# count ([PATCH 0/N]) and its tail: the shortlog and diffstat of base..HEAD
# in build/linux, and the closing base-commit: line naming the upstream tag
# of configs/base.pin. --update rewrites them; --check fails, naming what is
# stale, when they differ. --cover names another copy of the letter.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

mode="" cover=$TOP/patches/0000-cover-letter.patch
while [ $# -gt 0 ]; do
	case $1 in
	-h|--help) usage "$0" ;;
	--update|--check) mode=${1#--} ;;
	--cover) need_arg "$@"; cover=$2; shift ;;
	*) die "unknown argument: $1 (see --help)" ;;
	esac
	shift
done
[ -n "$mode" ] || usage "$0" 1
[ -f "$cover" ] || die "no cover letter at $cover"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tgit shortlog base..HEAD >"$tmp/shortlog"
COLUMNS=80 tgit diff --stat=72 --summary base HEAD >"$tmp/diffstat"
n=$(tgit rev-list --count base..HEAD)
python3 - "$cover" "$tmp/shortlog" "$tmp/diffstat" "$n" "v$UPSTREAM_VERSION" >"$tmp/new" <<'PY'
import re
import sys
cover, shortlog, diffstat, n, tag = sys.argv[1:]
text = open(cover).read()
head, sep, body = text.partition("\n\n")
head = re.sub(r"^Subject: \[PATCH([^\]]*?) 0/\d+\]", lambda m:
              f"Subject: [PATCH{m.group(1)} 0/{n}]", head, flags=re.M)
lines = body.split("\n")
# The generated tail starts at the shortlog's first "Author (N):" line: a
# paragraph's first line, followed by a subject indented by six spaces. A
# line of the body that merely ends in "(N):" is not it.


def shortlog_starts(i):
    return (re.match(r"^\S.* \(\d+\):$", lines[i])
            and (i == 0 or lines[i - 1] == "")
            and i + 1 < len(lines) and lines[i + 1].startswith("      "))


cut = next((i for i in range(len(lines)) if shortlog_starts(i)), len(lines))
human = "\n".join(lines[:cut]).rstrip("\n")
tail = open(shortlog).read().rstrip("\n") + "\n\n" + open(diffstat).read().rstrip("\n")
sys.stdout.write(f"{head}{sep}{human}\n\n{tail}\n\nbase-commit: {tag}\n")
PY
if [ "$mode" = update ]; then
	cmp -s "$tmp/new" "$cover" || { cp "$tmp/new" "$cover"; log "refreshed the cover letter's shortlog and diffstat"; }
	exit 0
fi
if ! cmp -s "$tmp/new" "$cover"; then
	diff -u "$cover" "$tmp/new" | head -n 40 >&2 || true
	fail "the cover letter is out of date (shortlog, diffstat or count); run make export"
fi
