#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kernel-src.sh SERIES - make sure Debian's linux-source-SERIES is unpacked in
# the cache and print its path.  Downloads with apt-get download, from the
# host's suite or through scripts/debian-pkg.sh from the suite that
# scripts/lib.sh names for SERIES; reuses the tree on later runs.

set -euo pipefail
. "$(dirname "$0")/lib.sh"

series=$1
dir=$(source_dir "$series")

suite=$(kernel_suite "$series") || die "unknown kernel series $series"

if [ ! -f "$dir/.safe-unpacked" ]; then
	mkdir -p "$SAFE_CACHE/deb"
	with_lock "src-$series" bash -c '
		set -euo pipefail
		series=$1 dir=$2 cache=$3 suite=$4 root=$5
		[ -f "$dir/.safe-unpacked" ] && exit 0
		cd "$cache/deb"
		if [ "$suite" = host ]; then
			ls linux-source-${series}_*.deb >/dev/null 2>&1 ||
				apt-get download "linux-source-$series" >&2
			deb=$(ls linux-source-${series}_*.deb | sort -V | tail -n1)
		else
			deb=$(bash "$root/scripts/debian-pkg.sh" "$suite" \
				download "linux-source-$series")
		fi
		rm -rf "$dir" "$dir.x"
		mkdir -p "$dir.x"
		dpkg -x "$deb" "$dir.x"
		tar -C "$(dirname "$dir")" -xf "$dir.x"/usr/src/linux-source-$series.tar.*
		rm -rf "$dir.x"
		touch "$dir/.safe-unpacked"
	' _ "$series" "$dir" "$SAFE_CACHE" "$suite" "$SAFE_ROOT"
fi
echo "$dir"
