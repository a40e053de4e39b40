#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# compat-upstream.sh SERIES - the __free() rows of safe's class table
# (include/linux/safe/compat/classes.h) must be the definitions of the
# newest kernel, SERIES: a backfill that frees differently (an ERR_PTR()
# freed on one kernel and skipped on another) would make a driver behave
# differently on the kernels safe supports.  Compares what each row's
# DEFINE_FREE() does (condition and action) with the one in
# linux-source-SERIES, and prints one result line per row.

set -uo pipefail
. "$(dirname "$0")/lib.sh"

series=$1
src=$("$SAFE_ROOT/scripts/kernel-src.sh" "$series") ||
	{ result FAIL "compat/$series/source"; exit 1; }

# DEFINE_FREE(...) invocations of the files named, one a line, whitespace
# squeezed (comments and macro definitions skipped).
frees() {
	python3 - "$@" <<'PY'
import re
import sys

for path in sys.argv[1:]:
    text = re.sub(r"/\*.*?\*/", " ", open(path, errors="replace").read(), flags=re.S)
    text = re.sub(r"^#\s*define(.*\\\n)*.*$", " ", text, flags=re.M)
    for m in re.finditer(r"\bDEFINE_FREE\(", text):
        depth, i = 0, m.end() - 1
        while i < len(text):
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            if depth == 0:
                break
            i += 1
        call = re.sub(r"\s+", " ", text[m.start():i + 1])
        print(call.replace("( ", "(").replace(" )", ")"))
PY
}

mapfile -t rows < <(frees "$SAFE_ROOT/include/linux/safe/compat/classes.h")
[ ${#rows[@]} -gt 0 ] || { result FAIL "compat/$series/no-free-rows"; exit 1; }
up=$(mktemp)
trap 'rm -f "$up"' EXIT
mapfile -t files < <(grep -rl 'DEFINE_FREE(' "$src/include/linux")
frees "${files[@]}" > "$up"

# The free action of a DEFINE_FREE() as "when COND: ACTION": upstream writes
# "if (C) f(_T)", safe "C ? f(_T) : (void)0" (checkpatch reads the former as
# misindented code); both mean the same.
meaning() {
	python3 - "$1" <<'PY'
import re
import sys

row = sys.argv[1]
m = re.match(r"DEFINE_FREE\((\w+), (.*?), (.*)\)$", row)
name, typ, body = m.groups()
cond, act = "always", body
if m2 := re.fullmatch(r"if \((.*)\) (.*)", body):
    cond, act = m2.groups()
elif m2 := re.fullmatch(r"(.*) \? \(void\)0 : (.*)", body):
    cond, act = "!" + m2.group(1), m2.group(2)
elif m2 := re.fullmatch(r"(.*) \? (.*) : \(void\)0", body):
    cond, act = m2.groups()
cond = re.sub(r"^!!", "", cond.replace("!(", "!").strip())
print(f"{name} {typ}: when {cond}: {act}")
PY
}

for row in "${rows[@]}"; do
	name=$(sed 's/^DEFINE_FREE(\([A-Za-z0-9_]*\),.*/\1/' <<< "$row")
	theirs=$(grep -F "DEFINE_FREE($name," "$up" | head -n1)
	if [ -z "$theirs" ]; then
		say "compat: linux-source-$series has no __free($name)"
		result FAIL "compat/$series/free/$name"
	elif [ "$(meaning "$row")" = "$(meaning "$theirs")" ]; then
		result PASS "compat/$series/free/$name"
	else
		say "compat: __free($name) differs from linux-source-$series:"
		say "  safe:     $(meaning "$row")"
		say "  upstream: $(meaning "$theirs")"
		result FAIL "compat/$series/free/$name"
	fi
done
