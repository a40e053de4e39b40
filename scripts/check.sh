#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh - everything "make check" runs, in order, with one summary line
# at the end: "N passed, N failed, N skipped".  Each static check, build,
# compile-fail case and KUnit case counts once.
#
# SAFE_CHECK_ONLY="static docs oot compile-fail kunit context dma cocci vm sound"
# limits the steps; SAFE_CHECK_KERNELS="6.12 6.1 7.3" the kernels (scripts/lib.sh).

set -uo pipefail
. "$(dirname "$0")/lib.sh"

SAFE_RESULTS=$(mktemp)
export SAFE_RESULTS
trap 'rm -rf "$SAFE_RESULTS" "${qemu_dir:-}"' EXIT
t0=$(date +%s)

# The QEMU legs ("TITLE|SCRIPT ARGS..."), run in the background from the
# kernel sources step on: a TCG guest keeps one host CPU busy and leaves
# the other to the build steps, so one leg runs beside them, and two at a
# time once they are done ($qemu_dir/slots).  Each leg's output is printed
# whole at the end, in the order given (the longest first).
qemu_legs() {
	local i=0 item
	for item in "$@"; do
		while [ "$(jobs -rp | wc -l)" -ge "$(cat "$qemu_dir/slots")" ]; do
			sleep 2
		done
		# shellcheck disable=SC2086 # the arguments split on purpose
		bash "$SAFE_ROOT/scripts/"${item#*|} > "$qemu_dir/$i" 2>&1 &
		i=$((i + 1))
	done
	wait
}

qemu_legs_report() {
	local i=0 item
	for item in "$@"; do
		step "${item%%|*} (${item#*|})"
		cat "$qemu_dir/$i" >&2
		i=$((i + 1))
	done
}

want() {
	[ -z "${SAFE_CHECK_ONLY:-}" ] && return 0
	case " $SAFE_CHECK_ONLY " in *" $1 "*) return 0 ;; esac
	return 1
}

step() {
	say ""
	say "== $* ($(( $(date +%s) - t0 ))s)"
}

summary() {
	local p f s
	p=$(awk '$1 == "PASS" { n += $3 } END { print n + 0 }' "$SAFE_RESULTS")
	f=$(awk '$1 == "FAIL" { n += $3 } END { print n + 0 }' "$SAFE_RESULTS")
	s=$(awk '$1 == "SKIP" { n += $3 } END { print n + 0 }' "$SAFE_RESULTS")
	if [ "$f" -gt 0 ]; then
		say ""
		say "Failed:"
		awk '$1 == "FAIL" { print "  " $2 }' "$SAFE_RESULTS" >&2
	fi
	say ""
	say "make check took $(( $(date +%s) - t0 ))s"
	echo "$p passed, $f failed, $s skipped"
	[ "$f" -eq 0 ]
}

step "dependencies (Debian packages)"
if bash "$SAFE_ROOT/scripts/deps.sh" check; then
	result PASS deps
else
	result FAIL deps
	summary
	exit 1
fi

step "kernel sources (Debian linux-source, cached in $SAFE_CACHE)"
for k in $SAFE_KERNELS; do
	if "$SAFE_ROOT/scripts/kernel-src.sh" "$k" > /dev/null; then
		result PASS "source/$k"
	else
		result FAIL "source/$k"
	fi
done

legs=()
if want sound; then
	legs+=("ES1370 sound driver unplugged under playback and capture|check-sound.sh $SAFE_KERNELS debug-6.12")
fi
if want vm; then
	legs+=("hot-unplug torture in QEMU on debug-6.12|check-vm.sh debug-6.12")
fi
if want vm; then
	for k in $SAFE_KERNELS; do
		legs+=("hot-unplug torture in QEMU on $k|check-vm.sh $k")
	done
fi
if [ ${#legs[@]} -gt 0 ]; then
	qemu_dir=$(mktemp -d)
	echo 1 > "$qemu_dir/slots"
	qemu_legs "${legs[@]}" &
	qemu_pid=$!
fi

if want static; then
	step "checkpatch --strict, kernel-doc, Context:/Return: sections"
	bash "$SAFE_ROOT/scripts/static.sh"
	step "class table: __free() backfills are the newest kernel's definitions"
	bash "$SAFE_ROOT/scripts/compat-upstream.sh" \
		"$(printf '%s\n' $SAFE_KERNELS | sort -V | tail -n1)"
fi

if want docs; then
	step "every C example in Documentation/ and README.md compiles"
	bash "$SAFE_ROOT/scripts/doc-examples.sh"
fi

if want oot; then
	for k in $SAFE_KERNELS; do
		step "out-of-tree builds against Debian linux-headers-$k (W=1, C=2)"
		bash "$SAFE_ROOT/scripts/oot.sh" "$k"
	done
fi

if want compile-fail; then
	for k in $SAFE_KERNELS; do
		step "compile-fail tests, gcc, linux-headers-$k"
		bash "$SAFE_ROOT/scripts/compile-fail.sh" oot "$k"
	done
fi

if want kunit; then
	for cfg in "6.12 gcc" "6.1 gcc" "7.3 gcc" "6.12 clang"; do
		set -- $cfg
		case " $SAFE_KERNELS " in *" $1 "*) ;; *) continue ;; esac
		step "KUnit on UML, linux-source-$1, $2"
		bash "$SAFE_ROOT/scripts/kunit-result.sh" "$1" "$2"
		if [ "$2" = clang ]; then
			step "compile-fail tests, clang, in the linux-source-$1 tree"
			bash "$SAFE_ROOT/scripts/compile-fail.sh" tree \
				"$(source_dir "$1")" "$SAFE_CACHE/kunit/$1-$2" \
				"$1-tree" ARCH=um LLVM=1
		fi
	done
fi

if want context; then
	step "Clang 23 context analysis over lib, tests and examples, linux-source-7.3"
	bash "$SAFE_ROOT/scripts/check-context.sh" 7.3
fi

if want dma; then
	for k in $SAFE_KERNELS; do
		step "KUnit on x86_64 in QEMU (owned DMA buffers, DMA-API debug), linux-source-$k"
		bash "$SAFE_ROOT/scripts/check-dma.sh" "$k"
	done
fi

if want cocci && [ -f "$SAFE_ROOT/scripts/check-cocci.sh" ]; then
	step "Coccinelle rules: input/expected pairs, idempotence, edu-migrated"
	bash "$SAFE_ROOT/scripts/check-cocci.sh"
fi

if [ ${#legs[@]} -gt 0 ]; then
	step "QEMU legs: ${#legs[@]}, started after the kernel sources, two at a time now"
	echo 2 > "$qemu_dir/slots"
	wait "$qemu_pid"
	qemu_legs_report "${legs[@]}"
fi

summary
