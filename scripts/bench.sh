#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh - "make bench": size and speed of safe against the hand-written
# alternative, measured in the same run.
#
#   guards     .text bytes of each lock class's pair (tests/bench/guards):
#              lock/unlock with goto unwinding vs guard(), per Debian kernel.
#   edu        .text bytes per function of examples/edu (safe) and
#              examples/edu-legacy (traditional), per Debian kernel.
#   speed      tests/bench in a UML kernel natively on the host CPU
#              (scripts/bench-uml.sh) and in Debian's 6.12 kernel under QEMU
#              TCG (scripts/bench-tcg.sh), RUNS boots of ROUNDS rounds each:
#              lock-bound data vs the bare lock, revocable access vs SRCU,
#              Rust-style RCU, drm_dev_enter() and percpu_ref, revocation of
#              1..10000 resources vs the grace period, owned DMA buffers vs
#              the raw DMA API; scripts/bench-report.py prints the ratios
#              and regenerates README.md's performance block.
#   code       the accessors' instructions against the hand-written form
#              (scripts/bench-code.sh).
#
# bench.sh [RUNS [ROUNDS]]  (make bench RUNS=... ROUNDS=...)

set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$SAFE_ROOT/scripts/qemu-lib.sh"

runs=${1:-3} rounds=${2:-11}

bash "$SAFE_ROOT/scripts/deps.sh" bench >&2 || die "dependencies"

bench_guards() {	# bench_guards SERIES
	local series=$1 kdir work
	kdir=$(headers_dir "$series") || die "no headers for $series"
	work=$SAFE_CACHE/bench/guards-$series
	mkdir -p "$work"
	rsync -a "$SAFE_ROOT/tests/bench/guards/" "$work/"
	kernel_make "$series" -s -C "$kdir" M="$work" SAFE_DIR="$SAFE_ROOT" bench_guards.o \
		> "$work/build.log" 2>&1 || { cat "$work/build.log" >&2; die "build"; }
	echo
	echo "Guards vs lock/unlock with goto unwinding: .text bytes per function"
	echo "Debian $(basename "$kdir"), gcc -O2 with the kernel's own flags"
	nm -S "$work/bench_guards.o" |
	awk '$4 ~ /^bench_(raw|guard)_/ { print $4, $2 }' |
	python3 "$SAFE_ROOT/scripts/size-table.py" "$work/.safe/features.h"
}

bench_edu() {	# bench_edu SERIES
	local series=$1 kdir work
	kdir=$(headers_dir "$series") || die "no headers for $series"
	work=$SAFE_CACHE/bench/edu-$series
	mkdir -p "$work"
	rsync -a --delete --exclude .git --exclude .safe --exclude '*.o' \
		--exclude '*.ko' "$SAFE_ROOT/" "$work/src/"
	{ kernel_make "$series" -C "$kdir" M="$work/src" modules &&
	  kernel_make "$series" -C "$kdir" M="$work/src/examples/edu" \
		KBUILD_EXTRA_SYMBOLS="$work/src/Module.symvers" modules &&
	  kernel_make "$series" -C "$kdir" M="$work/src/examples/edu-legacy" modules; } \
		> "$work/build.log" 2>&1 || { tail -n 30 "$work/build.log" >&2; die "build"; }
	echo
	echo "edu driver, safe vs legacy: .text bytes per function"
	echo "Debian $(basename "$kdir"), gcc -O2 with the kernel's own flags"
	python3 "$SAFE_ROOT/scripts/edu-size.py" "$work/src/examples/edu/edu.ko" \
		"$work/src/examples/edu-legacy/edu_legacy.ko"
}

for k in $SAFE_KERNELS; do
	bench_guards "$k"
	bench_edu "$k"
done

# Speed: the same benchmarks natively (UML) and emulated (TCG), every
# figure a ratio against the alternative timed in the same round.
raw=$SAFE_CACHE/bench/raw.txt
: > "$raw"
start=$(date +%s)
bash "$SAFE_ROOT/scripts/bench-uml.sh" 6.12 "$runs" "$rounds" "$raw" ||
	die "UML benchmark"
bash "$SAFE_ROOT/scripts/bench-tcg.sh" 6.12 "$runs" "$rounds" "$raw" ||
	die "TCG benchmark"
code=ok
bash "$SAFE_ROOT/scripts/bench-code.sh" "$SAFE_CACHE/bench/tcg-6.12/mod" ||
	code=MISSED
python3 "$SAFE_ROOT/scripts/bench-report.py" "$raw" || die "report"
python3 "$SAFE_ROOT/scripts/bench-report.py" "$raw" \
	--readme "$SAFE_ROOT/README.md" || die "README"
echo
echo "code pairs that must be identical: $code"
echo "speed benchmarks: $(( $(date +%s) - start )) s; raw lines in $raw;"
echo "README.md's performance block regenerated from them"
