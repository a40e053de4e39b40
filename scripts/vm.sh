# SPDX-License-Identifier: GPL-2.0
#
# Building and booting the test VMs: Debian's real kernel in QEMU, a
# busybox initramfs with safe's modules, the examples and the load tools,
# and one guest scenario from tests/vm/.  Source after lib.sh and
# qemu-lib.sh.

# vm_build SERIES: safe.ko and every example module built against the
# Debian headers of SERIES, plus the static load tools, into
# $SAFE_CACHE/vm/SERIES.  Prints that directory.
vm_build() {
	local series=$1 kdir out d
	kdir=$(headers_dir "$series") || die "no linux-headers for $series"
	out=$SAFE_CACHE/vm/$series
	mkdir -p "$out"
	rsync -a --delete --exclude .git --exclude .safe --exclude '*.o' \
		--exclude '*.ko' --exclude '.*.cmd' "$SAFE_ROOT/" "$out/src/" >&2
	make -C "$kdir" M="$out/src" modules > "$out/build.log" 2>&1 ||
		{ tail -n 30 "$out/build.log" >&2; die "building safe.ko for $series"; }
	for d in "$out"/src/examples/*/; do
		[ -f "$d/Kbuild" ] || continue
		make -C "$kdir" M="$d" \
			KBUILD_EXTRA_SYMBOLS="$out/src/Module.symvers" modules \
			>> "$out/build.log" 2>&1 ||
			{ tail -n 30 "$out/build.log" >&2; die "building $d for $series"; }
	done
	for t in edu-load ticker-load; do
		[ -f "$out/src/examples/$t/$t.c" ] || continue
		gcc -O2 -Wall -static -pthread -o "$out/$t" \
			"$out/src/examples/$t/$t.c" >> "$out/build.log" 2>&1 ||
			{ tail -n 30 "$out/build.log" >&2; die "building $t"; }
	done
	echo "$out"
}

# vm_run SERIES BUILD LOG SCENARIO "ARGS" MODULE... : boot and run.
# MODULEs are paths relative to BUILD/src; they are loaded in order.
vm_run() {
	local series=$1 build=$2 log=$3 scenario=$4 args=$5 root image m t
	shift 5
	root=$(mktemp -d)
	mkdir -p "$root/files"
	cp "$SAFE_ROOT/tests/vm/lib.sh" "$root/files/lib.sh"
	cp "$SAFE_ROOT/tests/vm/$scenario" "$root/files/scenario"
	echo "$args" > "$root/files/args"
	: > "$root/files/modules"
	for m in "$@"; do
		cp "$build/src/$m" "$root/files/"
		basename "$m" >> "$root/files/modules"
	done
	for t in edu-load ticker-load; do
		[ -f "$build/$t" ] && cp "$build/$t" "$root/files/"
	done
	make_initramfs "$root/initrd.gz" "$SAFE_ROOT/tests/vm/init" "$root"/files/*
	image=$(kernel_image "$series") || die "no kernel image for $series"
	python3 "$SAFE_ROOT/scripts/edu-vm.py" --kernel "$image" \
		--initrd "$root/initrd.gz" --log "$log" --timeout "${SAFE_VM_TIMEOUT:-900}" \
		${SAFE_VM_PROGRESS:+--progress}
	t=$?
	rm -rf "$root"
	return $t
}
