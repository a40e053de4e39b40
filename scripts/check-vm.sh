#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-vm.sh [SERIES...] - hot-unplug torture on Debian's real kernels
# ($SAFE_KERNELS by default) in QEMU:
#
#   edu-hotplug    examples/edu under edu-load: $SAFE_VM_CYCLES (50)
#                  device_del/device_add cycles with $SAFE_VM_THREADS (4)
#                  threads doing factorial and checked DMA round trips;
#   ticker-unbind  examples/ticker unbound and rebound through sysfs
#                  $SAFE_VM_TICKER_CYCLES (20) times under ticker-load.
#
# A cycle fails if a user saw a wrong answer, an error other than ENODEV,
# no ENODEV at all, or hung; the run fails on any failed cycle and on any
# oops, WARN, BUG, lockdep or hung-task line in the guest's kernel log.

set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$SAFE_ROOT/scripts/qemu-lib.sh"
. "$SAFE_ROOT/scripts/vm.sh"

[ $# -gt 0 ] || set -- $SAFE_KERNELS
cycles=${SAFE_VM_CYCLES:-50}
threads=${SAFE_VM_THREADS:-4}
tcycles=${SAFE_VM_TICKER_CYCLES:-20}
status=0

# verdict NAME LOG RC EXPECTED_CYCLES
verdict() {
	local name=$1 log=$2 rc=$3 want=$4 line
	line=$(grep -o '@@RESULT cycles=[0-9]* failures=[0-9]*' "$log" | tail -n1)
	if [ "$rc" -eq 0 ] && [ "$line" = "@@RESULT cycles=$want failures=0" ]; then
		result PASS "$name"
	else
		say "  $name: exit $rc, ${line:-no result line}; guest log $log:"
		grep -E 'FAILED|complaints|demo:   |vm:' "$log" | head -n 20 | sed 's/^/    /' >&2
		result FAIL "$name"
		status=1
	fi
}

for series in "$@"; do
	log=$SAFE_CACHE/vm/logs/$series
	mkdir -p "$log"
	if ! build=$(vm_build "$series"); then
		result FAIL "vm/$series/build"
		status=1
		continue
	fi

	t0=$(date +%s)
	vm_run "$series" "$build" "$log/edu-hotplug.log" edu-hotplug \
		"$cycles $threads 60" safe.ko examples/edu/edu.ko
	verdict "vm/$series/edu-hotplug-${cycles}x$threads" "$log/edu-hotplug.log" $? "$cycles"
	say "  $(( $(date +%s) - t0 ))s"

	t0=$(date +%s)
	vm_run "$series" "$build" "$log/ticker-unbind.log" ticker-unbind \
		"$tcycles $threads" safe.ko examples/ticker/safe_ticker.ko
	verdict "vm/$series/ticker-unbind-${tcycles}x$threads" "$log/ticker-unbind.log" $? "$tcycles"
	say "  $(( $(date +%s) - t0 ))s"
done
exit $status
