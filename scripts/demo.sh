#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh [SERIES] - "make demo [SERIES=6.1|6.12|7.3]": boot Debian's real
# linux-image of SERIES (default 6.12) in QEMU with QEMU's edu PCI device,
# drive it from several threads, and hot-unplug it under load (QMP
# device_del), then plug it back (device_add):
#
#   1. examples/edu, written with safe: every thread gets ENODEV, no wrong
#      answer, a clean kernel log, and I/O works again after the replug.
#   2. examples/edu-legacy, the same driver written the usual way: the
#      same script, and the kernel oopses or the threads hang.
#
# Exits non-zero if the safe driver misbehaves.

set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$SAFE_ROOT/scripts/qemu-lib.sh"
. "$SAFE_ROOT/scripts/vm.sh"

series=${1:-6.12}
kernel_suite "$series" > /dev/null || die "no such kernel series: $series"
t0=$(date +%s)
say "[1/4] installing what is missing"
SAFE_CHECK_KERNELS=$series SAFE_KERNELS=$series bash "$SAFE_ROOT/scripts/deps.sh" demo ||
	die "dependencies"

say "[2/4] building safe.ko, the examples and the load generator against Debian $series headers"
build=$(vm_build "$series") || die "build failed"
image=$(kernel_image "$series") || die "no kernel image"
log=$SAFE_CACHE/demo/$series
mkdir -p "$log"

say "[3/4] safe's edu driver: $(basename "$image") in QEMU, unplugged under load"
SAFE_VM_PROGRESS=1 vm_run "$series" "$build" "$log/safe.log" edu-hotplug "1 4 60" \
	safe.ko examples/guards/safe_guards.ko examples/edu/edu.ko
safe_rc=$?

say "[4/4] the same driver without safe (examples/edu-legacy), same script"
SAFE_VM_PROGRESS=1 SAFE_VM_TIMEOUT=300 vm_run "$series" "$build" "$log/legacy.log" \
	edu-hotplug "1 4 15" examples/edu-legacy/edu_legacy.ko

result_of() {	# result_of LOG: failures count, or "none"
	sed -n 's/.*@@RESULT cycles=[0-9]* failures=\([0-9]*\).*/\1/p' "$1" | tail -n1
}
safe_fail=$(result_of "$log/safe.log")
legacy_fail=$(result_of "$log/legacy.log")
legacy_reports=$(vm_log_reports "$log/legacy.log" | wc -l)

say ""
say "Summary ($(( $(date +%s) - t0 )) s; full guest logs in $log/)"
say "  with safe:    $(grep -o 'edu-load: .*' "$log/safe.log" | sed -n 2p)"
say "                kernel log: $(grep -q 'kernel log clean' "$log/safe.log" &&
	! vm_log_reports "$log/safe.log" > /dev/null && echo clean || echo COMPLAINTS)"
say "  without safe: $(grep -o 'demo: cycle 1.*' "$log/legacy.log" | head -n1 | sed 's/^demo: //')"
say "                kernel log: $legacy_reports report line(s): $(grep -oE 'BUG: unable to handle[^]]*|RIP: [^ ]*' "$log/legacy.log" | head -n2 | paste -sd ' ' -)"

if [ "$safe_rc" -ne 0 ] || [ "${safe_fail:-x}" != 0 ]; then
	say "demo: FAILED: the safe driver misbehaved (failures=${safe_fail:-unknown})"
	exit 1
fi
say "demo: OK: safe's driver survived the unplug; the legacy one did not (failures=${legacy_fail:-?})"

# The ALSA driver: QEMU records what it plays; the card is unplugged while
# it plays (tests/vm/es1370-hotplug, one playback cycle).
. "$SAFE_ROOT/scripts/sound-vm.sh"
say ""
say "[sound] safe's ES1370 ALSA driver (examples/es1370): a tone, then the card unplugged while it plays"
SAFE_VM_PROGRESS=1 sound_vm_run "$series" "$build" "$log/sound.log" "$log/sound.wav" \
	"$log/sound.marks" es1370-hotplug "1 0 30 es1370 1" \
	$(sound_stack "$series" core) safe.ko examples/es1370/es1370.ko
sound_rc=$?
tone=$(python3 "$SAFE_ROOT/scripts/wav-check.py" "$log/sound.wav" --marks "$log/sound.marks" \
	--start tone-start --end tone-end --min-seconds 2.5 --label "tone QEMU recorded")
tone_rc=$?
say "  $tone"
say "  at the unplug: $(grep -ao 'demo: ends playback 1: .*' "$log/sound.log" | sed 's/^demo: ends playback 1: //')"
sound_fail=$(result_of "$log/sound.log")
if [ "$sound_rc" -ne 0 ] || [ "$tone_rc" -ne 0 ] || [ "${sound_fail:-x}" != 0 ]; then
	say "demo: FAILED: the sound driver misbehaved (failures=${sound_fail:-unknown}; guest log $log/sound.log)"
	exit 1
fi
say "demo: OK: the tone played as written; every stream ended with an error code at the unplug, and the kernel log is clean"
