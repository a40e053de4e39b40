#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-cocci.sh [RULE...] - the semantic patch tests in tests/coccinelle/.
#
# tests/coccinelle/RULE/CASE.c is an input for coccinelle/RULE.cocci and
# CASE.res what the rule must make of it; a case without .res (the neg_*
# ones) must be left exactly as it is.  Each case passes when
#
#   - spatch's output has the tokens of CASE.res (as spatch --test);
#   - after coccinelle/fixup.py, which make migrate runs too, it has the
#     spacing of CASE.res byte for byte (as spatch --test-spacing);
#   - the rule run again on CASE.res changes nothing (idempotence).
#
# One result line per case, "cocci/RULE/CASE"; the exit status is non-zero
# when any failed.  Finally examples/edu-migrated must be exactly what
# "make migrate" makes of examples/edu-legacy (cocci/edu-migrated-regenerates).
#
# Outputs go to $SAFE_CACHE/cocci/check; spatch runs once per rule and
# pass, over all cases.

set -uo pipefail
. "$(dirname "$0")/lib.sh"

tests=$SAFE_ROOT/tests/coccinelle
cocci=$SAFE_ROOT/coccinelle
work=$SAFE_CACHE/cocci/check
rules=("$@")
if [ ${#rules[@]} -eq 0 ]; then
	for d in "$tests"/*/; do
		[ -f "$cocci/$(basename "$d").cocci" ] && rules+=("$(basename "$d")")
	done
fi

if ! command -v spatch > /dev/null; then
	result FAIL cocci/spatch-installed
	exit 1
fi

failed=0
fail() {	# fail NAME WHY [DIFF-FILE]
	say "    $1: $2"
	[ -n "${3:-}" ] && head -n 40 "$3" | sed 's/^/      /' >&2
	result FAIL "$1"
	failed=1
}

# run_rule RULE DIR: the rule in place on every .c in DIR, one file a group
run_rule() {
	local rule=$1 dir=$2
	find "$dir" -name '*.c' | sort | sed '$!G' > "$dir.files"
	# no --jobs: spatch 1.1.1 then starts Python again for every file,
	# which costs more than the cases themselves
	SAFE_COCCI_DIR=$cocci SAFE_COCCI_REPORT=$dir.report \
		spatch --macro-file-builtins "$cocci/safe_macros.h" \
		--sp-file "$cocci/$rule.cocci" -D patch --in-place \
		--no-includes --include-headers --timeout 60 --very-quiet \
		--file-groups "$dir.files" > "$dir.log" 2>&1
}

for rule in "${rules[@]}"; do
	src=$tests/$rule
	out=$work/$rule/out
	again=$work/$rule/again
	rm -rf "$work/$rule"
	mkdir -p "$out" "$again"
	cases=()
	for c in "$src"/*.c; do
		n=$(basename "$c" .c)
		cases+=("$n")
		cp "$c" "$out/$n.c"
		if [ -f "$src/$n.res" ]; then
			cp "$src/$n.res" "$again/$n.c"
		else
			cp "$c" "$again/$n.c"
		fi
	done
	[ ${#cases[@]} -gt 0 ] || { fail "cocci/$rule" "no cases"; continue; }
	run_rule "$rule" "$out"
	run_rule "$rule" "$again"
	for n in "${cases[@]}"; do
		if grep -q "EXN.*/$n\.c" "$out.log" "$again.log"; then
			grep "EXN.*/$n\.c" "$out.log" "$again.log" > "$out/$n.exn"
		fi
	done
	python3 "$SAFE_ROOT/scripts/cocci-compare.py" cases "$src" "$out" "$again" > "$out.verdicts" ||
		fail "cocci/$rule" "cocci-compare.py failed"
	while read -r verdict n why; do
		name=cocci/$rule/$n
		if [ -f "$out/$n.exn" ]; then
			fail "$name" "spatch failed" "$out/$n.exn"
		elif [ "$verdict" = PASS ]; then
			result PASS "$name"
		else
			fail "$name" "$why" "$out/$n.diff"
		fi
	done < "$out.verdicts"
done

# examples/edu-migrated is make migrate's output for examples/edu-legacy
if [ $# -eq 0 ] && [ -d "$SAFE_ROOT/examples/edu-migrated" ]; then
	regen=$work/edu-migrated
	rm -rf "$regen"
	if "$SAFE_ROOT/scripts/gen-edu-migrated.sh" "$regen" > "$work/edu-migrated.log" 2>&1 &&
	   diff -r -x '*.o' -x '*.ko' -x '.*.cmd' -x '*.mod*' -x 'modules.order' \
		-x 'Module.symvers' -x '.tmp_versions' \
		"$SAFE_ROOT/examples/edu-migrated" "$regen" > "$work/edu-migrated.diff" 2>&1; then
		result PASS cocci/edu-migrated-regenerates
	else
		fail cocci/edu-migrated-regenerates "differs (or make migrate failed, see $work/edu-migrated.log)" \
			"$work/edu-migrated.diff"
	fi
fi

exit $failed
