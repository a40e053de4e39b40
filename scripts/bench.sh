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
#   revocable  ns per access and per revocation, in Debian's 6.12 kernel
#              under QEMU (tests/bench/revocable), against SRCU, RCU,
#              percpu_ref and drm_dev_enter() in the same run.
#   dma        owned DMA buffers vs the raw DMA API: code of a constant-index
#              access, accessor and alloc+free cost (scripts/bench-dma.sh).

set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$SAFE_ROOT/scripts/qemu-lib.sh"

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

bench_edu() {	# bench_edu SERIES
	local series=$1 kdir work
	kdir=$(headers_dir "$series") || die "no headers for $series"
	work=$SAFE_CACHE/bench/edu-$series
	mkdir -p "$work"
	rsync -a --delete --exclude .git --exclude .safe --exclude '*.o' \
		--exclude '*.ko' "$SAFE_ROOT/" "$work/src/"
	{ make -C "$kdir" M="$work/src" modules &&
	  make -C "$kdir" M="$work/src/examples/edu" \
		KBUILD_EXTRA_SYMBOLS="$work/src/Module.symvers" modules &&
	  make -C "$kdir" M="$work/src/examples/edu-legacy" modules; } \
		> "$work/build.log" 2>&1 || { tail -n 30 "$work/build.log" >&2; die "build"; }
	echo
	echo "edu driver, safe vs legacy: .text bytes per function"
	echo "Debian $(basename "$kdir"), gcc -O2 with the kernel's own flags"
	python3 "$SAFE_ROOT/scripts/edu-size.py" "$work/src/examples/edu/edu.ko" \
		"$work/src/examples/edu-legacy/edu_legacy.ko"
}

# A module from Debian's own image, decompressed for busybox insmod.
image_module() {	# image_module REL PATH-UNDER-kernel/ OUT
	local f=/lib/modules/$1/kernel/$2
	if [ -f "$f.xz" ]; then
		xz -dc "$f.xz" > "$3"
	elif [ -f "$f" ]; then
		cp "$f" "$3"
	else
		return 1
	fi
}

bench_revocable() {
	local series=6.12 kdir rel work image extra=()
	kdir=$(headers_dir "$series") || die "no headers for $series"
	rel=$(basename "$kdir")
	rel=${rel#linux-headers-}
	work=$SAFE_CACHE/bench/revocable
	mkdir -p "$work"
	rsync -a --delete --exclude .git --exclude .safe "$SAFE_ROOT/" "$work/src/"
	make -s -C "$kdir" M="$work/src" modules > "$work/build.log" 2>&1 &&
	make -s -C "$kdir" M="$work/src/tests/bench/revocable" \
		KBUILD_EXTRA_SYMBOLS="$work/src/Module.symvers" modules \
		>> "$work/build.log" 2>&1 || { cat "$work/build.log" >&2; die "build"; }
	image_module "$rel" drivers/gpu/drm/drm.ko "$work/drm.ko" &&
		extra+=("$work/drm.ko")
	cat > "$work/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
[ -f /lib/safe/drm.ko ] && insmod /lib/safe/drm.ko
insmod /lib/safe/safe.ko
insmod /lib/safe/bench_revocable.ko
dmesg | grep 'safe-bench:'
poweroff -f
INIT
	make_initramfs "$work/initrd.gz" "$work/init" "$work/src/safe.ko" \
		"$work/src/tests/bench/revocable/bench_revocable.ko" "${extra[@]}"
	image=$(kernel_image "$series") || die "no kernel image"
	run_qemu "$image" "$work/initrd.gz" "$work/console.log" 600
	echo
	echo "Revocable access and revocation: Debian $rel, QEMU TCG, 2 vCPUs"
	echo "(emulated CPU: compare the ratios, not the absolute times)"
	grep -oE 'safe-bench: .*' "$work/console.log" | sed 's/^safe-bench: /  /'
	grep -q 'safe-bench: done (0)' "$work/console.log" ||
		die "revocable benchmark failed; see $work/console.log"
}

for k in $SAFE_KERNELS; do
	bench_guards "$k"
	bench_edu "$k"
done
bench_revocable
bash "$SAFE_ROOT/scripts/bench-dma.sh" || die "dma benchmark failed"
