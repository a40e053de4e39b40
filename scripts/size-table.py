#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
size-table.py FEATURES.h < "symbol hexsize" lines

Pairs bench_raw_<class> with bench_guard_<class> and prints their .text
sizes, ratio, and totals split by who defines the class on this kernel
(the feature probe's SAFE_HAVE_CLASS_* says the kernel does).
"""
import re
import sys

have = set(re.findall(r"SAFE_HAVE_CLASS_(\w+) 1", open(sys.argv[1]).read()))
sizes = {}
for line in sys.stdin:
    name, size = line.split()
    kind, cls = name.split("_", 2)[1:]
    sizes.setdefault(cls, {})[kind] = int(size, 16)

totals = {True: [0, 0], False: [0, 0]}
hdr = ("class", "defined by", "raw", "guard", "ratio")
print("  %-28s %-10s %5s %5s %6s" % hdr)
for cls in sorted(sizes):
    raw, guard = sizes[cls]["raw"], sizes[cls]["guard"]
    kernel = cls in have
    totals[kernel][0] += raw
    totals[kernel][1] += guard
    print("  %-28s %-10s %5d %5d %6.2f"
          % (cls, "kernel" if kernel else "safe", raw, guard, guard / raw))
for kernel, label in ((False, "classes safe defines"),
                      (True, "classes the kernel defines")):
    raw, guard = totals[kernel]
    if raw:
        print("  %-39s %5d %5d %6.2f" % ("total, " + label, raw, guard,
                                         guard / raw))
raw = totals[True][0] + totals[False][0]
guard = totals[True][1] + totals[False][1]
print("  %-39s %5d %5d %6.2f" % ("total, all %d pairs" % len(sizes), raw,
                                 guard, guard / raw))
