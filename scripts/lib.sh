# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers for the safe build, check, bench and demo scripts.
# Source it; do not run it.

export LC_ALL=C LANG=C
SAFE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SAFE_CACHE=${SAFE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/safe}
SAFE_JOBS=${SAFE_JOBS:-$(nproc)}
mkdir -p "$SAFE_CACHE"

# Kernels we test on: Debian's 6.1 LTS and 6.12 LTS (Debian 12), and 7.3
# (trixie-backports).  "make check SAFE_CHECK_KERNELS=7.3" picks some.
SAFE_KERNELS=${SAFE_CHECK_KERNELS:-${SAFE_KERNELS:-"6.12 6.1 7.3"}}

# One row per kernel series:
#   series  the linux-source-SERIES package
#   suite   the Debian suite that has it; "host" is the machine's own
#	    (Debian 12), whose headers package apt installs
#   abi     Debian's ABI name of its headers and image packages, for a
#	    suite other than the host's
#   chroot  BASE:NAME, a chroot of Debian BASE made in the cache for
#	    out-of-tree builds against Debian's headers, where Debian built
#	    the kernel with a compiler the host lacks (7.3: gcc-14); "-"
#	    builds on the host
#   sparse  NAME of the chroot whose sparse the kernel accepts (7.3 wants
#	    __typeof_unqual__: sparse 0.6.5, sid's), for the C=2 builds; "-"
#	    is the same place as the other builds
# Adding a kernel is one row here (see README.md, "Adding a kernel").
SAFE_KERNEL_TABLE='
6.1	host			-		-			-
6.12	host			-		-			-
7.3	trixie-backports	7.3.4+deb13	trixie:trixie-kbuild	sid
'

# The sid chroot: sparse 0.6.5 and clang-23 (scripts/deps.sh makes it).
SAFE_SID_PACKAGES="make gcc-14 sparse dwarves bc bison flex libelf-dev
	libssl-dev python3 cpio kmod clang-23 lld-23 llvm-23"

kernel_field() {	# kernel_field SERIES COLUMN(2..5)
	printf '%s\n' "$SAFE_KERNEL_TABLE" |
		awk -v s="$1" -v c="$2" '$1 == s { print $c; found = 1 }
			END { exit !found }'
}
kernel_suite() { kernel_field "$1" 2; }
kernel_abi() { kernel_field "$1" 3; }

# The chroot for builds against SERIES's headers, or nothing.
kernel_chroot() {
	local c
	c=$(kernel_field "$1" 4) || return 1
	[ "$c" = - ] || echo "$SAFE_CACHE/chroot/${c#*:}"
}

# Run a command in a chroot, with this checkout, the cache, /dev, /proc and
# /tmp visible at their host paths (in a private mount namespace, so
# nothing stays mounted), in the current directory.
chroot_run() {	# chroot_run ROOT CMD...
	local root=$1
	shift
	unshare --mount --propagation private -- \
		/bin/bash -euc "$__safe_chroot_sh" _ "$root" "$PWD" "$@"
}
__safe_chroot_sh='
root=$1 cwd=$2
shift 2
for d in /dev /proc /tmp "$SAFE_ROOT" "$SAFE_CACHE"; do
	mkdir -p "$root$d"
	mount --bind "$d" "$root$d"
done
exec chroot "$root" /bin/sh -c "cd \"\$0\" && exec \"\$@\"" "$cwd" "$@"
'
export SAFE_ROOT SAFE_CACHE

# make for out-of-tree builds against SERIES's headers, in its chroot if
# it has one.
kernel_make() {	# kernel_make SERIES MAKE-ARGS...
	local root
	root=$(kernel_chroot "$1") || return 1
	shift
	if [ -n "$root" ]; then
		chroot_run "$root" make "$@"
	else
		make "$@"
	fi
}

# The chroot for SERIES's sparse (C=2) builds, or nothing.
kernel_sparse_chroot() {
	local c
	c=$(kernel_field "$1" 5) || return 1
	if [ "$c" = - ]; then
		kernel_chroot "$1"
	else
		echo "$SAFE_CACHE/chroot/$c"
	fi
}

# kernel_make for a sparse (C=1/C=2) build.  In a chroot other than the one
# Debian's toolchain lives in, pahole differs from the one the kernel was
# built with; that only matters for BTF, so its version check is told the
# local one.
kernel_make_sparse() {	# kernel_make_sparse SERIES MAKE-ARGS...
	local root c
	c=$(kernel_field "$1" 5) || return 1
	if [ "$c" = - ]; then
		kernel_make "$@"
		return
	fi
	root=$(kernel_sparse_chroot "$1")
	shift
	chroot_run "$root" sh -c 'make CONFIG_PAHOLE_VERSION=$(pahole --version |
		sed "s/^v//; s/\.//") "$@"' make "$@"
}

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

# Headers package for a Debian kernel series.
headers_pkg() {
	local abi
	abi=$(kernel_abi "$1") || return 1
	if [ "$abi" != - ]; then
		echo "linux-headers-$abi-amd64"
		return 0
	fi
	case $1 in
	6.1) apt-cache depends linux-headers-amd64 2>/dev/null |
		sed -n 's/.*Depends: \(linux-headers-6\.1\.[0-9.-]*-amd64\)$/\1/p' | head -n1 ;;
	6.12) apt-cache depends linux-headers-6.12-amd64 2>/dev/null |
		sed -n 's/.*Depends: \(linux-headers-6\.12\.[0-9a-z.+-]*-amd64\)$/\1/p' | head -n1 ;;
	esac
}

# Headers directory for a series.  For a series with a chroot it is the
# path inside the chroot (Debian's headers Makefile insists on it): build
# with kernel_make, and find it on the host under $(kernel_chroot SERIES).
headers_dir() {
	local d root abi
	root=$(kernel_chroot "$1") || return 1
	if [ -n "$root" ]; then
		abi=$(kernel_abi "$1")
		d=/usr/src/linux-headers-$abi-amd64
		[ -f "$root/.safe-complete" ] && [ -f "$root$d/Makefile" ] || return 1
		echo "$d"
		return 0
	fi
	# Prefer what is installed; newest first.
	case $1 in
	6.1) d=$(ls -d /usr/src/linux-headers-6.1.*-amd64 2>/dev/null | sort -V | tail -n1) ;;
	6.12) d=$(ls -d /usr/src/linux-headers-6.12.*-amd64 2>/dev/null | sort -V | tail -n1) ;;
	esac
	[ -n "$d" ] && [ -f "$d/Makefile" ] || return 1
	echo "$d"
}

# Make a kernel tree build this checkout as lib/safe: a symlink and one
# line each in lib/Kconfig and lib/Makefile.  For a cached tree, hold its
# kunit-SERIES lock while the tree builds.
kunit_overlay() {	# kunit_overlay TREE
	if [ "$(readlink "$1/lib/safe")" != "$SAFE_ROOT" ]; then
		ln -sfn "$SAFE_ROOT" "$1/lib/safe"
		# The objects another checkout built here are newer than this
		# one's sources, and make would keep them: make ours newer.
		find "$SAFE_ROOT/Kbuild" "$SAFE_ROOT/Kconfig" "$SAFE_ROOT/lib" \
			"$SAFE_ROOT/include" "$SAFE_ROOT/tests" -type f \
			-exec touch {} +
	fi
	grep -q 'lib/safe/Kconfig' "$1/lib/Kconfig" ||
		printf '\nsource "lib/safe/Kconfig"\n' >> "$1/lib/Kconfig"
	grep -q 'CONFIG_SAFE)' "$1/lib/Makefile" ||
		printf '\nobj-$(CONFIG_SAFE) += safe/\n' >> "$1/lib/Makefile"
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
