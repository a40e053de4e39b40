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
