#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# doc-examples.sh [SERIES] - compile every C example in Documentation/*.rst
# and README.md against Debian's linux-headers for SERIES (default 6.12),
# with safe.kbuild's flags and W=1.  scripts/doc-examples.py extracts the
# blocks and says how each is compiled (a ".. safe-example:" comment before
# a block gives its mode and the declarations it relies on).  One result
# per block, named after its file and line; a block that does not build
# without warnings fails, and its first diagnostics are printed.

set -uo pipefail
. "$(dirname "$0")/lib.sh"

series=${1:-6.12}
kdir=$(headers_dir "$series") || { result FAIL "doc/$series/headers"; exit 1; }
work=$SAFE_CACHE/doc-examples/$series
rm -rf "$work"
mkdir -p "$work"

cd "$SAFE_ROOT"
python3 scripts/doc-examples.py "$work" Documentation/*.rst README.md ||
	{ result FAIL "doc/extract"; exit 1; }
# An example may define functions nothing calls or that have no prototype.
cat > "$work/Kbuild" <<KB
include $SAFE_ROOT/safe.kbuild
ccflags-y += -Wno-unused-function -Wno-missing-prototypes -Wno-missing-declarations
KB

objs=()
while read -r name file line mode why; do
	case $mode in
	file | body) objs+=("$name.o") ;;
	esac
done < "$work/index"

log=$work/build.log
kernel_make "$series" -k -j"$SAFE_JOBS" -C "$kdir" M="$work" W=1 \
	"${objs[@]}" > "$log" 2>&1

while read -r name file line mode why; do
	case $mode in
	skip)
		result SKIP "doc/$file:$line ($why)"
		continue
		;;
	file | body) ;;
	*)
		say "$file:$line: unknown safe-example mode '$mode'"
		result FAIL "doc/$file:$line"
		continue
		;;
	esac
	if [ -f "$work/$name.o" ] &&
	   ! grep -q "$name\.c:[0-9]*:[0-9]*: \(warning\|error\)" "$log"; then
		result PASS "doc/$file:$line"
	else
		say "$file:$line: the example does not build ($mode; $work/$name.c):"
		grep -A2 "$name\.c:[0-9]*:[0-9]*: \(warning\|error\)" "$log" |
			head -n 8 | sed 's/^/    /' >&2
		result FAIL "doc/$file:$line"
	fi
done < "$work/index"
