#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-dma.sh - owned DMA buffers against the raw DMA API (tests/bench/dma),
# built against Debian's 6.12 headers with the kernel's own flags:
#
#   code   objdump of bench_raw_<op> and bench_safe_<op> pairs; a
#          constant-index access must compile to the same instructions
#          (the diff is printed, and must be empty)
#   speed  the module run in Debian's real 6.12 kernel under QEMU (TCG):
#          run-time-index reads and writes through the accessors vs
#          READ_ONCE()/WRITE_ONCE() on the same memory (target <= 1.10x),
#          safe_dma_alloc()+safe_dma_free() vs dma_alloc_coherent()+
#          dma_free_coherent() (target <= 1.05x), measured in one run.
#
# Under TCG a guest instruction costs roughly the same whatever it is, so
# the ratios follow instruction counts more than a real CPU would.
# Exit status is non-zero if a constant-index pair differs or the module
# fails; missed ratio targets are reported, not fatal (timing is noisy).

set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$SAFE_ROOT/scripts/qemu-lib.sh"

series=6.12
SAFE_KERNELS=$series bash "$SAFE_ROOT/scripts/deps.sh" bench >&2 || die "dependencies"
kdir=$(headers_dir "$series") || die "no linux-headers for $series"
work=$SAFE_CACHE/bench/dma-$series
mkdir -p "$work"
rsync -a "$SAFE_ROOT/tests/bench/dma/" "$work/"
make -s -C "$kdir" M="$work" SAFE_DIR="$SAFE_ROOT" modules \
	> "$work/build.log" 2>&1 || { cat "$work/build.log" >&2; die "build"; }
if grep -E '(warning|error):' "$work/build.log" >&2; then
	die "the benchmark must build without warnings"
fi

# Instructions of one function, with addresses and symbol targets blanked
# and the trailing padding dropped.
disasm() {	# disasm FUNC
	objdump -d --no-show-raw-insn "$work/bench_dma.o" |
	awk -v fn="<$1>:" '$2 == fn { p = 1; next } p && /^$/ { exit } p' |
	sed -e 's/^ *[0-9a-f]*:[[:space:]]*//' \
	    -e 's/[0-9a-f]* <[^>]*>/<target>/' \
	    -e 's/[[:space:]]*$//' |
	awk '{ l[NR] = $0 } END { n = NR; while (n > 0 && l[n] ~ /^(nop|int3|data16|cs nopw|nopw|nopl|xchg %ax,%ax)/) n--; for (i = 1; i <= n; i++) print l[i] }'
}

echo
echo "Owned DMA buffers: code of a constant-index access vs the raw one"
echo "Debian $(basename "$kdir"), gcc -O2 with the kernel's own flags"
status=0
for op in get_const set_const get64_const get_runtime; do
	disasm "bench_raw_$op" > "$work/raw_$op.s"
	disasm "bench_safe_$op" > "$work/safe_$op.s"
	echo
	echo "--- bench_raw_$op / bench_safe_$op"
	if [ ! -s "$work/raw_$op.s" ]; then
		echo "    (not found in the object)"
		status=1
		continue
	fi
	sed 's/^/    /' "$work/raw_$op.s"
	if diff -u --label "bench_raw_$op" --label "bench_safe_$op" \
		"$work/raw_$op.s" "$work/safe_$op.s" > "$work/$op.diff"; then
		echo "    diff: none, the same $(wc -l < "$work/raw_$op.s") instructions"
	else
		echo "    diff:"
		sed 's/^/    /' "$work/$op.diff"
		# Only the run-time index may differ: by its bounds check.
		case $op in *_const) status=1 ;; esac
	fi
done

echo
echo "Owned DMA buffers: speed in Debian's $series kernel under QEMU (TCG)"
cat > "$work/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
echo "bench: loading"
insmod /lib/safe/safe_bench_dma.ko && echo "bench: ok"
dmesg | grep 'safe-bench:'
poweroff -f
INIT
make_initramfs "$work/initrd.gz" "$work/init" "$work/safe_bench_dma.ko"
image=$(kernel_image "$series") || die "no kernel image"
t=$(date +%s)
run_qemu "$image" "$work/initrd.gz" "$work/console.log" 600
say "(guest ran for $(( $(date +%s) - t ))s; log: $work/console.log)"

if ! grep -q 'bench: ok' "$work/console.log"; then
	say "the benchmark module failed:"
	grep -E 'safe-bench|bench:' "$work/console.log" >&2
	exit 1
fi
if kernel_reports "$work/console.log" > /dev/null; then
	say "the kernel logged a WARN/BUG during the benchmark:"
	kernel_reports "$work/console.log" | head -n 10 >&2
	status=1
fi

grep -o 'safe-bench: .* ratio=.*' "$work/console.log" | sort -u |
awk '{
	sub(/^safe-bench: */, "")
	ratio = $NF; sub(/ratio=/, "", ratio)
	target = ($0 ~ /^alloc/) ? 1.05 : 1.10
	line = $0; sub(/ *ratio=.*/, "", line)
	printf "  %-62s %6.3fx  (target <= %.2fx: %s)\n", line, ratio, target,
		ratio <= target ? "met" : "MISSED"
}'
exit $status
