#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-uml.sh SERIES RUNS ROUNDS OUT - the speed benchmarks (tests/bench)
# natively on the host CPU: a UML kernel of Debian's linux-source-SERIES
# with the library and the benchmarks built in (tests/bench/bench.kunitconfig:
# no sanitizer, no lockdep, no CONFIG_SAFE_DEBUG), booted RUNS times by the
# kernel's own kunit.py, each boot running every benchmark ROUNDS rounds.
#
# UML 6.12 is uniprocessor: its spinlocks only disable preemption
# and its atomics carry no lock prefix, for the raw and the safe side alike.
#
# The kernel builds from a tree of symlinks to the cached source tree with
# this checkout as lib/safe, in $SAFE_CACHE/bench/, so it neither waits for
# nor disturbs the KUnit runs of "make check", which overlay the cached
# tree itself.  Appends "uml-SERIES RUN <line>" to OUT for every
# "safe-bench:" line of each boot, plus "h" lines: the host's CPU and load
# average before and after the boot.

set -euo pipefail
. "$(dirname "$0")/lib.sh"

series=$1 runs=$2 rounds=$3 out=$4
env=uml-$series
src=$("$SAFE_ROOT/scripts/kernel-src.sh" "$series")
tree=$SAFE_CACHE/bench/src-$series
build=$SAFE_CACHE/bench/$env
mkdir -p "$build" "$SAFE_CACHE/locks"

# A tree of symlinks, made once.  Real copies of lib/Kconfig and
# lib/Makefile, which the overlay edits, and of kunit.py, which finds the
# tree it builds from its own real path.
farm() {
	if [ ! -f "$tree/.safe-farm" ]; then
		rm -rf "$tree"
		cp -as "$src" "$tree"
		rm -f "$tree/lib/safe"
		rm -rf "$tree/tools/testing/kunit"
		cp -a "$src/tools/testing/kunit" "$tree/tools/testing/kunit"
		touch "$tree/.safe-farm"
	fi
	for f in lib/Kconfig lib/Makefile; do
		[ -L "$tree/$f" ] && cp --remove-destination "$src/$f" "$tree/$f"
	done
	kunit_overlay "$tree"
}

(
	flock 9
	farm
	cp "$SAFE_ROOT/tests/bench/bench.kunitconfig" "$build/.kunitconfig.new"
	cmp -s "$build/.kunitconfig.new" "$build/.kunitconfig" ||
		mv "$build/.kunitconfig.new" "$build/.kunitconfig"
	rm -f "$build/.kunitconfig.new"
	cd "$tree"
	python3 tools/testing/kunit/kunit.py build --arch=um \
		--build_dir="$build" --kunitconfig="$build/.kunitconfig" \
		--jobs="$SAFE_JOBS" > "$build/build.log" 2>&1 ||
		{ tail -n 40 "$build/build.log" >&2; exit 1; }
	if grep -E '/(lib/safe|tests/bench)/.*(warning|error):' "$build/build.log" >&2; then
		exit 1
	fi
) 9> "$SAFE_CACHE/locks/bench-$series" || die "UML $series build failed"

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
for run in $(seq 1 "$runs"); do
	{
		echo "$env $run h cpu $cpu"
		echo "$env $run h host_cpus $(nproc)"
		echo "$env $run h load_before $(cut -d' ' -f1 /proc/loadavg)"
	} >> "$out"
	say "bench: $env, boot $run of $runs (load $(cut -d' ' -f1-3 /proc/loadavg))"
	(cd "$tree" && python3 tools/testing/kunit/kunit.py exec --arch=um \
		--build_dir="$build" --timeout=3600 \
		--kernel_args "safe_bench.rounds=$rounds" 'safe_bench') \
		> "$build/kunit.log" 2>&1 ||
		{ tail -n 40 "$build/kunit.log" >&2; die "UML $series benchmark failed"; }
	echo "$env $run h load_after $(cut -d' ' -f1 /proc/loadavg)" >> "$out"
	sed -n 's/^.*safe-bench: //p' "$build/test.log" |
		sed "s/^/$env $run /" >> "$out"
	cp "$build/test.log" "$build/test.$run.log"
done
