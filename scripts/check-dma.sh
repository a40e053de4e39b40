#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-dma.sh [SERIES...] - run the owned-DMA-buffer KUnit suites on x86_64
# under QEMU (scripts/kunit-qemu.sh) for each kernel series ($SAFE_KERNELS
# by default) and turn the outcome into result lines: one per KUnit case,
# plus one for the kernel log, which must hold no DMA-API debug, KASAN,
# lockdep, kmemleak, WARN or BUG report from the test run.
#
# A test that provokes a report on purpose brackets it with the lines
# "safe-test: expect report begin" / "... end"; reports between them are
# not counted.  Prints the time the kernel build took.

set -uo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -gt 0 ] || set -- $SAFE_KERNELS

status=0
for series in "$@"; do
	out=$SAFE_CACHE/kunit/$series-x86_64
	label=kunit/$series-x86_64
	mkdir -p "$out"
	rm -f "$out/results.json" "$out/test.log" "$out/build-seconds"
	t0=$(date +%s)
	bash "$SAFE_ROOT/scripts/kunit-qemu.sh" "$series" > "$out.run.log" 2>&1
	rc=$?
	if [ -s "$out/build-seconds" ]; then
		say "  x86_64 kernel build: $(cat "$out/build-seconds")s, whole run: $(( $(date +%s) - t0 ))s"
	fi

	if [ ! -s "$out/results.json" ]; then
		say "kunit.py produced no results (exit $rc); last lines of its output:"
		tail -n 40 "$out.run.log" >&2
		result FAIL "$label/build-or-boot"
		status=1
		continue
	fi

	python3 - "$out/results.json" "$label" <<'PY' >> "${SAFE_RESULTS:-/dev/null}"
import json
import sys

data = json.load(open(sys.argv[1]))
label = sys.argv[2]
seen = 0

def walk(group, prefix):
    global seen
    for case in group.get("test_cases", []):
        status = {"PASS": "PASS", "SKIP": "SKIP"}.get(case["status"], "FAIL")
        print(f"{status} {label}/{prefix}{case['name']} 1")
        seen += 1
    for sub in group.get("sub_groups", []):
        walk(sub, prefix + sub["name"] + ".")

walk(data, "")
if not seen:
    print(f"FAIL {label}/no-test-cases 1")
PY
	if [ -n "${SAFE_RESULTS:-}" ]; then
		grep -E '^(FAIL|SKIP) '"$label"'/' "$SAFE_RESULTS" | sed 's/^/  /' >&2
		awk -v l="$label/" '$1 == "PASS" && index($2, l) == 1 { n++ }
			END { print "  " n + 0 " KUnit cases passed" }' "$SAFE_RESULTS" >&2
		grep -qE '^FAIL '"$label"'/' "$SAFE_RESULTS" && status=1
	fi

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
		status=1
	fi
done
exit $status
