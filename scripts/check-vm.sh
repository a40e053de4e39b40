#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-vm.sh [KERNEL...] - hot-unplug torture in QEMU (scripts/vm.sh), on
# Debian's real kernels ($SAFE_KERNELS by default) and on the debug kernel
# ("debug-6.12": KASAN, lockdep, DMA-API debug, kmemleak, hung-task
# detection, an intel-iommu translating edu's DMA; scripts/debug-kernel.sh).
#
# Every kernel runs:
#
#   edu-hotplug     examples/edu under edu-load: $SAFE_VM_CYCLES (50)
#                   device_del/device_add cycles with $SAFE_VM_THREADS (4)
#                   threads doing factorials and checked DMA round trips;
#   ticker-unbind   examples/ticker unbound and rebound through sysfs
#                   $SAFE_VM_TICKER_CYCLES (50) times under ticker-load;
#   foreign-unload  a client of safe.ko allocated on the edu device that
#                   edu_legacy drives; the client and safe.ko are unloaded,
#                   then the device is unbound and rebound.
#
# The debug kernel also runs the hostile scenarios, $SAFE_VM_HOSTILE_CYCLES
# (50) cycles each:
#
#   edu-hostile     every file operation racing the unplug, rmmod right
#                   after it, removal of the parent bridge (tests/vm/);
#   ticker-hostile  the same for the ticker's unbind and rmmod;
#   edu-uffd        calls stalled on userfaultfd pages during the unplug,
#                   which must still finish within 5 s.
#
# A run fails on a failed cycle (a wrong answer, an errno no removed device
# may return, a hang), on any kernel report in the guest's log
# (scripts/kernel-reports: KASAN, lockdep, WARN, BUG, DMA-API, IOMMU
# fault, kmemleak, hung task), and on the debug kernel if edu's DMA was
# not translated by the IOMMU.

set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$SAFE_ROOT/scripts/qemu-lib.sh"
. "$SAFE_ROOT/scripts/vm.sh"

[ $# -gt 0 ] || set -- $SAFE_KERNELS
cycles=${SAFE_VM_CYCLES:-50}
threads=${SAFE_VM_THREADS:-4}
tcycles=${SAFE_VM_TICKER_CYCLES:-50}
hcycles=${SAFE_VM_HOSTILE_CYCLES:-50}
status=0

# run KERNEL BUILD LOGDIR SCENARIO "ARGS" CYCLES MODULE...: one boot, one
# result line.
run() {
	local kernel=$1 build=$2 dir=$3 scenario=$4 args=$5 want=$6 log t0 rc line bad
	shift 6
	log=$dir/$scenario.log
	t0=$(date +%s)
	vm_run "$kernel" "$build" "$log" "$scenario" "$args" "$@"
	rc=$?
	line=$(grep -o '@@RESULT cycles=[0-9]* failures=[0-9]*' "$log" | tail -n1)
	bad=$(vm_log_reports "$log")
	if [ "$rc" -eq 0 ] && [ "$line" = "@@RESULT cycles=$want failures=0" ] &&
	   [ -z "$bad" ]; then
		result PASS "vm/$kernel/$scenario-$want"
	else
		say "  $scenario: exit $rc, ${line:-no result line}; guest log $log:"
		{
			grep -E 'FAILED|complaints|kmemleak suspects|demo:   |vm:|not done|edu-vm' "$log" |
				grep -Ev '^dmesg: |demo:   hostile-load: [a-z]'
			[ -z "$bad" ] || printf '%s\n' "$bad"
		} | head -n 30 | sed 's/^/    /' >&2
		result FAIL "vm/$kernel/$scenario-$want"
		status=1
	fi
	say "  $scenario: $(( $(date +%s) - t0 ))s"
}

for kernel in "$@"; do
	dir=$(vm_dir)/logs/$kernel
	mkdir -p "$dir"
	t0=$(date +%s)
	if ! build=$(vm_build "$kernel"); then
		result FAIL "vm/$kernel/build"
		status=1
		continue
	fi
	say "  kernel and modules ready: $(( $(date +%s) - t0 ))s"

	run "$kernel" "$build" "$dir" edu-hotplug "$cycles $threads 60" "$cycles" \
		safe.ko examples/edu/edu.ko
	run "$kernel" "$build" "$dir" ticker-unbind "$tcycles $threads" "$tcycles" \
		safe.ko examples/ticker/safe_ticker.ko
	run "$kernel" "$build" "$dir" foreign-unload "" 1 \
		examples/edu-legacy/edu_legacy.ko safe.ko \
		tests/vm/foreign/safe_foreign.ko
	case $kernel in
	debug-*)
		run "$kernel" "$build" "$dir" edu-hostile "$hcycles 6 60" "$hcycles" \
			safe.ko examples/edu/edu.ko
		if ! grep -q 'vm: iommu: translating' "$dir/edu-hostile.log"; then
			say "  edu-hostile: no proof that the IOMMU translated edu's DMA"
			result FAIL "vm/$kernel/iommu-translates-edu"
			status=1
		else
			result PASS "vm/$kernel/iommu-translates-edu"
		fi
		run "$kernel" "$build" "$dir" ticker-hostile "$hcycles 6" "$hcycles" \
			safe.ko examples/ticker/safe_ticker.ko
		run "$kernel" "$build" "$dir" edu-uffd 5 1 \
			safe.ko examples/edu/edu.ko
		;;
	esac
done
exit $status
