#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
edu-size.py SAFE.ko LEGACY.ko

.text bytes per function of examples/edu (written with safe) and
examples/edu-legacy (the traditional way), side by side by function name,
with the totals of every text section.  Library code the safe driver calls
in safe.ko is not counted; the inline parts of the API are.  The safe
driver runs write, readback and round trip through one edu_transfer();
the legacy one has three copies of that path, as such drivers often do.
"""
import subprocess
import sys


def functions(ko):
    out = subprocess.run(["nm", "-S", ko], capture_output=True, text=True,
                         check=True).stdout
    sizes = {}
    for line in out.splitlines():
        f = line.split()
        # __pfx_ symbols are the 16-byte call padding before each function.
        if len(f) == 4 and f[2] in "tT" and not f[3].startswith("__pfx_") \
                and f[3] not in ("init_module", "cleanup_module"):
            sizes[f[3]] = sizes.get(f[3], 0) + int(f[1], 16)
    return sizes


safe, legacy = functions(sys.argv[1]), functions(sys.argv[2])
print("  %-24s %6s %6s" % ("function", "safe", "legacy"))
for name in sorted(set(safe) | set(legacy),
                   key=lambda n: -max(safe.get(n, 0), legacy.get(n, 0))):
    print("  %-24s %6s %6s" % (name, safe.get(name, "-"),
                               legacy.get(name, "-")))
ts, tl = sum(safe.values()), sum(legacy.values())
print("  %-24s %6d %6d  ratio %.2f" % ("total", ts, tl, ts / tl))
