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
# tests/coccinelle/CHECKER/CASE.c is an input for a checker, a .cocci
# without "virtual patch" (coccinelle/check_*.cocci): each line it must
# report ends in "/* report */", and a case passes when the lines reported
# in report mode are exactly those.  neg_* cases must have none, the others
# at least one.  A file "variants" in the directory lists further runs,
# "NAME SPATCH-ARGS"; "/* report: NAME... */" marks a line reported only
# in the runs named ("default" is the first).  spatch must parse every case
# completely.  The checker also runs in org and context mode, which must
# point at the same lines (cocci/CHECKER/org, cocci/CHECKER/context).
#
# tests/coccinelle/RULE.VARIANT/ holds cases for RULE run with the spatch
# arguments in its file "spatch-args" (a profile setting, say).
#
# One result line per case, "cocci/RULE/CASE"; the exit status is non-zero
# when any failed.  Finally examples/edu-migrated must be exactly what
# "make migrate" makes of examples/edu-legacy (cocci/edu-migrated-regenerates).
#
# Outputs go to $SAFE_CACHE/cocci/check; spatch runs once per rule and
# pass, and once per checker and run or mode, over all cases.

set -uo pipefail
. "$(dirname "$0")/lib.sh"

tests=$SAFE_ROOT/tests/coccinelle
cocci=$SAFE_ROOT/coccinelle
macros=$("$SAFE_ROOT/scripts/cocci-macros.sh") || exit 1
work=$SAFE_CACHE/cocci/check
rules=("$@")
if [ ${#rules[@]} -eq 0 ]; then
	for d in "$tests"/*/; do
		d=$(basename "$d")
		[ -f "$cocci/${d%%.*}.cocci" ] && rules+=("$d")
	done
else
	rules=()
	for d in "$@"; do
		[ "$d" != planner ] && rules+=("$d")
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

# run_rule RULE[.VARIANT] DIR: the rule in place on every .c in DIR, one
# file a group
run_rule() {
	local rule=${1%%.*} dir=$2 args=()
	[ -f "$tests/$1/spatch-args" ] && read -r -a args < "$tests/$1/spatch-args"
	find "$dir" -name '*.c' | sort | sed '$!G' > "$dir.files"
	# no --jobs: spatch 1.1.1 then starts Python again for every file,
	# which costs more than the cases themselves
	spatch --macro-file-builtins "$macros" \
		--sp-file "$cocci/$rule.cocci" -D patch "${args[@]}" --in-place \
		-D safe_dir="$cocci" -D safe_report="$dir.report" \
		--no-includes --include-headers --timeout 60 --very-quiet \
		--file-groups "$dir.files" > "$dir.log" 2>&1
}

# is_checker RULE: a report-only semantic patch
is_checker() {
	! grep -q '^virtual patch' "$cocci/${1%%.*}.cocci"
}

# checker_spatch RULE NAME MODE ARGS...: the checker over its cases as
# "make coccicheck" calls spatch, output in $work/RULE/NAME.{out,err,rc}
checker_spatch() {
	local rule=$1 name=$2 mode=$3 diff=--no-show-diff
	shift 3
	[ "$mode" = context ] && diff=
	spatch -D "$mode" --very-quiet $diff --cocci-file "$cocci/$rule.cocci" \
		--macro-file-builtins "$macros" --no-includes \
		--include-headers --timeout 60 "$@" --dir "$tests/$rule" \
		< /dev/null > "$work/$rule/$name.out" 2> "$work/$rule/$name.err"
	echo $? > "$work/$rule/$name.rc"
}

run_checker() {
	local rule=$1 src=$tests/$1 dir=$work/$1 runs=(default) name args verdict n why
	rm -rf "$dir"
	mkdir -p "$dir"
	if ! ls "$src"/*.c > /dev/null 2>&1; then
		fail "cocci/$rule" "no cases"
		return
	fi
	spatch --macro-file-builtins "$macros" --parse-c "$src" \
		> "$dir/parse.out" 2>&1
	checker_spatch "$rule" default report
	if [ -f "$src/variants" ]; then
		while read -r name args; do
			case $name in ''|'#'*) continue ;; esac
			runs+=("$name")
			# shellcheck disable=SC2086
			checker_spatch "$rule" "$name" report $args
		done < "$src/variants"
	fi
	checker_spatch "$rule" org org
	checker_spatch "$rule" context context
	python3 - "$src" "$dir" "${runs[@]}" > "$dir/verdicts" <<'PY' ||
import os, re, sys

src, work, runs = sys.argv[1], sys.argv[2], sys.argv[3:]
cases = sorted(f[:-2] for f in os.listdir(src) if f.endswith('.c'))
MARK = re.compile(r'/\*\s*report(?::([^*]*))?\s*\*/')

def run_ok(name):
	rc = open(os.path.join(work, name + '.rc')).read().strip()
	err = open(os.path.join(work, name + '.err')).read()
	bad = [l for l in err.splitlines()
	       if re.search(r'error|Error|EXN|Traceback|xception', l)]
	if rc != '0' and not bad:
		bad = err.splitlines()[:3]
	if rc != '0' or bad:
		return 'spatch %s run failed (exit %s): %s' % (name, rc, ' '.join(bad)[:200])
	return None

def lines_of(name, rx):
	got = set()
	for l in open(os.path.join(work, name + '.out')):
		m = rx.match(l)
		if m:
			got.add((os.path.basename(m.group(1))[:-2], int(m.group(2))))
	return got

expect = {r: set() for r in runs}
marked = {c: 0 for c in cases}
bad = {}
for c in cases:
	for i, l in enumerate(open(os.path.join(src, c + '.c')), 1):
		for m in MARK.finditer(l):
			names = m.group(1).split() if m.group(1) else runs
			for r in names:
				if r not in expect:
					bad[c] = 'marker names an unknown run %s' % r
				else:
					expect[r].add((c, i))
			if 'default' in names:
				marked[c] += 1
	if c.startswith('neg_') and any(x[0] == c for r in runs for x in expect[r]):
		bad[c] = 'a neg_ case with a report marker'
	elif not c.startswith('neg_') and not marked[c]:
		bad[c] = 'no "/* report */" marker in the default run'

# spatch --parse-c: "PARSING: file" then "BAD:" lines for what it skipped
cur = None
for l in open(os.path.join(work, 'parse.out')):
	if l.startswith('PARSING: '):
		cur = os.path.basename(l.split(None, 1)[1].strip())[:-2]
	elif l.startswith('BAD:') and cur in marked:
		bad.setdefault(cur, 'spatch cannot parse all of it: ' + l[4:].strip()[:80])

REPORT = re.compile(r'^(\S+\.c):(\d+):\d+-\d+: ')
got = {}
for r in runs:
	why = run_ok(r)
	if why:
		for c in cases:
			bad.setdefault(c, why)
	else:
		got[r] = lines_of(r, REPORT)

for c in cases:
	why = bad.get(c)
	for r in runs:
		if why:
			break
		e = sorted(x[1] for x in expect[r] if x[0] == c)
		g = sorted(x[1] for x in got[r] if x[0] == c)
		if e != g:
			why = '%s run: reported lines %s, marked %s' % (r, g, e)
	print('PASS %s' % c if not why else 'FAIL %s %s' % (c, why))

# org: the same lines as report
why = run_ok('org')
if not why and 'default' in got:
	org = lines_of('org', re.compile(r'^\* TODO \[\[view:(\S+?\.c)::face=[^:]*::linb=(\d+)::'))
	if org != got['default']:
		why = 'org mode lines %s, report mode %s' % (sorted(org), sorted(got['default']))
print('PASS org' if not why else 'FAIL org ' + why)

# context: the starred ("-") lines start at the reported ones
why = run_ok('context')
if not why and 'default' in got:
	star, f, old = set(), None, 0
	for l in open(os.path.join(work, 'context.out')):
		if l.startswith('--- '):
			f = os.path.basename(l[4:].split()[0])[:-2]
		elif l.startswith('+++ '):
			pass
		elif l.startswith('@@ '):
			old = int(re.match(r'@@ -(\d+)', l).group(1))
		elif l.startswith('-'):
			star.add((f, old))
			old += 1
		elif l.startswith(' '):
			old += 1
	rep = got['default']
	extra = [x for x in star if x not in rep and (x[0], x[1] - 1) not in star]
	if not rep <= star or extra:
		why = 'context mode starred %s, report mode %s' % (sorted(star), sorted(rep))
print('PASS context' if not why else 'FAIL context ' + why)
PY
		fail "cocci/$rule" "verdict script failed"
	while read -r verdict n why; do
		if [ "$verdict" = PASS ]; then
			result PASS "cocci/$rule/$n"
		else
			fail "cocci/$rule/$n" "$why"
		fi
	done < "$dir/verdicts"
}

for rule in "${rules[@]}"; do
	if is_checker "$rule"; then
		run_checker "$rule"
		continue
	fi
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

# the planner's own unit tests (tests/coccinelle/planner/test_*.py): one
# result line per test, cocci/planner/CLASS.TEST
if [ $# -eq 0 ] || [[ " $* " == *" planner "* ]]; then
	python3 -m unittest discover -v -s "$tests/planner" > "$work/planner.log" 2>&1
	n=0
	while read -r t verdict; do
		n=$((n + 1))
		if [ "$verdict" = ok ]; then
			result PASS "cocci/planner/$t"
		else
			fail "cocci/planner/$t" "$verdict" "$work/planner.log"
		fi
	done < <(sed -n 's/^test_[a-z0-9_]* (test_[a-z0-9_]*\.\([A-Za-z]*\.test_[a-z0-9_]*\)) \.\.\. \(.*\)$/\1 \2/p' "$work/planner.log")
	if [ "$n" -eq 0 ] || ! tail -n 3 "$work/planner.log" | grep -q '^OK'; then
		fail cocci/planner "unittest did not run or failed" "$work/planner.log"
	fi
fi

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
