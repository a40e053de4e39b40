#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-sound.sh [--compare] [KERNEL...] - examples/es1370, the ALSA driver
# written with safe, hot-unplugged under load in QEMU on the VM kernels of
# scripts/vm.sh: Debian's real kernels ($SAFE_KERNELS by default) with
# Debian's own ALSA modules, and the debug kernel ("debug-6.12": KASAN,
# lockdep, PROVE_RCU, DMA-API debug, kmemleak, the card's DMA translated
# by an intel-iommu) with the ALSA core built in:
#
#   wav-check          scripts/wav-check.py against WAVs made to pass and
#                      to fail (scripts/wav-check-test.py);
#   es1370-hotplug     tests/vm/es1370-hotplug: the tone, then
#                      $SAFE_SOUND_CYCLES (50) unplugs during playback and
#                      as many during capture, each followed by a replug
#                      and a clean replay, then rmmod; every stream must
#                      end with an error code, the unbind must not wait
#                      for user space, a ring mapping must fault after it,
#                      and the kernel log must hold no report
#                      (scripts/kernel-reports, kmemleak);
#   tone, final-tone   scripts/wav-check.py on what QEMU recorded before
#                      the first unplug and after the last replug.
#
# --compare runs the same scenario against Debian's snd-ens1370 as well,
# without counting its outcome (STRICT=0, 3 s wait), and prints both
# summaries side by side, with the drivers' sizes (on Debian's kernels).
# Guest logs, WAVs and summaries are kept in $(vm_dir)/logs/KERNEL/.

set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$SAFE_ROOT/scripts/qemu-lib.sh"
. "$SAFE_ROOT/scripts/vm.sh"
. "$SAFE_ROOT/scripts/sound-vm.sh"

compare=0
if [ "${1:-}" = --compare ]; then
	compare=1
	shift
fi
[ $# -gt 0 ] || set -- $SAFE_KERNELS
cycles=${SAFE_SOUND_CYCLES:-50}
limit=60
status=0

# sound_run KERNEL BUILD NAME "ARGS" MODULE...: run the scenario; sets
# $log.  Fails on a failed run or a kernel report in the guest's log.
sound_run() {
	local kernel=$1 build=$2 name=$3 args=$4 rc bad
	shift 4
	log=$(vm_dir)/logs/$kernel/sound-$name
	rm -f "$log".{log,wav,marks,summary}
	sound_vm_run "$kernel" "$build" "$log.log" "$log.wav" "$log.marks" \
		es1370-hotplug "$args" "$@"
	rc=$?
	python3 "$SAFE_ROOT/scripts/sound-summary.py" "$log.log" \
		"$kernel, $name" > "$log.summary"
	bad=$(vm_log_reports "$log.log")
	if [ -n "$bad" ]; then
		printf '  kernel report: %s\n' "$bad" | head -n 10 >&2
		echo "  host: kernel reports in the log: $(printf '%s\n' "$bad" | wc -l)" \
			>> "$log.summary"
		rc=1
	fi
	return $rc
}

# tone NAME LOG START END SECONDS: the recorded tone between two marks.
tone() {
	local out
	if out=$(python3 "$SAFE_ROOT/scripts/wav-check.py" "$2.wav" \
		 --marks "$2.marks" --start "$3" --end "$4" --min-seconds "$5" \
		 --label "$1"); then
		say "  $out"
		result PASS "$1"
	else
		say "  $out"
		result FAIL "$1"
		status=1
	fi
}

if out=$(python3 "$SAFE_ROOT/scripts/wav-check-test.py"); then
	result PASS sound/wav-check "$(echo "$out" | grep -c '^ok')"
else
	printf '%s\n' "$out" | grep -v '^ok' >&2
	result FAIL sound/wav-check
	status=1
fi

for series in "$@"; do
	mkdir -p "$(vm_dir)/logs/$series"
	if ! build=$(vm_build "$series"); then
		result FAIL "sound/$series/build"
		status=1
		continue
	fi

	t0=$(date +%s)
	sound_run "$series" "$build" es1370 "$cycles $cycles $limit es1370 1" \
		$(sound_stack "$series" core) safe.ko examples/es1370/es1370.ko
	rc=$?
	line=$(grep -ao '@@RESULT cycles=[0-9]* failures=[0-9]*' "$log.log" | tail -n1)
	if [ "$rc" -eq 0 ] && [ "$line" = "@@RESULT cycles=$((2 * cycles)) failures=0" ]; then
		result PASS "sound/$series/es1370-hotplug-${cycles}+${cycles}"
	else
		say "  exit $rc, ${line:-no result line}; guest log $log.log:"
		grep -aE 'FAILED|complaints|demo:   |vm:|stuck' "$log.log" | head -n 20 | sed 's/^/    /' >&2
		result FAIL "sound/$series/es1370-hotplug-${cycles}+${cycles}"
		status=1
	fi
	tone "sound/$series/es1370-tone" "$log" tone-start tone-end 2.5
	tone "sound/$series/es1370-final-tone" "$log" final-start final-end 1.5
	sed 's/^/  /' "$log.summary" >&2
	say "  $(( $(date +%s) - t0 ))s"

	[ "$compare" -eq 1 ] || continue
	t0=$(date +%s)
	sound_run "$series" "$build" snd-ens1370 \
		"$cycles $cycles $limit snd_ens1370 0 3" \
		$(sound_stack "$series" core) $(sound_stack "$series" ens1370)
	python3 "$SAFE_ROOT/scripts/wav-check.py" "$log.wav" --marks "$log.marks" \
		--start tone-start --end tone-end --min-seconds 2.5 \
		--label "snd-ens1370 tone" >> "$log.summary"
	say ""
	say "Side by side on $series ($(( $(date +%s) - t0 ))s):"
	paste -d '|' "$(vm_dir)/logs/$series/sound-es1370.summary" \
		"$log.summary" | awk -F'|' '{ printf "  %-62s| %s\n", $1, $2 }' >&2
	# Sizes of Debian's builds: the debug kernel's carry KASAN's checks.
	case $series in debug-*) continue ;; esac
	mods=$(sound_modules "$series")
	src=$("$SAFE_ROOT/scripts/kernel-src.sh" "$series") &&
	python3 "$SAFE_ROOT/scripts/sound-size.py" \
		"es1370 (safe)=$build/src/examples/es1370/es1370.ko:$SAFE_ROOT/examples/es1370/es1370_main.c,$SAFE_ROOT/examples/es1370/es1370_hw.h" \
		"snd-ens1370=$mods/snd-ens1370.ko:$src/sound/pci/ens1370.c,$src/sound/pci/ak4531_codec.c" >&2
done
exit $status
