# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the guest scenarios (busybox sh).

# wait_for PATH present|absent [TENTHS]: poll, default 30 s.
wait_for() {
	_n=${3:-300}
	while [ "$_n" -gt 0 ]; do
		if [ "$2" = present ]; then
			[ -e "$1" ] && return 0
		else
			[ -e "$1" ] || return 0
		fi
		sleep 0.1
		_n=$((_n - 1))
	done
	return 1
}

# Kernel log lines that are reports, as scripts/kernel-reports (copied to
# /lib/safe) defines them.
complaints() {
	sed -n 's/^report //p' /lib/safe/kernel-reports > /tmp/report.re
	sed -n 's/^ignore //p' /lib/safe/kernel-reports > /tmp/ignore.re
	dmesg | grep -Ef /tmp/report.re | grep -vEf /tmp/ignore.re
}

# kmemleak_report: scan for leaks now and print the suspects; fails when
# the kernel has no kmemleak.
kmemleak_report() {
	[ -w /sys/kernel/debug/kmemleak ] || return 1
	echo scan > /sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak
}

# check_kernel_log: the verdict every scenario ends with.  Prints the
# reports, if any, and fails then.
check_kernel_log() {
	_bad=0
	if kmemleak_report > /tmp/leaks && [ -s /tmp/leaks ]; then
		echo "demo: kmemleak suspects:"
		head -n 20 /tmp/leaks | sed 's/^/demo:   /'
		_bad=1
	fi
	if complaints > /tmp/complaints; then
		echo "demo: kernel log has complaints:"
		head -n 12 /tmp/complaints | sed 's/^/demo:   /'
		# The whole story, for the log on the host.
		dmesg | tail -n 600 | sed 's/^/dmesg: /'
		_bad=1
	fi
	[ "$_bad" -eq 0 ] || return 1
	echo "demo: kernel log clean: the kernel's checkers reported nothing"
}

# wait_open PATH [TENTHS]: until some process has PATH open (a load has
# started), at most TENTHS/10 s (default 60 s).  Sleeping a fixed time
# instead lost the race on a slow guest: the device went before the load
# opened it, and the load failed with ENOENT.
wait_open() {
	_n=${2:-600}
	while [ "$_n" -gt 0 ]; do
		ls -l /proc/[0-9]*/fd 2>/dev/null | grep -q " -> $1\$" && return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	return 1
}

# wait_exit PID TENTHS: wait for PID to exit, at most TENTHS/10 s.  Returns
# its exit status, or 255 if it is still running: a task stuck in the
# kernel cannot be killed, and a plain "wait" would hang the guest.
wait_exit() {
	_n=$2
	while kill -0 "$1" 2> /dev/null; do
		[ "$_n" -gt 0 ] || return 255
		sleep 0.1
		_n=$((_n - 1))
	done
	wait "$1"
}

# edu_dev: the sysfs directory of the edu PCI device; fails when there is
# none (unplugged, or removed).
edu_dev() {
	for _d in /sys/bus/pci/devices/*; do
		[ "$(cat "$_d/vendor" 2> /dev/null)" = 0x1234 ] &&
			[ "$(cat "$_d/device" 2> /dev/null)" = 0x11e8 ] &&
			{ echo "$_d"; return 0; }
	done
	return 1
}

# now_cs: centiseconds since boot (no fork: the guest is slow enough).
now_cs() {
	read -r _up _idle < /proc/uptime
	_up=${_up%.*}${_up#*.}
	while [ "${_up#0}" != "$_up" ] && [ "${#_up}" -gt 1 ]; do
		_up=${_up#0}
	done
	echo "$_up"
}

# secs CENTISECONDS: "1.23"
secs() {
	printf '%d.%02d\n' $(($1 / 100)) $(($1 % 100))
}

# wait_gone DIR TENTHS: wait for the sysfs directory DIR of a device to go
# (its driver unbound, the device deleted).  Prints how long that took in
# centiseconds; fails if it is still there after TENTHS/10 s.
wait_gone() {
	_t0=$(now_cs)
	while [ -e "$1" ]; do
		if [ $(($(now_cs) - _t0)) -ge $(($2 * 10)) ]; then
			echo $(($(now_cs) - _t0))
			return 1
		fi
		sleep 0.05
	done
	echo $(($(now_cs) - _t0))
}

# iommu_proof: show that the edu device's DMA goes through an IOMMU that
# translates: its IOMMU group's default domain does DMA translation, and
# its coherent buffer (DMA-API debug's list of mappings) has a bus
# address other than its physical one.  Prints "vm: iommu: translating:
# ..." then; fails otherwise.
iommu_proof() {
	_d=$(edu_dev) || { echo "vm: iommu: no edu device"; return 1; }
	_dev=${_d##*/}
	if [ ! -e "$_d/iommu_group" ]; then
		echo "vm: iommu: $_dev has no IOMMU group"
		return 1
	fi
	_type=$(cat "$_d/iommu_group/type")
	# An open file too, should the driver map buffers per open.
	exec 4<> /dev/edu
	_map=$(grep "^edu $_dev coherent" /sys/kernel/debug/dma-api/dump | head -n 1)
	exec 4<&-
	_p=$(echo "$_map" | sed -n 's/.* P=\(0x[0-9a-f]*\) .*/\1/p')
	_b=$(echo "$_map" | sed -n 's/.* D=\([0-9a-f]*\) .*/\1/p')
	dmesg | grep -m1 'DMAR: Intel(R) Virtualization' | sed 's/^/vm: iommu: /'
	case $_type in
	DMA|DMA-FQ) ;;
	*) echo "vm: iommu: $_dev: domain type $_type, not translating"; return 1 ;;
	esac
	if [ -z "$_p" ] || [ -z "$_b" ] || [ $((_p)) -eq $((0x$_b)) ]; then
		echo "vm: iommu: $_dev: no coherent mapping with a translated address ($_map)"
		return 1
	fi
	echo "vm: iommu: translating: $_dev, group $(basename "$(readlink "$_d/iommu_group")") type $_type, coherent buffer phys $_p at bus address 0x$_b"
}
