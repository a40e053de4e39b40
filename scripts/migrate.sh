#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# migrate.sh - "make migrate DIR=<driver dir> [KSRC=<kernel tree>] [PROFILE=...]"
#
# Converts a driver directory to guard()/scoped_guard(), __free() and owned
# DMA buffers with the semantic patches in coccinelle/, and writes one patch
# per file (a series) that builds with gcc and clang (W=1, -Werror) in KSRC,
# with checkpatch --strict run on each.  Prints every converted and every
# skipped site with its reason.  The tree itself is never modified.
#
#   DIR       driver directory, relative to KSRC, or any other directory
#             (an out-of-tree module, built as a whole against KDIR)
#   KSRC      kernel source tree (default: Debian's linux-source-6.12 in the
#             cache, unpacked on first use); its checkpatch.pl is used
#   KDIR      for an out-of-tree DIR: the kernel build directory (default:
#             the installed Debian 6.12 headers)
#   PROFILE   default | netdev | path to a profile file (coccinelle/profiles/)
#   OUT       where the series goes (default: $SAFE_CACHE/cocci/migrate/...)
#   RULES     comma list of lock_guard,free_ptr,dma_buf (default: all the
#             profile allows)
#   NO_BUILD  set to 1 to skip the compile checks (not recommended)
#
# Needs only Debian's coccinelle, gcc, clang/lld and the kernel build
# dependencies; build directories are prepared once in $SAFE_CACHE/cocci.

set -euo pipefail
. "$(dirname "$0")/lib.sh"

DIR=${DIR:-}
KSRC=${KSRC:-}
PROFILE=${PROFILE:-default}
OUT=${OUT:-}
RULES=${RULES:-lock_guard,free_ptr,dma_buf}
jobs=$SAFE_JOBS
[ "$jobs" -gt 2 ] && jobs=2

if [ -z "$DIR" ]; then
	say "usage: make migrate DIR=<driver dir> [KSRC=<kernel tree>] [KDIR=<build dir>] [PROFILE=default|netdev|FILE] [OUT=dir]"
	exit 2
fi
for t in spatch python3 gcc clang perl; do
	command -v "$t" > /dev/null || die "$t is missing (apt-get install coccinelle gcc clang lld perl)"
done
if [ -z "$KSRC" ]; then
	KSRC=$("$SAFE_ROOT/scripts/kernel-src.sh" 6.12)
fi

KDIR=${KDIR:-$(headers_dir 6.12 || true)}

args=(--ksrc "$KSRC" --dir "$DIR" --profile "$PROFILE" --rules "$RULES" --jobs "$jobs")
[ -n "$KDIR" ] && args+=(--kdir "$KDIR")
[ -n "$OUT" ] && args+=(--out "$OUT")
[ "${NO_BUILD:-0}" = 1 ] && args+=(--no-build)
exec python3 "$SAFE_ROOT/coccinelle/migrate.py" "${args[@]}"
