#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-tcg.sh SERIES RUNS ROUNDS OUT - the speed benchmarks (tests/bench)
# in Debian's own kernel for SERIES under QEMU TCG, 2 vCPUs: safe_bench.ko
# (the library embedded) built against Debian's headers with the kernel's
# own flags, loaded after drm.ko from Debian's image, booted RUNS times,
# each running every benchmark ROUNDS rounds.
#
# TCG emulates every guest instruction, and each conditional branch ends a
# translation block, so ratios there follow instruction and branch counts;
# compare them with bench-uml.sh's native figures.  Appends
# "tcg-SERIES RUN <line>" to OUT for every "safe-bench:" line of each boot,
# plus the host's "h" lines as bench-uml.sh does.

set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$SAFE_ROOT/scripts/qemu-lib.sh"

series=$1 runs=$2 rounds=$3 out=$4
env=tcg-$series
kdir=$(headers_dir "$series") || die "no headers for $series"
rel=$(basename "$kdir")
rel=${rel#linux-headers-}
work=$SAFE_CACHE/bench/$env
mkdir -p "$work"
rsync -a --delete --exclude guards "$SAFE_ROOT/tests/bench/" "$work/mod/"
kernel_make "$series" -s -C "$kdir" M="$work/mod" SAFE_DIR="$SAFE_ROOT" \
	modules > "$work/build.log" 2>&1 || { cat "$work/build.log" >&2; die "build"; }
if grep -E '(warning|error):' "$work/build.log" >&2; then
	die "the benchmark module must build without warnings"
fi

# drm_dev_enter() comes from Debian's own drm.ko.
drm=/lib/modules/$rel/kernel/drivers/gpu/drm/drm.ko
if [ -f "$drm.xz" ]; then
	xz -dc "$drm.xz" > "$work/drm.ko"
else
	cp "$drm" "$work/drm.ko" || die "no drm.ko for $rel"
fi

cat > "$work/init" <<INIT
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
insmod /lib/safe/drm.ko
insmod /lib/safe/safe_bench.ko rounds=$rounds && echo "bench: ok"
dmesg | grep 'safe-bench:'
poweroff -f
INIT
make_initramfs "$work/initrd.gz" "$work/init" "$work/mod/safe_bench.ko" \
	"$work/drm.ko"
image=$(kernel_image "$series") || die "no kernel image"

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
for run in $(seq 1 "$runs"); do
	{
		echo "$env $run h cpu $cpu"
		echo "$env $run h host_cpus $(nproc)"
		echo "$env $run h load_before $(cut -d' ' -f1 /proc/loadavg)"
	} >> "$out"
	say "bench: $env, boot $run of $runs (load $(cut -d' ' -f1-3 /proc/loadavg))"
	run_qemu "$image" "$work/initrd.gz" "$work/console.log" 3600 || true
	echo "$env $run h load_after $(cut -d' ' -f1 /proc/loadavg)" >> "$out"
	cp "$work/console.log" "$work/console.$run.log"
	if ! grep -q 'bench: ok' "$work/console.log"; then
		grep -E 'safe-bench: (case|done)|bench:' "$work/console.log" >&2 || true
		die "the benchmark module failed; see $work/console.log"
	fi
	if kernel_reports "$work/console.log" > /dev/null; then
		kernel_reports "$work/console.log" | head -n 10 >&2
		die "the kernel complained during the benchmark"
	fi
	grep -o 'safe-bench: .*' "$work/console.log" | tr -d '\r' |
		sed -e 's/^safe-bench: //' -e "s/^/$env $run /" >> "$out"
done
