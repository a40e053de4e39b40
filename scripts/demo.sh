#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh - boot Debian's real linux-image-6.12 in QEMU, load safe.ko and
# the guards sample (examples/guards), and show what it printed.  Exits
# non-zero when the sample fails a check or the kernel logs a WARN or BUG.

set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$SAFE_ROOT/scripts/qemu-lib.sh"

series=6.12
say "[1/4] installing what is missing"
SAFE_KERNELS=$series bash "$SAFE_ROOT/scripts/deps.sh" demo || die "dependencies"

kdir=$(headers_dir "$series") || die "no linux-headers for $series"
work=$SAFE_CACHE/demo
mkdir -p "$work"
rsync -a --delete --exclude .git --exclude .safe "$SAFE_ROOT/" "$work/src/"

say "[2/4] building safe.ko and the sample against $(basename "$kdir")"
make -s -C "$kdir" M="$work/src" modules > "$work/build.log" 2>&1 &&
make -s -C "$kdir" M="$work/src/examples/guards" \
	KBUILD_EXTRA_SYMBOLS="$work/src/Module.symvers" modules >> "$work/build.log" 2>&1 ||
	{ cat "$work/build.log" >&2; die "build failed"; }

say "[3/4] booting $(basename "$(kernel_image "$series")") in QEMU (TCG)"
cat > "$work/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
echo "demo: loading safe.ko"
insmod /lib/safe/safe.ko && echo "demo: safe.ko loaded"
insmod /lib/safe/safe_guards.ko && echo "demo: sample loaded"
dmesg | grep 'safe_guards:'
rmmod safe_guards
rmmod safe
echo "demo: done"
poweroff -f
INIT
make_initramfs "$work/initrd.gz" "$work/init" "$work/src/safe.ko" \
	"$work/src/examples/guards/safe_guards.ko"
image=$(kernel_image "$series") || die "no kernel image"
t=$(date +%s)
run_qemu "$image" "$work/initrd.gz" "$work/console.log" 120
say "      guest ran for $(( $(date +%s) - t ))s"

say "[4/4] result"
grep -oE '(safe_guards|demo): .*' "$work/console.log" | sed 's/^/      /' >&2
status=0
if ! grep -q 'demo: sample loaded' "$work/console.log" ||
   ! grep -qE 'safe_guards: ([0-9]+)/\1 checks passed' "$work/console.log"; then
	say "demo: the sample did not pass all its checks"
	status=1
fi
if kernel_complaints "$work/console.log" > /dev/null; then
	say "demo: the kernel logged a WARN/BUG:"
	kernel_complaints "$work/console.log" | head -n 10 >&2
	status=1
fi
[ $status -eq 0 ] && say "demo: OK (full guest log: $work/console.log)"
exit $status
