#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deps.sh [check|demo|bench|migrate] - install the Debian packages a target
# needs.  Idempotent: installs nothing when everything is present.  The
# host gets Debian 12 packages only; other suites' packages go to chroots
# in the cache (scripts/debian-pkg.sh).

set -euo pipefail
. "$(dirname "$0")/lib.sh"

what=${1:-check}

pkgs="build-essential bc bison flex libelf-dev libssl-dev cpio kmod rsync
	python3 perl gcc clang lld llvm sparse coccinelle qemu-system-x86
	busybox-static util-linux mmdebstrap"

have_all() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || return 1
	done
}

apt_install() {
	local sudo=
	[ "$(id -u)" = 0 ] || sudo=sudo
	# No initramfs for the kernel images pulled in by the headers: it
	# takes minutes and nothing here boots them from /boot with one.
	$sudo env DEBIAN_FRONTEND=noninteractive INITRD=No \
		apt-get install -y --no-install-recommends "$@" >&2
}

need=()
for p in $pkgs; do
	have_all "$p" || need+=("$p")
done

hdr=()
for k in $SAFE_KERNELS; do
	headers_dir "$k" >/dev/null && continue
	[ -z "$(kernel_chroot "$k")" ] || continue
	hdr+=("$k")
done

if [ ${#need[@]} -gt 0 ] || [ ${#hdr[@]} -gt 0 ]; then
	say "deps: installing ${need[*]:-} ${hdr[*]:+headers for ${hdr[*]}}"
	if [ "$(id -u)" = 0 ]; then
		apt-get update >&2 || true
	else
		sudo apt-get update >&2 || true
	fi
	[ ${#need[@]} -gt 0 ] && apt_install "${need[@]}"
	for k in "${hdr[@]}"; do
		p=$(headers_pkg "$k")
		[ -n "$p" ] || die "no Debian headers package found for $k"
		apt_install "$p"
	done
fi

# Debian's headers for a kernel built with a compiler the host lacks go
# into a chroot of the suite that has that compiler (scripts/lib.sh).
for k in $SAFE_KERNELS; do
	headers_dir "$k" >/dev/null && continue
	root=$(kernel_chroot "$k")
	[ -n "$root" ] || continue
	c=$(kernel_field "$k" 4)
	bash "$SAFE_ROOT/scripts/debian-pkg.sh" "${c%%:*}+$(kernel_suite "$k")" \
		chroot "${c#*:}" make sparse "$(headers_pkg "$k")" > /dev/null
done

# The sid chroot, for a sparse new enough for 7.x (and clang-23), with the
# same headers unpacked.
for k in $SAFE_KERNELS; do
	c=$(kernel_field "$k" 5)
	[ "$c" != - ] || continue
	abi=$(kernel_abi "$k")
	root=$(bash "$SAFE_ROOT/scripts/debian-pkg.sh" sid chroot "$c" $SAFE_SID_PACKAGES)
	bash "$SAFE_ROOT/scripts/debian-pkg.sh" "$(kernel_suite "$k")" unpack "$root" \
		"linux-headers-$abi-amd64" "linux-headers-$abi-common" \
		"linux-kbuild-$abi" > /dev/null
	# Debian's linux-kbuild lacks scripts/checker-valid.sh, without which
	# kbuild turns C=2 off; it is the same file as in linux-source.
	cv=$root/usr/lib/linux-kbuild-$abi/scripts/checker-valid.sh
	if [ ! -f "$cv" ]; then
		src=$(bash "$SAFE_ROOT/scripts/kernel-src.sh" "$k")
		install -m 755 "$src/scripts/checker-valid.sh" "$cv"
	fi
done

for k in $SAFE_KERNELS; do
	headers_dir "$k" >/dev/null || die "headers for $k still missing"
done
