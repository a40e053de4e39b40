# SPDX-License-Identifier: GPL-2.0
#
# Helpers to boot Debian's real kernels in QEMU with a busybox initramfs.
# Source after lib.sh.

# Image package for a series, resolved from Debian's metapackages.
image_pkg() {
	local hdr
	hdr=$(headers_pkg "$1")
	[ -n "$hdr" ] || return 1
	echo "${hdr/linux-headers-/linux-image-}-unsigned"
}

# kernel_image SERIES: path of a bootable vmlinuz for the series whose
# headers we build against.  Uses /boot when it matches, else unpacks the
# image package into the cache (apt-get download; no install needed).
kernel_image() {
	local series=$1 kdir rel pkg dir
	kdir=$(headers_dir "$series") || return 1
	rel=$(basename "$kdir")
	rel=${rel#linux-headers-}
	if [ -f "/boot/vmlinuz-$rel" ]; then
		echo "/boot/vmlinuz-$rel"
		return 0
	fi
	dir=$SAFE_CACHE/image/$rel
	if [ ! -f "$dir/vmlinuz" ]; then
		pkg="linux-image-$rel-unsigned"
		mkdir -p "$dir" "$SAFE_CACHE/deb"
		(cd "$SAFE_CACHE/deb" && { ls "${pkg}"_*.deb >/dev/null 2>&1 ||
			apt-get download "$pkg" >&2; }) || return 1
		rm -rf "$dir/x"
		dpkg -x "$(ls "$SAFE_CACHE"/deb/"${pkg}"_*.deb | sort -V | tail -n1)" "$dir/x"
		cp "$dir/x/boot/vmlinuz-$rel" "$dir/vmlinuz"
		rm -rf "$dir/x"
	fi
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
