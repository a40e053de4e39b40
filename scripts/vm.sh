# SPDX-License-Identifier: GPL-2.0
#
# Building and booting the test VMs: a kernel in QEMU, a busybox initramfs
# with safe's modules, the examples and the load tools, and one guest
# scenario from tests/vm/.  Source after lib.sh and qemu-lib.sh.
#
# A VM kernel is named by a Debian series ("6.12", "6.1", "7.3": Debian's
# real image, modules built against its linux-headers, QEMU's pc machine) or by
# "debug-SERIES" (the debug kernel scripts/debug-kernel.sh builds from
# linux-source-SERIES: KASAN, lockdep, DMA-API debug, kmemleak, booted on
# q35 with an intel-iommu translating the edu device's DMA).

# vm_kernel NAME: set vm_kdir (the tree modules build against, with
# vm_make), vm_image (what QEMU boots) and vm_qemu (edu-vm.py's machine
# options) for NAME.
vm_kernel() {
	case $1 in
	debug-*)
		vm_kdir=$(bash "$SAFE_ROOT/scripts/debug-kernel.sh" "${1#debug-}") || return 1
		vm_image=$vm_kdir/arch/x86/boot/bzImage
		# loglevel=5: warnings (lockdep, WARN) reach the console too.
		# A soft lockup panics at once and prints every task's stack,
		# the locks each holds and every CPU's backtrace
		# (panic_print=0x49): a stuck run ends in seconds, not at the
		# VM's timeout, and its log says who holds what.
		vm_qemu=(--machine q35-iommu --memory 1024 --icount --append
			 "loglevel=5 softlockup_panic=1 panic_print=0x49")
		;;
	*)
		vm_kdir=$(headers_dir "$1") || return 1
		vm_image=$(kernel_image "$1") || return 1
		vm_qemu=(--machine pc)
		;;
	esac
}

# vm_make NAME MAKE-ARGS...: make for modules of VM kernel NAME: the debug
# kernel's tree was built here; Debian's headers may need Debian's
# compiler, in a chroot (kernel_make).
vm_make() {
	local name=$1
	shift
	case $name in
	debug-*) make "$@" ;;
	*) kernel_make "$name" "$@" ;;
	esac
}

# vm_dir: where this checkout's VM builds and logs go.  One directory per
# checkout, so runs from several worktrees at once do not mix their files.
vm_dir() {
	echo "$SAFE_CACHE/vm/$(printf '%s' "$SAFE_ROOT" | cksum | cut -d' ' -f1)"
}

# vm_build NAME: safe.ko, every example module and every test module
# (tests/vm/*/Kbuild) built for VM kernel NAME, plus the static load tools
# (examples/*-load/*.c, tests/vm/*.c), into $(vm_dir)/NAME.  Prints that
# directory.
vm_build() {
	local name=$1 out d c t
	vm_kernel "$name" || die "no kernel to build against for $name"
	out=$(vm_dir)/$name
	mkdir -p "$out"
	exec 8> "$out/.lock"
	flock 8
	rsync -a --delete --exclude .git --exclude .safe --exclude '*.o' \
		--exclude '*.ko' --exclude '.*.cmd' "$SAFE_ROOT/" "$out/src/" >&2
	vm_make "$name" -C "$vm_kdir" M="$out/src" modules > "$out/build.log" 2>&1 ||
		{ tail -n 30 "$out/build.log" >&2; die "building safe.ko for $name"; }
	for d in "$out"/src/examples/*/ "$out"/src/tests/vm/*/; do
		[ -f "$d/Kbuild" ] || continue
		vm_make "$name" -C "$vm_kdir" M="$d" \
			KBUILD_EXTRA_SYMBOLS="$out/src/Module.symvers" modules \
			>> "$out/build.log" 2>&1 ||
			{ tail -n 30 "$out/build.log" >&2; die "building $d for $name"; }
	done
	# Another leg may be copying the tools into its guest right now
	# (scripts/check.sh runs two at once): replace each in one rename.
	mkdir -p "$out/tools"
	for c in "$out"/src/examples/*-load/*.c "$out"/src/tests/vm/*.c; do
		[ -f "$c" ] || continue
		t=$out/tools/$(basename "$c" .c)
		gcc -O2 -Wall -static -pthread -o "$t.new" \
			"$c" >> "$out/build.log" 2>&1 && mv -f "$t.new" "$t" ||
			{ tail -n 30 "$out/build.log" >&2; die "building $c"; }
	done
	echo "$out"
}

# vm_log_reports LOG: the kernel reports in a VM's serial log, each once
# (without the guest's own "demo:" echo and "dmesg:" dump of them).
vm_log_reports() {
	grep -Ev '^(dmesg|demo): ' "$1" | kernel_reports
}

# vm_initramfs BUILD INITRD SCENARIO "ARGS" MODULE... : the initramfs of
# a run of SCENARIO, with tests/vm/lib.sh, scripts/kernel-reports, the
# load tools and the MODULEs, loaded in the order given.  A MODULE is a
# path relative to BUILD/src, or an absolute path.
vm_initramfs() {
	local build=$1 initrd=$2 scenario=$3 args=$4 root m
	shift 4
	root=$(mktemp -d)
	mkdir -p "$root/files"
	cp "$SAFE_ROOT/tests/vm/lib.sh" "$root/files/lib.sh"
	cp "$SAFE_ROOT/scripts/kernel-reports" "$root/files/kernel-reports"
	cp "$SAFE_ROOT/tests/vm/$scenario" "$root/files/scenario"
	echo "$args" > "$root/files/args"
	: > "$root/files/modules"
	for m in "$@"; do
		case $m in /*) ;; *) m=$build/src/$m ;; esac
		cp "$m" "$root/files/" || { rm -rf "$root"; return 1; }
		basename "$m" >> "$root/files/modules"
	done
	cp "$build"/tools/* "$root/files/"
	make_initramfs "$initrd" "$SAFE_ROOT/tests/vm/init" "$root"/files/*
	rm -rf "$root"
}

# vm_run NAME BUILD LOG SCENARIO "ARGS" MODULE... : boot VM kernel NAME and
# run SCENARIO (vm_initramfs) with an edu device (scripts/edu-vm.py).
# vm_boot_retry LOG CMD...: run CMD, a guest runner that writes LOG, and
# once more if the guest's kernel died before /init started (no "vm: init
# at" line: nothing of safe's had run).  Debian's kernels now and then die
# that early under TCG with two vCPUs ("Oops: int3" in code the kernel is
# patching at boot, seen on 6.12 and 7.3): QEMU's or the kernel's, not a
# result.  The first log is kept, and the retry is reported.
vm_boot_retry() {
	local log=$1 t
	shift
	"$@"
	t=$?
	if ! grep -q 'vm: init at' "$log" 2> /dev/null &&
	   grep -qE 'Kernel panic|Oops' "$log" 2> /dev/null; then
		mv "$log" "$log.boot1"
		say "  guest kernel died before /init ($(grep -m1 -oE 'Oops: [a-z0-9]+|Kernel panic' "$log.boot1")): booting again; first log $log.boot1"
		"$@"
		t=$?
	fi
	return $t
}

vm_run() {
	local name=$1 build=$2 log=$3 scenario=$4 args=$5 initrd t
	shift 5
	vm_kernel "$name" || die "no kernel image for $name"
	initrd=$(mktemp)
	vm_initramfs "$build" "$initrd" "$scenario" "$args" "$@" ||
		{ rm -f "$initrd"; return 1; }
	vm_boot_retry "$log" python3 "$SAFE_ROOT/scripts/edu-vm.py" --kernel "$vm_image" \
		--initrd "$initrd" --log "$log" --timeout "${SAFE_VM_TIMEOUT:-900}" \
		"${vm_qemu[@]}" ${SAFE_VM_PROGRESS:+--progress}
	t=$?
	rm -f "$initrd"
	return $t
}
