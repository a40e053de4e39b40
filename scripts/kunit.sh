#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kunit.sh SERIES CC [kunit.py args...] - run safe's KUnit suites with the
# kernel's own tools/testing/kunit/kunit.py on UML.
#
#   SERIES  6.12 or 6.1 (Debian's linux-source-SERIES, unpacked in the cache)
#   CC      gcc: the debug configuration (KASAN, lockdep, PROVE_RCU,
#                DEBUG_ATOMIC_SLEEP where UML has it, kmemleak, failslab)
#           clang: LLVM=1, lockdep and PROVE_RCU (clang treats the cleanup
#                attribute differently, so the suites run under both)
#           clang-23: the same with Debian's clang-23, in the sid chroot
#                (scripts/lib.sh), and Clang's context analysis
#                (CONFIG_WARN_CONTEXT_ANALYSIS; safe's Kbuild files say
#                CONTEXT_ANALYSIS := y); needs 7.x
#
# safe is overlaid on the cached tree as lib/safe (a symlink to this
# checkout) plus one line in lib/Kconfig and lib/Makefile; build output goes
# to $SAFE_CACHE/kunit/SERIES-CC and is reused.  Prints the kunit.py result
# and writes results.json and kernel.log there.  Exit status is non-zero if
# any case failed or the kernel log has a KASAN, lockdep, kmemleak, WARN or
# BUG report.

set -euo pipefail
. "$(dirname "$0")/lib.sh"

series=$1 cc=$2
shift 2

src=$("$SAFE_ROOT/scripts/kernel-src.sh" "$series")
out=$SAFE_CACHE/kunit/$series-$cc
mkdir -p "$out"

config() {
	cat "$SAFE_ROOT/tests/kunit/safe.kunitconfig"
	case $cc in
	gcc)
		cat "$SAFE_ROOT/tests/kunit/debug.kunitconfig"
		# UML has no DEBUG_ATOMIC_SLEEP before 6.x; kunit.py rejects a
		# config line it cannot satisfy.
		[ "$series" = 6.1 ] || echo CONFIG_DEBUG_ATOMIC_SLEEP=y
		;;
	clang)
		cat "$SAFE_ROOT/tests/kunit/clang.kunitconfig"
		;;
	clang-23)
		cat "$SAFE_ROOT/tests/kunit/clang.kunitconfig"
		echo CONFIG_WARN_CONTEXT_ANALYSIS=y
		;;
	esac
}

mkdir -p "$SAFE_CACHE/locks"
exec 9> "$SAFE_CACHE/locks/kunit-$series"
flock 9

kunit_overlay "$src"
config > "$out/.kunitconfig.new"
cmp -s "$out/.kunitconfig.new" "$out/.kunitconfig" ||
	mv "$out/.kunitconfig.new" "$out/.kunitconfig"
rm -f "$out/.kunitconfig.new"

make_opts=()
run=()
case $cc in
clang) make_opts+=(--make_options LLVM=1) ;;
clang-23)
	make_opts+=(--make_options LLVM=-23)
	run=(chroot_run "$SAFE_CACHE/chroot/sid")
	;;
esac

cd "$src"
# kunit.py keeps the whole kernel log in $out/test.log.
"${run[@]}" python3 tools/testing/kunit/kunit.py run --arch=um \
	--build_dir="$out" --kunitconfig="$out/.kunitconfig" \
	--jobs="$SAFE_JOBS" --timeout=1200 \
	--json="$out/results.json" \
	"${make_opts[@]}" "$@" 'safe*'
