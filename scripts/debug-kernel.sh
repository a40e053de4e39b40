#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# debug-kernel.sh SERIES - build the x86_64 debug kernel the VM torture
# boots (KASAN, lockdep, PROVE_RCU, DEBUG_ATOMIC_SLEEP, DMA-API debug,
# kmemleak, hung-task detection, Intel IOMMU) from Debian's
# linux-source-SERIES, and print its build directory.
#
# The configuration is x86_64 alldefconfig plus tests/vm/debug.config;
# every line of that fragment must hold in the result.  The build goes to
# $SAFE_CACHE/debug-kernel/SERIES (out of the source tree, which the KUnit
# runs share) and is reused: a later run with the same fragment and tree
# builds nothing, a changed fragment rebuilds incrementally.  The
# directory holds arch/x86/boot/bzImage, Module.symvers for out-of-tree
# modules (make -C DIR M=...), the kernel's own modules, and
# build-seconds, the duration of the last build that did anything.

set -euo pipefail
. "$(dirname "$0")/lib.sh"

series=$1
frag=$SAFE_ROOT/tests/vm/debug.config
out=$SAFE_CACHE/debug-kernel/$series
src=$("$SAFE_ROOT/scripts/kernel-src.sh" "$series")

# The fragment's lines that did not make it into .config.
unmet() {
	local line sym
	while IFS= read -r line; do
		case $line in
		CONFIG_*)
			grep -qxF "$line" "$out/.config" || echo "$line" ;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }
			sym=${sym%% *}
			! grep -q "^$sym=" "$out/.config" || echo "$line" ;;
		esac
	done < "$frag"
}

build() {
	local stamp t0 bad
	# The fragment, the tree's version and the compiler decide the result.
	stamp=$(cat "$frag" <(head -n 5 "$src/Makefile") <(gcc --version | head -n1) |
		sha1sum | cut -d' ' -f1)
	if [ -f "$out/arch/x86/boot/bzImage" ] && [ -f "$out/Module.symvers" ] &&
	   [ "$(cat "$out/.safe-stamp" 2>/dev/null)" = "$stamp" ]; then
		return 0
	fi
	mkdir -p "$out"
	rm -f "$out/.safe-stamp"
	t0=$(date +%s)
	make -C "$src" O="$out" KCONFIG_ALLCONFIG="$frag" alldefconfig > "$out/config.log" 2>&1 ||
		{ tail -n 20 "$out/config.log" >&2; return 1; }
	bad=$(unmet)
	if [ -n "$bad" ]; then
		say "debug-kernel: tests/vm/debug.config lines not met by $series's Kconfig:"
		printf '%s\n' "$bad" | sed 's/^/  /' >&2
		return 1
	fi
	make -C "$src" O="$out" -j"$SAFE_JOBS" bzImage modules > "$out/build.log" 2>&1 ||
		{ tail -n 30 "$out/build.log" >&2; return 1; }
	echo $(( $(date +%s) - t0 )) > "$out/build-seconds"
	echo "$stamp" > "$out/.safe-stamp"
}

mkdir -p "$SAFE_CACHE/locks"
exec 9> "$SAFE_CACHE/locks/debug-kernel-$series"
flock 9
build
echo "$out"
