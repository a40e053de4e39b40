#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deps.sh [check|demo|bench|migrate] - install the Debian packages a target
# needs.  Idempotent: installs nothing when everything is present.

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

for k in $SAFE_KERNELS; do
	headers_dir "$k" >/dev/null || die "headers for $k still missing"
done
