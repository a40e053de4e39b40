#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-context.sh [SERIES] - Clang's context analysis over safe's library,
# KUnit suites and examples, and the compile-fail cases only it catches.
#
# The analysis needs Clang 23 and a 7.x kernel (default 7.3).  Clang 23 is
# Debian sid's clang-23, so everything runs in the sid chroot of
# scripts/lib.sh.  A tree is prepared from Debian's linux-source-SERIES
# (x86_64_defconfig, KUnit, CONFIG_WARN_CONTEXT_ANALYSIS; modules_prepare
# only, no kernel build) in $SAFE_CACHE/context/SERIES, and safe is built
# against it out of tree: the library with its KUnit suites
# (CONFIG_SAFE_KUNIT_TEST=m, CONFIG_SAFE_DMA_KUNIT_TEST=m, SAFE_DEBUG=1),
# the examples that use safe, and the embedded library.  safe's Kbuild
# files say CONTEXT_ANALYSIS := y.  Each build passes only with no
# warning at all; the number of context-analysis warnings is printed.
# Then scripts/compile-fail.sh runs the "expect-ca:" cases against the
# same tree.

set -uo pipefail
. "$(dirname "$0")/lib.sh"

series=${1:-7.3}
root=$SAFE_CACHE/chroot/sid
[ -f "$root/.safe-complete" ] || { result FAIL "context/$series/sid-chroot"; exit 1; }
src=$("$SAFE_ROOT/scripts/kernel-src.sh" "$series") ||
	{ result FAIL "context/$series/source"; exit 1; }
out=$SAFE_CACHE/context/$series/tree
work=$SAFE_CACHE/context/$series/src
mkdir -p "$out"

kmake() {
	chroot_run "$root" make -C "$src" O="$out" LLVM=-23 "$@"
}

# The tree: prepared once, again when its configuration changes.  No
# CONFIG_WERROR: every warning is counted, none stops the build.
config_opts="-e DEBUG_KERNEL -e KUNIT -e WARN_CONTEXT_ANALYSIS -e PCI
	-e DEBUG_FS -d WERROR"
stamp=$out/.safe-prepared
key=$(echo "$config_opts" | md5sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$key" ]; then
	rm -f "$stamp"
	{
		kmake x86_64_defconfig &&
		"$src/scripts/config" --file "$out/.config" $config_opts &&
		kmake olddefconfig &&
		grep -q '^CONFIG_WARN_CONTEXT_ANALYSIS=y' "$out/.config" &&
		kmake -j"$SAFE_JOBS" modules_prepare
	} > "$out/prepare.log" 2>&1
	if [ $? -ne 0 ]; then
		tail -n 20 "$out/prepare.log" >&2
		result FAIL "context/$series/prepare"
		exit 1
	fi
	echo "$key" > "$stamp"
fi

# Everything is compiled again on every run: a warning is reported only
# when its file is compiled, so an incremental build would pass warm after
# failing cold.  (safe is small; the kernel tree is what stays prepared.)
rm -rf "$work" "$SAFE_CACHE/context/$series/embed"
rsync -a --exclude .git --exclude .safe --exclude '*.o' \
	--exclude '*.ko' --exclude '.*.cmd' "$SAFE_ROOT/" "$work/"

# "warning: ... [-Wthread-safety...]" is the analysis; any other warning
# fails the build too.
ca_build() {	# ca_build NAME MAKE-ARGS...
	local name=$1 log n
	shift
	log=$SAFE_CACHE/context/$series/$(echo "$name" | tr / _).log
	kmake -j"$SAFE_JOBS" W=1 "$@" > "$log" 2>&1
	local rc=$?
	n=$(grep -c '\[-W\(error,-W\)\?thread-safety' "$log")
	say "  $name: $n context-analysis warnings"
	printf '%s %s\n' "$name" "$n" >> "$SAFE_CACHE/context/$series/counts"
	if [ $rc -eq 0 ] && ! grep -qE '(warning|error):' "$log"; then
		result PASS "context/$series/$name"
	else
		grep -E -A3 '(warning|error):' "$log" | head -n 40 >&2
		result FAIL "context/$series/$name"
	fi
}

: > "$SAFE_CACHE/context/$series/counts"
# The tree has no vmlinux symbols (modules_prepare only): modpost's
# unresolved-symbol reports are its own, not the analysis's.
ca_build lib+kunit M="$work" SAFE_DEBUG=1 KBUILD_MODPOST_WARN=1 \
	CONFIG_SAFE_KUNIT_TEST=m CONFIG_SAFE_DMA_KUNIT_TEST=m modules
for d in "$work"/examples/*/; do
	[ -f "$d/Kbuild" ] && grep -q safe.kbuild "$d/Kbuild" || continue
	ca_build "examples/$(basename "$d")" M="$d" KBUILD_MODPOST_WARN=1 \
		KBUILD_EXTRA_SYMBOLS="$work/Module.symvers" modules
done
emb=$SAFE_CACHE/context/$series/embed
rsync -a --delete --exclude '*.o' --exclude '*.ko' --exclude '.*.cmd' \
	--exclude '*.mod*' "$work/examples/guards/" "$emb/"
ca_build embed/guards M="$emb" SAFE_EMBED=y SAFE_DIR="$work" \
	KBUILD_MODPOST_WARN=1 modules

say "  context-analysis warnings in all: $(awk '{ n += $2 } END { print n + 0 }' \
	"$SAFE_CACHE/context/$series/counts")"

bash "$SAFE_ROOT/scripts/compile-fail.sh" context "$src" "$out" "$series"
