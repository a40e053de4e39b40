#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# oot.sh SERIES - out-of-tree builds against Debian's linux-headers for SERIES:
#
#   standalone  safe.ko and the examples that link against it   (make W=1)
#   embed       the guards example with the library built in   (SAFE_EMBED=y)
#   sparse      the same sources under sparse                   (make C=2)
#   debug       the embedded build with make SAFE_DEBUG=1
#   bench       the benchmark module of "make bench" (6.12 only)
#   clean       make clean, for the library and an embedding driver
#
# A build passes only with zero warnings.  Sources are copied to the cache,
# so the checkout stays clean and later runs are incremental.  For a series
# whose Debian headers need a compiler the host lacks (7.3: gcc-14), the
# builds run in that suite's chroot (scripts/lib.sh, kernel_make).

set -uo pipefail
. "$(dirname "$0")/lib.sh"

series=$1
kdir=$(headers_dir "$series") || { result FAIL "oot/$series/headers"; exit 1; }
work=$SAFE_CACHE/oot/$series
mkdir -p "$work"
rsync -a --delete --exclude .git --exclude '.safe' --exclude '*.o' --exclude '*.mod' \
	--exclude '*.ko' --exclude '.*.cmd' "$SAFE_ROOT/" "$work/src/"

# Every example with a Kbuild file, except those that need other kernels.
examples=()
for d in "$work"/src/examples/*/; do
	[ -f "$d/Kbuild" ] && examples+=("$d")
done

clean_build() {	# clean_build NAME LOG MAKE-ARGS...
	local name=$1 log=$2 make=kernel_make
	shift 2
	case " $* " in *" C=2 "*) make=kernel_make_sparse ;; esac
	if $make "$series" -C "$kdir" "$@" > "$log" 2>&1 &&
	   ! grep -qE '(warning|error):' "$log" &&
	   ! grep -q 'specified, but .* not available' "$log"; then
		result PASS "$name"
	else
		grep -E -A3 '(warning|error):|Error' "$log" | head -n 30 >&2
		result FAIL "$name"
		# A warning is printed only when its file is compiled: drop
		# the objects, or the next run finds them current and passes.
		local a
		for a in "$@"; do
			case $a in
			M=*) find "${a#M=}" -name '*.o' -delete ;;
			esac
		done
	fi
}

clean_build "oot/$series/standalone/safe" "$work/safe.log" \
	M="$work/src" W=1 modules
for d in "${examples[@]}"; do
	n=$(basename "$d")
	clean_build "oot/$series/standalone/$n" "$work/$n.log" M="$d" W=1 \
		KBUILD_EXTRA_SYMBOLS="$work/src/Module.symvers" modules
done

# Mode (b): the library compiled into the driver's own module.
emb=$work/embed
rsync -a --delete --exclude '*.o' --exclude '*.ko' --exclude '.*.cmd' \
	--exclude '*.mod*' "$SAFE_ROOT/examples/guards/" "$emb/"
clean_build "oot/$series/embed/guards" "$work/embed.log" M="$emb" W=1 \
	SAFE_EMBED=y SAFE_DIR="$work/src" modules
if [ -f "$emb/safe_guards.ko" ] && ! modinfo "$emb/safe_guards.ko" |
	grep -q '^depends:.*safe'; then
	result PASS "oot/$series/embed/no-dependency-on-safe.ko"
else
	result FAIL "oot/$series/embed/no-dependency-on-safe.ko"
fi

# The benchmark module of "make bench" (tests/bench, the library embedded)
# builds, so it does not rot between benchmark runs; it runs on 6.12 only.
if [ "$series" = 6.12 ]; then
	clean_build "oot/$series/bench" "$work/bench.log" \
		M="$work/src/tests/bench" W=1 SAFE_DIR="$work/src" modules
fi

# make SAFE_DEBUG=1: the embedded library carries CONFIG_SAFE_DEBUG's
# checks (safe_revocable_check_bound() exists only with them), and the
# build above, without it, does not.
embd=$work/embed-debug
rsync -a --delete --exclude '*.o' --exclude '*.ko' --exclude '.*.cmd' \
	--exclude '*.mod*' "$SAFE_ROOT/examples/guards/" "$embd/"
clean_build "oot/$series/embed-debug/guards" "$work/embed-debug.log" \
	M="$embd" W=1 SAFE_EMBED=y SAFE_DEBUG=1 SAFE_DIR="$work/src" modules
# grep reads all of nm's output: "nm | grep -q" under pipefail fails on
# nm's SIGPIPE once the symbol table is large.
has_check() {	# has_check MODULE
	nm "$1" 2>/dev/null | grep -c ' safe_revocable_check_bound$' > /dev/null
}
if has_check "$embd/safe_guards.ko" && [ -f "$emb/safe_guards.ko" ] &&
   ! has_check "$emb/safe_guards.ko"; then
	result PASS "oot/$series/embed-debug/SAFE_DEBUG=1-checks-built"
else
	result FAIL "oot/$series/embed-debug/SAFE_DEBUG=1-checks-built"
fi

# make clean, which runs no feature probe: it must succeed and leave none
# of the build's files behind.
clean_ok() {	# clean_ok NAME DIR MAKE-ARGS...
	local name=$1 dir=$2 log=$work/clean.log left
	shift 2
	if kernel_make "$series" -C "$kdir" M="$dir" "$@" clean > "$log" 2>&1; then
		left=$(find "$dir" -path "$dir/examples" -prune -o \
			\( -name '*.o' -o -name '*.ko' -o -name .safe \
			-o -name safe-embed.c -o -name '*.mod' \) -print | head -n 5)
		if [ -z "$left" ]; then
			result PASS "$name"
			return
		fi
		say "make clean left: $left"
	else
		tail -n 5 "$log" >&2
	fi
	result FAIL "$name"
}
clean_ok "oot/$series/clean/embed" "$embd" SAFE_EMBED=y SAFE_DIR="$work/src"

# sparse, forced over every object (C=2).
if command -v sparse > /dev/null; then
	clean_build "oot/$series/sparse/safe" "$work/sparse.log" \
		M="$work/src" C=2 modules
	for d in "${examples[@]}"; do
		n=$(basename "$d")
		clean_build "oot/$series/sparse/$n" "$work/sparse-$n.log" \
			M="$d" C=2 KBUILD_EXTRA_SYMBOLS="$work/src/Module.symvers" modules
	done
else
	result FAIL "oot/$series/sparse (sparse not installed)"
fi

# Last, so the builds above stay incremental for the next run: clean a
# copy of the library's own build.
cl=$work/clean-src
rsync -a --delete "$work/src/" "$cl/"
clean_ok "oot/$series/clean/safe" "$cl"
