#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kunit-qemu.sh SERIES [kunit.py args...] - run safe's DMA KUnit suites
# (tests/kunit-dma) with the kernel's own kunit.py on x86_64 under QEMU.
#
#   SERIES  6.12 or 6.1 (Debian's linux-source-SERIES, unpacked in the cache)
#
# UML has no dependable DMA, so these suites run on a real x86_64 kernel
# in QEMU (TCG; no KVM needed), with DMA-API debugging, KASAN, lockdep and
# PROVE_RCU, DEBUG_ATOMIC_SLEEP, kmemleak, failslab and fail_page_alloc
# (tests/kunit-dma/dma.kunitconfig), and a QEMU "edu" PCI device for the
# DMA-API debug unbind check.
#
# The overlay is the one scripts/kunit.sh makes: safe as lib/safe of the
# cached tree, under the same lock.  Build output goes to
# $SAFE_CACHE/kunit/SERIES-x86_64 and is reused; results.json, test.log
# (the whole kernel log) and build-seconds (the last build's duration) are
# written there.  Exit status is kunit.py's.

set -euo pipefail
. "$(dirname "$0")/lib.sh"

series=$1
shift

src=$("$SAFE_ROOT/scripts/kernel-src.sh" "$series")
out=$SAFE_CACHE/kunit/$series-x86_64
mkdir -p "$out"

mkdir -p "$SAFE_CACHE/locks"
exec 9> "$SAFE_CACHE/locks/kunit-$series"
flock 9

kunit_overlay "$src"
cp "$SAFE_ROOT/tests/kunit-dma/dma.kunitconfig" "$out/.kunitconfig.new"
cmp -s "$out/.kunitconfig.new" "$out/.kunitconfig" ||
	mv "$out/.kunitconfig.new" "$out/.kunitconfig"
rm -f "$out/.kunitconfig.new"

cd "$src"
# Build first, timed on its own, then run without rebuilding.
t0=$(date +%s)
python3 tools/testing/kunit/kunit.py build --arch=x86_64 \
	--build_dir="$out" --kunitconfig="$out/.kunitconfig" \
	--jobs="$SAFE_JOBS"
echo $(( $(date +%s) - t0 )) > "$out/build-seconds"

# kunit.py keeps the whole kernel log in $out/test.log.  From 7.x it asks
# QEMU for KVM first; where /dev/kvm opens but cannot run a guest (this
# kind of machine: "KVM internal error"), QEMU stops the guest and the run
# hangs with no output.  Hide /dev/kvm from it, in a private mount
# namespace, so every series runs under TCG as 6.x's kunit.py does.
tcg_only=()
[ -e /dev/kvm ] && tcg_only=(unshare --mount --propagation private -- \
	sh -c 'mount --bind /dev/null /dev/kvm && exec "$@"' _)
"${tcg_only[@]}" python3 tools/testing/kunit/kunit.py exec --arch=x86_64 \
	--build_dir="$out" --timeout=1800 \
	--json="$out/results.json" \
	--qemu_args='-device edu -smp 2' \
	"$@" 'safe_dma*'
