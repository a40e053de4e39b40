#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# eval-migrate.sh - "make eval-migrate [FILES=300] [PHASE=all|sample|drivers]":
# the migration rules on real drivers from Debian's linux-source-6.12
# (KSRC= for another tree).  See scripts/eval-migrate.py; the figures go to
# $SAFE_CACHE/cocci/eval/summary-*.txt.  Heavy: builds every changed file
# with gcc and clang, so at most two jobs.

set -euo pipefail
. "$(dirname "$0")/lib.sh"

jobs=$SAFE_JOBS
[ "$jobs" -gt 2 ] && jobs=2
KSRC=${KSRC:-$("$SAFE_ROOT/scripts/kernel-src.sh" 6.12)}
for t in spatch python3 gcc clang perl; do
	command -v "$t" > /dev/null || die "$t is missing (scripts/deps.sh installs it)"
done
exec python3 "$SAFE_ROOT/scripts/eval-migrate.py" --ksrc "$KSRC" \
	--files "${FILES:-300}" --phase "${PHASE:-all}" --jobs "$jobs"
