#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# compile-fail.sh oot SERIES
# compile-fail.sh tree SRCTREE BUILDDIR LABEL [make args...]
# compile-fail.sh context SRCTREE BUILDDIR LABEL
#
# Builds every tests/compile-fail/*.c twice: with -DSAFE_CF_CONTROL it must
# compile cleanly (so the failure below comes from the marked lines only),
# and without it it must fail with the diagnostic its "expect-CC:" line
# names.  Files with "expect-sparse:" must compile, and sparse (C=2) must
# report the expected message.  Files with "expect-ca:" are misuse only
# Clang's context analysis sees: in "context" mode (clang-23 in the sid
# chroot, against a tree prepared by scripts/check-context.sh) they must
# compile, and the analysis must report the expected message; other modes
# only check that they compile.  Prints one result line per file.

set -uo pipefail
. "$(dirname "$0")/lib.sh"

mode=$1
shift
case $mode in
oot)
	series=$1 label=$1
	kdir=$(headers_dir "$series") || die "no linux-headers for $series"
	shift
	cc=gcc
	work=$SAFE_CACHE/compile-fail/$label
	rm -rf "$work"
	mkdir -p "$work"
	cp "$SAFE_ROOT"/tests/compile-fail/*.c "$work/"
	cat > "$work/Kbuild" <<EOF
include $SAFE_ROOT/safe.kbuild
ccflags-y += \$(SAFE_CF_FLAGS)
obj-m += \$(SAFE_CF_OBJS)
EOF
	obj_of() { echo "$work/$1.o"; }
	build() {	# build FLAGS CHECK OBJS...
		local flags=$1 check=$2
		shift 2
		# Objects only: no modpost, no module boilerplate needed.
		local make=kernel_make
		[ "$check" = 0 ] || make=kernel_make_sparse
		$make "$series" -k -j1 -C "$kdir" M="$work" W=1 C="$check" \
			SAFE_CF_FLAGS="$flags" SAFE_CF_OBJS="$*" "$@" 2>&1
	}
	;;
tree)
	src=$1 out=$2 label=$3
	shift 3
	extra=("$@")
	cc=gcc
	for a in "${extra[@]}"; do
		[ "$a" = LLVM=1 ] && cc=clang
	done
	work=$out/lib/safe/tests/compile-fail
	obj_of() { echo "$work/$1.o"; }
	build() {
		local flags=$1 check=$2 targets=() o
		shift 2
		for o in "$@"; do
			targets+=("lib/safe/tests/compile-fail/$o")
		done
		make -k -j1 -C "$src" O="$out" "${extra[@]}" C="$check" \
			SAFE_CF_FLAGS="$flags" "${targets[@]}" 2>&1
	}
	;;
context)
	src=$1 out=$2 label=$3-context
	shift 3
	cc=ca
	work=$SAFE_CACHE/compile-fail/$label
	rm -rf "$work"
	mkdir -p "$work"
	cp "$SAFE_ROOT"/tests/compile-fail/*.c "$work/"
	cat > "$work/Kbuild" <<EOF
include $SAFE_ROOT/safe.kbuild
CONTEXT_ANALYSIS := y
ccflags-y += \$(SAFE_CF_FLAGS)
obj-m += \$(SAFE_CF_OBJS)
EOF
	obj_of() { echo "$work/$1.o"; }
	build() {	# build FLAGS CHECK OBJS...
		local flags=$1
		shift 2
		chroot_run "$SAFE_CACHE/chroot/sid" make -k -j1 -C "$src" \
			O="$out" LLVM=-23 M="$work" W=1 \
			SAFE_CF_FLAGS="$flags" SAFE_CF_OBJS="$*" "$@" 2>&1
	}
	;;
*)
	die "usage: $0 oot SERIES | context SRCTREE BUILDDIR LABEL | tree SRCTREE BUILDDIR LABEL [make args]"
	;;
esac

expect() {	# expect FILE KIND -> regex or empty
	sed -n "s|^// expect-$2: ||p" "$1" | head -n1
}

files=()
for f in "$SAFE_ROOT"/tests/compile-fail/*.c; do
	files+=("$(basename "$f" .c)")
done

# 1. Every file compiles without its marked lines.
objs=()
for n in "${files[@]}"; do
	objs+=("$n.o")
	rm -f "$(obj_of "$n")"
done
control_log=$(mktemp)
build -DSAFE_CF_CONTROL 0 "${objs[@]}" > "$control_log"
control_ok=()
for n in "${files[@]}"; do
	if [ -f "$(obj_of "$n")" ] && ! grep -q "$n\.c:[0-9]*:[0-9]*: \(warning\|error\)" "$control_log"; then
		control_ok+=("$n")
	else
		say "compile-fail $label/$n: control build failed:"
		grep -A3 "$n\.c" "$control_log" | head -n 20 >&2
		result FAIL "compile-fail/$label/$cc/$n"
	fi
	rm -f "$(obj_of "$n")"
done

# 2. With the marked lines, each fails with its own diagnostic.
for n in "${control_ok[@]}"; do
	f=$SAFE_ROOT/tests/compile-fail/$n.c
	want=$(expect "$f" "$cc")
	swant=$(expect "$f" sparse)
	cawant=$(expect "$f" ca)
	log=$(mktemp)
	if [ "$cc" = ca ]; then
		if [ -z "$cawant" ]; then
			rm -f "$log"
			continue
		fi
		build "" 0 "$n.o" > "$log"
		if grep -Eq "$n\.c:[0-9]+:[0-9]+: (warning|error): .*$cawant" "$log"; then
			result PASS "compile-fail/$label/ca/$n"
		else
			say "compile-fail $label/$n: context analysis did not report /$cawant/:"
			tail -n 20 "$log" >&2
			result FAIL "compile-fail/$label/ca/$n"
		fi
	elif [ -n "$cawant" ]; then
		# Only the analysis sees it: elsewhere it must build.
		build "" 0 "$n.o" > "$log"
		if [ -f "$(obj_of "$n")" ]; then
			result PASS "compile-fail/$label/$cc/$n-builds"
		else
			say "compile-fail $label/$n: does not build without the analysis:"
			tail -n 20 "$log" >&2
			result FAIL "compile-fail/$label/$cc/$n-builds"
		fi
	elif [ -n "$swant" ]; then
		[ "$mode" = oot ] || { result SKIP "compile-fail/$label/sparse/$n"; continue; }
		build "" 2 "$n.o" > "$log"
		if [ -f "$(obj_of "$n")" ] && grep -Eq "$swant" "$log"; then
			result PASS "compile-fail/$label/sparse/$n"
		else
			say "compile-fail $label/$n: sparse did not report /$swant/:"
			tail -n 20 "$log" >&2
			result FAIL "compile-fail/$label/sparse/$n"
		fi
	elif [ -n "$want" ]; then
		build "" 0 "$n.o" > "$log"
		if [ ! -f "$(obj_of "$n")" ] && grep -Eq "$want" "$log"; then
			result PASS "compile-fail/$label/$cc/$n"
		else
			say "compile-fail $label/$n: expected a build failure matching /$want/:"
			tail -n 20 "$log" >&2
			result FAIL "compile-fail/$label/$cc/$n"
		fi
	fi
	rm -f "$log" "$(obj_of "$n")"
done
rm -f "$control_log"
