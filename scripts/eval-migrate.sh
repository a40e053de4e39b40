#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# eval-migrate.sh - "make eval-migrate [FILES=300]
#	[PHASE=all|sample|drivers|history|checkers] [NEW=<7.3 tree>]":
# the migration rules on real drivers from Debian's linux-source-6.12
# (KSRC= for another tree), against the maintainers' conversions up to
# linux-source-7.3 (NEW=), and the checkers on 7.3.  See
# scripts/eval-migrate.py; the figures go to $SAFE_CACHE/cocci/eval/
# summary-*.txt.  Heavy: builds every changed file with gcc and clang, so
# at most two jobs.

set -euo pipefail
. "$(dirname "$0")/lib.sh"

jobs=$SAFE_JOBS
[ "$jobs" -gt 2 ] && jobs=2
KSRC=${KSRC:-$("$SAFE_ROOT/scripts/kernel-src.sh" 6.12)}
for t in spatch python3 gcc clang perl; do
	command -v "$t" > /dev/null || die "$t is missing (scripts/deps.sh installs it)"
done
phase=${PHASE:-all}
new=${NEW:-}
if [ -z "$new" ] && [ "$phase" != sample ] && [ "$phase" != drivers ]; then
	new=$("$SAFE_ROOT/scripts/kernel-src.sh" 7.3) ||
		die "no linux-source-7.3: pass NEW=<tree> (the history and checkers phases need it)"
fi
exec python3 "$SAFE_ROOT/scripts/eval-migrate.py" --ksrc "$KSRC" \
	--files "${FILES:-300}" --phase "$phase" --jobs "$jobs" ${new:+--new "$new"}
