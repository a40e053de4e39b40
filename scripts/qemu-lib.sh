# SPDX-License-Identifier: GPL-2.0
#
# Helpers to boot Debian's real kernels in QEMU with a busybox initramfs.
# Source after lib.sh.

# kernel_image SERIES: path of a bootable vmlinuz for the series whose
# headers we build against.  Uses /boot when it matches, else unpacks the
# image package into the cache, no install needed: the host's own suite's
# -unsigned package with apt-get download, another suite's with
# scripts/debian-pkg.sh (trixie-backports' 7.3 has only the signed
# linux-image, whose vmlinuz is in linux-binary-REL, under
# /usr/lib/modules).
kernel_image() {
	local series=$1 kdir rel dir suite
	kdir=$(headers_dir "$series") || return 1
	rel=$(basename "$kdir")
	rel=${rel#linux-headers-}
	if [ -f "/boot/vmlinuz-$rel" ]; then
		echo "/boot/vmlinuz-$rel"
		return 0
	fi
	dir=$SAFE_CACHE/image/$rel
	suite=$(kernel_suite "$series") || return 1
	mkdir -p "$dir" "$SAFE_CACHE/deb" "$SAFE_CACHE/locks"
	(
		flock 7
		[ -f "$dir/vmlinuz" ] && exit 0
		rm -rf "$dir/x"
		if [ "$suite" = host ]; then
			pkg="linux-image-$rel-unsigned"
			(cd "$SAFE_CACHE/deb" && { ls "${pkg}"_*.deb >/dev/null 2>&1 ||
				apt-get download "$pkg" >&2; }) || exit 1
			dpkg -x "$(ls "$SAFE_CACHE"/deb/"${pkg}"_*.deb | sort -V | tail -n1)" "$dir/x"
		else
			pkgs=("linux-image-$rel")
			bash "$SAFE_ROOT/scripts/debian-pkg.sh" "$suite" version \
				"linux-binary-$rel" > /dev/null 2>&1 &&
				pkgs+=("linux-binary-$rel")
			bash "$SAFE_ROOT/scripts/debian-pkg.sh" "$suite" unpack "$dir/x" \
				"${pkgs[@]}" > /dev/null || exit 1
		fi
		for f in "$dir/x/boot/vmlinuz-$rel" "$dir/x/usr/lib/modules/$rel/vmlinuz"; do
			[ -f "$f" ] && cp "$f" "$dir/vmlinuz" && break
		done
		rm -rf "$dir/x"
		[ -f "$dir/vmlinuz" ]
	) 7> "$SAFE_CACHE/locks/image-$rel" || return 1
	echo "$dir/vmlinuz"
}

# make_initramfs OUT.cpio.gz INIT-SCRIPT FILE... : busybox, the init script
# and the given files (copied to /lib/safe/ inside).
make_initramfs() {
	local out=$1 init=$2 root f
	shift 2
	root=$(mktemp -d)
	mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,lib/safe}
	cp /bin/busybox "$root/bin/busybox"
	for f in sh mount insmod rmmod dmesg cat echo sleep poweroff grep timeout head \
		 tail ls mkdir lsmod uname seq wc kill printf sed awk readlink basename; do
		ln -s busybox "$root/bin/$f"
	done
	cp "$init" "$root/init"
	chmod +x "$root/init"
	for f in "$@"; do
		cp "$f" "$root/lib/safe/"
	done
	(cd "$root" && find . | cpio -o -H newc --quiet) | gzip -1 > "$out"
	rm -rf "$root"
}

# run_qemu KERNEL INITRD LOG TIMEOUT [extra qemu args]: boot, print the
# serial console to LOG.  TCG: Debian's bzImage fails under KVM here.
run_qemu() {
	local kernel=$1 initrd=$2 log=$3 t=$4
	shift 4
	timeout "$t" qemu-system-x86_64 -m 512 -smp 2 -nographic -no-reboot \
		-accel tcg -cpu max -kernel "$kernel" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 oops=panic loglevel=4" \
		"$@" > "$log" 2>&1
}
