#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# static.sh - style and documentation checks, one result per file:
#   checkpatch.pl --strict on lib/, include/ and examples/;
#   kernel-doc -none -Wall on every file with kernel-doc;
#   doc-sections.py: every public symbol documented with Context: and Return:.
# The tools come from the cached Debian linux-source-6.12 tree.

set -uo pipefail
. "$(dirname "$0")/lib.sh"

src=$("$SAFE_ROOT/scripts/kernel-src.sh" 6.12)
cd "$SAFE_ROOT"

mapfile -t files < <(find lib include examples -type f \( -name '*.c' -o -name '*.h' \) | sort)

for f in "${files[@]}"; do
	out=$(perl "$src/scripts/checkpatch.pl" --strict --no-tree --terse \
		--show-types -f "$f" 2>&1 | grep -v '^total:')
	if [ -z "$out" ]; then
		result PASS "checkpatch/$f"
	else
		printf '%s\n' "$out" >&2
		result FAIL "checkpatch/$f"
	fi
done

mapfile -t docfiles < <(grep -l '^/\*\*' lib/*.c include/linux/safe/*.h \
	include/linux/safe/compat/*.h 2>/dev/null | sort)
for f in "${docfiles[@]}"; do
	out=$(perl "$src/scripts/kernel-doc" -none -Wall "$f" 2>&1)
	if [ -z "$out" ]; then
		result PASS "kernel-doc/$f"
	else
		printf '%s\n' "$out" >&2
		result FAIL "kernel-doc/$f"
	fi
done

for f in lib/*.c include/linux/safe/*.h include/linux/safe/compat/*.h; do
	[ -f "$f" ] || continue
	if out=$(python3 scripts/doc-sections.py "$f"); then
		result PASS "doc-sections/$f"
	else
		printf '%s\n' "$out" >&2
		result FAIL "doc-sections/$f"
	fi
done
