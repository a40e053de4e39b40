#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh - "make bench": size and speed of safe against the hand-written
# alternative, measured in the same run.
#
#   guards  .text bytes of each lock class's pair (tests/bench/guards):
#           lock/unlock with goto unwinding vs guard(), per Debian kernel.

set -uo pipefail
. "$(dirname "$0")/lib.sh"

bash "$SAFE_ROOT/scripts/deps.sh" bench >&2 || die "dependencies"

bench_guards() {	# bench_guards SERIES
	local series=$1 kdir work
	kdir=$(headers_dir "$series") || die "no headers for $series"
	work=$SAFE_CACHE/bench/guards-$series
	mkdir -p "$work"
	rsync -a "$SAFE_ROOT/tests/bench/guards/" "$work/"
	make -s -C "$kdir" M="$work" SAFE_DIR="$SAFE_ROOT" bench_guards.o \
		> "$work/build.log" 2>&1 || { cat "$work/build.log" >&2; die "build"; }
	echo
	echo "Guards vs lock/unlock with goto unwinding: .text bytes per function"
	echo "Debian $(basename "$kdir"), gcc -O2 with the kernel's own flags"
	nm -S "$work/bench_guards.o" |
	awk '$4 ~ /^bench_(raw|guard)_/ { print $4, $2 }' |
	python3 "$SAFE_ROOT/scripts/size-table.py" "$work/.safe/features.h"
}

for k in $SAFE_KERNELS; do
	bench_guards "$k"
done
