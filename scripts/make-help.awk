# make-help.awk - `make help`: the targets of the Makefile, by group.
#
# A line `##@ Group` starts a group; a rule line `target [more]: ... ## text`
# is listed under it with its text. Run as awk -f make-help.awk Makefile.
BEGIN { print "Usage: make [TARGET] [VAR=value ...]" }
/^##@ / { printf "\n%s:\n", substr($0, 5); next }
/^[a-zA-Z][a-zA-Z0-9 _-]*:.*## / {
	split($0, rule, ":")
	text = $0
	sub(/^[^#]*## /, "", text)
	printf "  %-18s %s\n", rule[1], text
}
