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

# Kernel log lines that mean something went wrong.
complaints() {
	dmesg | grep -E 'WARNING:|BUG:|Oops|general protection|Kernel panic|KASAN|possible (recursive|circular) locking|INFO: task .* blocked|Call Trace|unable to handle'
}
