#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-code.sh DIR - the code of safe's accessors against the hand-written
# form, from the objects of the benchmark module built in DIR
# (scripts/bench-tcg.sh builds it against Debian's headers with the
# kernel's own flags): objdump of bench_raw_<x> / bench_safe_<y> pairs.
#
#   same    must compile to the same instructions: a constant index on a
#           SAFE_DMA_ARRAY() (32-bit read and write, 64-bit read), and a
#           lock-bound update under a mutex or a spinlock
#   differ  may differ, by what the guarantee costs: a run-time index (its
#           bounds check)
#
# Prints each pair's instructions and the diff; exit status is non-zero if
# a "same" pair differs.

set -uo pipefail
. "$(dirname "$0")/lib.sh"

dir=$1

# Instructions of one function, with addresses and symbol targets blanked
# and the trailing padding dropped.
disasm() {	# disasm OBJECT FUNC
	objdump -d --no-show-raw-insn "$1" |
	awk -v fn="<$2>:" '$2 == fn { p = 1; next } p && /^$/ { exit } p' |
	sed -e 's/^ *[0-9a-f]*:[[:space:]]*//' \
	    -e 's/[0-9a-f]* <[^>]*>/<target>/' \
	    -e 's/[[:space:]]*$//' |
	awk '{ l[NR] = $0 } END { n = NR; while (n > 0 && l[n] ~ /^(nop|int3|data16|cs nopw|nopw|nopl|xchg %ax,%ax)/) n--; for (i = 1; i <= n; i++) print l[i] }'
}

echo
echo "Code of the accessors vs the hand-written form ($(basename "$(dirname "$dir")"))"
status=0
# object raw safe expectation
while read -r obj raw safe want; do
	disasm "$dir/$obj" "$raw" > "$dir/$raw.s"
	disasm "$dir/$obj" "$safe" > "$dir/$safe.s"
	echo
	echo "--- $raw / $safe"
	if [ ! -s "$dir/$raw.s" ] || [ ! -s "$dir/$safe.s" ]; then
		echo "    (not found in $obj)"
		status=1
		continue
	fi
	sed 's/^/    /' "$dir/$raw.s"
	if diff -u --label "$raw" --label "$safe" "$dir/$raw.s" "$dir/$safe.s" \
		> "$dir/$safe.diff"; then
		echo "    diff: none, the same $(wc -l < "$dir/$raw.s") instructions"
	else
		echo "    diff ($(wc -l < "$dir/$raw.s") vs $(wc -l < "$dir/$safe.s") instructions):"
		sed 's/^/    /' "$dir/$safe.diff"
		[ "$want" = same ] && status=1
	fi
done <<'PAIRS'
bench_dma.o bench_raw_get_const bench_safe_get_const same
bench_dma.o bench_raw_set_const bench_safe_set_const same
bench_dma.o bench_raw_get64_const bench_safe_get64_const same
bench_dma.o bench_raw_get_runtime bench_safe_get_runtime differ
bench_locked.o bench_raw_locked_mutex bench_safe_locked_mutex same
bench_locked.o bench_raw_locked_spinlock bench_safe_locked_spinlock same
bench_locked.o bench_raw_locked_spinlock bench_safe_locked_get same
PAIRS
exit $status
