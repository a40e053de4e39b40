#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# cocci-macros.sh - print the path of the macro hints file to pass to
# spatch with --macro-file-builtins: spatch's own standard.h followed by
# coccinelle/safe_macros.h, which holds only what standard.h lacks for the
# cleanup.h API.  (spatch 1.1.1 applies iterator and attribute hints only
# from the builtins file, not from --macro-file.)  Built in the cache and
# rebuilt when either input changes.

set -euo pipefail
. "$(dirname "$0")/lib.sh"

std=$(spatch --help 2>/dev/null | sed -n 's/.*--macro-file-builtins.*(default=\(.*\))$/\1/p')
std=${std:-/usr/lib/coccinelle/standard.h}
[ -f "$std" ] || die "spatch's standard.h not found ($std)"
out=$SAFE_CACHE/cocci/safe_builtins.h
mkdir -p "$(dirname "$out")"
if [ ! -f "$out" ] || [ "$std" -nt "$out" ] || [ "$SAFE_ROOT/coccinelle/safe_macros.h" -nt "$out" ]; then
	cat "$SAFE_ROOT/coccinelle/safe_macros.h" "$std" > "$out.tmp.$$"
	mv "$out.tmp.$$" "$out"
fi
echo "$out"
