#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
sound-summary.py - what tests/vm/es1370-hotplug saw, from its guest log.

    sound-summary.py LOG [LABEL]

Prints, per kind of cycle (playback, capture), how many cycles ran and how
each role's stream ended at the unplug (end[ROLE]=HOW@WHERE, counted), the
underruns and stalls the loads recovered from, whether the unbind finished
while the load held its files open, what a read of a mapped ring gave
afterwards, how long the unplugs took
(QMP device_del to DEVICE_DELETED, from scripts/sound-vm.py), the replays
and the result line.
"""
import re
import sys
from collections import Counter, OrderedDict


def main():
    if len(sys.argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    label = sys.argv[2] if len(sys.argv) > 2 else sys.argv[1]
    with open(sys.argv[1], errors="replace") as f:
        text = f.read()

    kinds = OrderedDict()
    for m in re.finditer(r"demo: ends (\w+) \d+: (.*?)\((\d+) xruns, "
                         r"(\d+) stalls\); unbind: (.*?); ring: (.*)", text):
        k = kinds.setdefault(m.group(1), {"cycles": 0, "ends": OrderedDict(),
                                          "xruns": 0, "stalls": 0,
                                          "unbind": Counter(),
                                          "ring": Counter()})
        k["cycles"] += 1
        k["xruns"] += int(m.group(3))
        k["stalls"] += int(m.group(4))
        k["unbind"][m.group(5)] += 1
        k["ring"][m.group(6).strip()] += 1
        for e in re.finditer(r"end\[([^]]+)\]=(\S+)", m.group(2)):
            k["ends"].setdefault(e.group(1), Counter())[e.group(2)] += 1

    print(f"{label}:")
    for name, k in kinds.items():
        print(f"  {name}: {k['cycles']} unplugs under load, "
              f"{k['xruns']} xruns and {k['stalls']} stalls recovered")
        for role, c in k["ends"].items():
            ends = ", ".join(f"{how} {n}" for how, n in c.most_common())
            print(f"    {role:13s} {ends}")
        for what in ("unbind", "ring"):
            c = k[what]
            print(f"    {what:13s} " +
                  ", ".join(f"{how}: {n}" for how, n in c.most_common()))
    times = sorted(float(t) for t in
                   re.findall(r"sound-vm: unplug took ([\d.]+) s", text))
    if times:
        print(f"  unplug (device_del to DEVICE_DELETED): {len(times)} times, "
              f"{times[0]:.2f} to {times[-1]:.2f} s, "
              f"median {times[len(times) // 2]:.2f} s")
    replays = re.findall(r"demo: replay \w+ \d+( FAILED)?", text)
    print(f"  replays after replug: {replays.count('')} clean of "
          f"{len(replays)}")
    for line in re.findall(r"demo: (?:rmmod|kernel log|kmemleak|[^:]*cycle \d+ FAILED|"
                           r"[^:]* stuck|\w+ cycle \d+: the card did not"
                           r"|\w+ cycle \d+: reloading).*", text):
        print(f"  {line[6:]}")
    res = re.findall(r"@@RESULT cycles=(\d+) failures=(\d+)", text)
    print("  result: " + (f"{res[-1][0]} cycles, {res[-1][1]} failures"
                          if res else "no result line (the run did not end)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
