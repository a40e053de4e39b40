#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# debian-pkg.sh - packages from other Debian suites, without touching the
# host's apt sources or installed packages.
#
#   debian-pkg.sh SUITE update
#	Refresh SUITE's package index (also done on demand when it is
#	missing or older than a day).
#   debian-pkg.sh SUITE version PKG
#	Print the version of PKG that SUITE offers; exit 1 if none.
#   debian-pkg.sh SUITE download PKG...
#	Download each PKG (a name, or name=version) into
#	$SAFE_CACHE/deb/SUITE unless it is there already, and print the path
#	of each .deb, one a line, in argument order.  Dependencies are not
#	followed.
#   debian-pkg.sh SUITE unpack DIR PKG...
#	Download as above and extract each .deb into DIR with dpkg-deb -x
#	(no maintainer scripts run, nothing is installed).  A package already
#	extracted there in the same version is skipped.  Prints DIR.
#   debian-pkg.sh SUITE[+SUITE...] chroot NAME PKG...
#	Make (once) a minimal SUITE system in $SAFE_CACHE/chroot/NAME with
#	mmdebstrap, including PKG... and their dependencies; for tools
#	linked against a newer C library than the host's (gcc-14, clang-23).
#	Suites after a "+" are added to its sources, e.g.
#	trixie+trixie-backports.  Naming more packages for an existing
#	chroot installs them there.  Prints the chroot's path.
#
# SUITE is a Debian suite name: trixie, trixie-backports, sid, ...
#
# Each suite gets a private apt configuration in $SAFE_CACHE/apt/SUITE:
# its own sources list, index lists, package cache and an empty dpkg
# status, selected with apt's -o Dir::... options.  The mirror is the one
# the host's own apt sources use for Debian, and the signatures are checked
# against the debian-archive-keyring package.  Release files are accepted
# past their Valid-Until date: a mirror that is a dated snapshot of the
# archive serves sid's with an expired date, and the signature still holds.  Work on one suite is
# serialised with a lock, so concurrent callers are safe.
#
# Example:
#	deb=$(scripts/debian-pkg.sh trixie-backports download linux-source-7.3)
#	scripts/debian-pkg.sh trixie-backports unpack /tmp/x linux-kbuild-7.3.4+deb13

set -euo pipefail
. "$(dirname "$0")/lib.sh"

usage() {
	sed -n 's/^#   debian-pkg.sh/usage: debian-pkg.sh/p' "$0" >&2
	exit 2
}

[ $# -ge 2 ] || usage
suite=$1 cmd=$2
shift 2
case $suite in
*[!a-z0-9.+-]* | "" | +* | *+) die "debian-pkg.sh: bad suite name '$suite'" ;;
*+*) [ "$cmd" = chroot ] || die "debian-pkg.sh: SUITE+SUITE is for chroot only" ;;
esac

state=$SAFE_CACHE/apt/$suite
debs=$SAFE_CACHE/deb/$suite
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

# The host's Debian mirror (not its security mirror), e.g.
# http://deb.debian.org/debian/.
mirror() {
	apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(TARGET_OF)' |
		awk '$3 == "deb" && $2 !~ /security/ { print $1; exit }' |
		grep . || echo http://deb.debian.org/debian/
}

apt_opts=(
	-o "Dir::Etc::sourcelist=$state/sources.list"
	-o "Dir::Etc::sourceparts=$state/none"
	-o "Dir::Etc::preferences=$state/preferences"
	-o "Dir::Etc::preferencesparts=$state/none"
	-o "Dir::State=$state"
	-o "Dir::State::Lists=$state/lists"
	-o "Dir::State::status=$state/status"
	-o "Dir::Cache=$state/cache"
	-o "APT::Architecture=$(dpkg --print-architecture)"
	-o APT::Architectures::=
	-o "APT::Architectures::=$(dpkg --print-architecture)"
	-o Acquire::Languages=none
	-o APT::Get::AllowUnauthenticated=false
	-o Acquire::Check-Valid-Until=false
	-o Debug::NoLocking=true
	-o APT::Sandbox::User=root
)

setup() {
	mkdir -p "$state/lists/partial" "$state/cache/archives/partial" \
		"$state/none" "$debs"
	[ -f "$state/status" ] || : > "$state/status"
	[ -f "$state/preferences" ] || : > "$state/preferences"
	local want
	want="deb [signed-by=$keyring] $(mirror) $suite main"
	if [ "$(cat "$state/sources.list" 2>/dev/null)" != "$want" ]; then
		printf '%s\n' "$want" > "$state/sources.list"
		rm -f "$state/updated"
	fi
}

update() {
	apt-get "${apt_opts[@]}" -q update >&2 ||
		die "debian-pkg.sh: apt-get update for $suite failed"
	touch "$state/updated"
}

fresh() {	# refresh the index when missing or older than a day
	[ -f "$state/updated" ] &&
		[ -z "$(find "$state/updated" -mmin +1440)" ] || update
}

version() {	# version PKG[=VER]
	local p=${1%%=*} v
	case $1 in
	*=*) echo "${1#*=}"; return 0 ;;
	esac
	v=$(apt-cache "${apt_opts[@]}" show --no-all-versions "$p" 2>/dev/null |
		sed -n 's/^Version: //p' | head -n1)
	[ -n "$v" ] || return 1
	echo "$v"
}

# The cached .deb for PKG at VER; dpkg's file names escape ':' as %3a.
deb_path() {
	local arch
	for arch in "$(dpkg --print-architecture)" all; do
		if [ -f "$debs/${1}_${2//:/%3a}_$arch.deb" ]; then
			echo "$debs/${1}_${2//:/%3a}_$arch.deb"
			return 0
		fi
	done
	return 1
}

download() {	# download PKG[=VER]... -> paths
	local a p v f
	for a in "$@"; do
		p=${a%%=*}
		v=$(version "$a") || die "debian-pkg.sh: $suite has no package $p"
		if ! f=$(deb_path "$p" "$v"); then
			(cd "$debs" && apt-get "${apt_opts[@]}" -q download "$p=$v" >&2) ||
				die "debian-pkg.sh: downloading $p=$v from $suite failed"
			f=$(deb_path "$p" "$v") ||
				die "debian-pkg.sh: $p=$v downloaded under an unexpected name"
		fi
		echo "$f"
	done
}

unpack() {	# unpack DIR PKG...
	local dir=$1 deb name stamp files
	shift
	mkdir -p "$dir/.safe-unpacked"
	mapfile -t files < <(download "$@")
	[ ${#files[@]} -eq $# ] || exit 1
	for deb in "${files[@]}"; do
		name=$(basename "$deb" .deb)
		stamp=$dir/.safe-unpacked/$name
		[ -f "$stamp" ] && continue
		dpkg-deb -x "$deb" "$dir" ||
			die "debian-pkg.sh: extracting $deb failed"
		touch "$stamp"
	done
	echo "$dir"
}

chroot_make() {	# chroot NAME PKG...
	local name=$1 root
	shift
	case $name in
	*[!A-Za-z0-9._-]* | "") die "debian-pkg.sh: bad chroot name '$name'" ;;
	esac
	root=$SAFE_CACHE/chroot/$name
	command -v mmdebstrap > /dev/null ||
		die "debian-pkg.sh: mmdebstrap is not installed (scripts/deps.sh installs it)"
	if [ ! -f "$root/.safe-complete" ]; then
		rm -rf "$root"
		mkdir -p "$(dirname "$root")"
		say "debian-pkg.sh: making a $suite chroot in $root"
		local pkgs s mirrors=()
		pkgs=$(IFS=,; echo "$*")
		for s in ${suite//+/ }; do
			mirrors+=("deb [signed-by=$keyring] $(mirror) $s main")
		done
		mmdebstrap --variant=apt --mode=root --quiet \
			--keyring="$keyring" \
			--aptopt='Acquire::Languages "none"' \
			--aptopt='Acquire::Check-Valid-Until "false"' \
			--dpkgopt='path-exclude=/usr/share/doc/*' \
			--dpkgopt='path-exclude=/usr/share/man/*' \
			--dpkgopt='path-exclude=/usr/share/locale/*' \
			${pkgs:+--include="$pkgs"} \
			"${suite%%+*}" "$root" "${mirrors[@]}" >&2 ||
			{ rm -rf "$root"; die "debian-pkg.sh: mmdebstrap $suite failed"; }
		printf '%s\n' "$@" > "$root/.safe-packages"
		touch "$root/.safe-complete"
	else
		local p missing=()
		for p in "$@"; do
			grep -qx "$p" "$root/.safe-packages" || missing+=("$p")
		done
		if [ ${#missing[@]} -gt 0 ]; then
			chroot "$root" apt-get -q update >&2
			chroot "$root" env DEBIAN_FRONTEND=noninteractive \
				apt-get -q install -y --no-install-recommends \
				"${missing[@]}" >&2 ||
				die "debian-pkg.sh: installing ${missing[*]} in $root failed"
			printf '%s\n' "${missing[@]}" >> "$root/.safe-packages"
		fi
	fi
	echo "$root"
}

mkdir -p "$SAFE_CACHE/locks"
exec 8> "$SAFE_CACHE/locks/debian-$suite"
flock 8
[ "$cmd" = chroot ] || setup

case $cmd in
update)
	update
	;;
version)
	[ $# -eq 1 ] || usage
	fresh
	version "$1" || exit 1
	;;
download)
	[ $# -ge 1 ] || usage
	fresh
	download "$@"
	;;
unpack)
	[ $# -ge 2 ] || usage
	fresh
	unpack "$@"
	;;
chroot)
	[ $# -ge 1 ] || usage
	chroot_make "$@"
	;;
*)
	usage
	;;
esac
