#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kunit-result.sh SERIES CC - run scripts/kunit.sh and turn its outcome into
# result lines: one per KUnit case, plus one for the kernel log, which must
# hold no KASAN, lockdep, kmemleak, WARN or BUG report from the test run.
#
# A test that provokes a report on purpose brackets it with the lines
# "safe-test: expect report begin" / "... end"; reports between them
# are not counted.

set -uo pipefail
. "$(dirname "$0")/lib.sh"

series=$1 cc=$2
out=$SAFE_CACHE/kunit/$series-$cc
label=kunit/$series-$cc

mkdir -p "$out"
rm -f "$out/results.json" "$out/test.log"
bash "$SAFE_ROOT/scripts/kunit.sh" "$series" "$cc" > "$out.run.log" 2>&1
rc=$?

if [ ! -s "$out/results.json" ]; then
	say "kunit.py produced no results (exit $rc); last lines of its output:"
	tail -n 40 "$out.run.log" >&2
	result FAIL "$label/build-or-boot"
	exit 1
fi

python3 - "$out/results.json" "$label" <<'PY' >> "$SAFE_RESULTS"
import json
import sys

data = json.load(open(sys.argv[1]))
label = sys.argv[2]

def walk(group, prefix):
    for case in group.get("test_cases", []):
        status = {"PASS": "PASS", "SKIP": "SKIP"}.get(case["status"], "FAIL")
        print(f"{status} {label}/{prefix}{case['name']} 1")
    for sub in group.get("sub_groups", []):
        walk(sub, prefix + sub["name"] + ".")

walk(data, "")
PY
grep -E '^(FAIL|SKIP) '"$label"'/' "$SAFE_RESULTS" | sed 's/^/  /' >&2
awk -v l="$label/" '$1 == "PASS" && index($2, l) == 1 { n++ } END { print "  " n + 0 " KUnit cases passed" }' "$SAFE_RESULTS" >&2

# The kernel log from the first KUnit line on, minus deliberate reports.
reports=$(awk '
	/KTAP version|TAP version/ { on = 1 }
	/safe-test: expect report begin/ { skip = 1 }
	/safe-test: expect report end/ { skip = 0; next }
	on && !skip' "$out/test.log" |
	kernel_reports)
if [ -z "$reports" ]; then
	result PASS "$label/kernel-log-clean"
else
	say "kernel log reports during the KUnit run ($out/test.log):"
	printf '%s\n' "$reports" | head -n 20 >&2
	result FAIL "$label/kernel-log-clean"
fi
