# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers for the safe build, check, bench and demo scripts.
# Source it; do not run it.

export LC_ALL=C LANG=C
SAFE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SAFE_CACHE=${SAFE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/safe}
SAFE_JOBS=${SAFE_JOBS:-$(nproc)}
mkdir -p "$SAFE_CACHE"

# Kernels we test on: Debian's 6.1 LTS and 6.12 LTS.
SAFE_KERNELS=${SAFE_KERNELS:-"6.12 6.1"}

say() { printf '%s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# Results: one line per check in $SAFE_RESULTS, "PASS|FAIL|SKIP name [count]".
# A count lets one line stand for many KUnit cases.
result() {
	local verdict=$1 name=$2 count=${3:-1}
	[ -n "${SAFE_RESULTS:-}" ] && printf '%s %s %s\n' "$verdict" "$name" "$count" >> "$SAFE_RESULTS"
	case $verdict in
	PASS) say "  ok    $name${3:+ ($count)}" ;;
	FAIL) say "  FAIL  $name${3:+ ($count)}" ;;
	SKIP) say "  skip  $name${3:+ ($count)}" ;;
	esac
}

# Serialise heavy builds of one tree between concurrent runs.
with_lock() {
	local name=$1
	shift
	mkdir -p "$SAFE_CACHE/locks"
	flock "$SAFE_CACHE/locks/$name" "$@"
}

# Headers directory for a Debian kernel series ("6.1" or "6.12").
headers_pkg() {
	case $1 in
	6.1) apt-cache depends linux-headers-amd64 2>/dev/null |
		sed -n 's/.*Depends: \(linux-headers-6\.1\.[0-9.-]*-amd64\)$/\1/p' | head -n1 ;;
	6.12) apt-cache depends linux-headers-6.12-amd64 2>/dev/null |
		sed -n 's/.*Depends: \(linux-headers-6\.12\.[0-9a-z.+-]*-amd64\)$/\1/p' | head -n1 ;;
	esac
}

headers_dir() {
	local d
	# Prefer what is installed; newest first.
	case $1 in
	6.1) d=$(ls -d /usr/src/linux-headers-6.1.*-amd64 2>/dev/null | sort -V | tail -n1) ;;
	6.12) d=$(ls -d /usr/src/linux-headers-6.12.*-amd64 2>/dev/null | sort -V | tail -n1) ;;
	esac
	[ -n "$d" ] && [ -f "$d/Makefile" ] || return 1
	echo "$d"
}

# Unpacked Debian linux-source tree for a series, in the cache.
source_dir() {
	echo "$SAFE_CACHE/src/linux-source-$1"
}

# kernel_reports [FILE...]: the lines of a kernel log (FILE, or stdin) that
# are kernel reports, as scripts/kernel-reports defines them.  Succeeds
# when there is at least one.
kernel_reports() {
	local defs=$SAFE_ROOT/scripts/kernel-reports
	grep -Ef <(sed -n 's/^report //p' "$defs") "$@" |
		grep -vEf <(sed -n 's/^ignore //p' "$defs")
}
