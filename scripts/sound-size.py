#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
sound-size.py NAME=MODULE.ko:SOURCE[,SOURCE...] ...

Code size and line count of sound drivers, one row each: the bytes of the
module's text sections (.text, .text.unlikely, .init.text, ...; from
"size -A"), and the lines of its sources, all and code only (no blank or
comment-only lines).  Sections of a source under "#ifdef CHIP1371" or
"#ifndef CHIP1370" are left out: ens1370.c builds both snd-ens1370 and
snd-es1371, and only the CHIP1370 side is in snd-ens1370.ko.  Library code
a module calls in other modules is not counted (safe.ko for es1370, snd.ko
and snd-pcm.ko for both).
"""
import re
import subprocess
import sys


def text_bytes(ko):
    out = subprocess.run(["size", "-A", ko], capture_output=True, text=True,
                         check=True).stdout
    return sum(int(f[1]) for f in (line.split() for line in out.splitlines())
               if len(f) >= 2 and f[0].startswith(".text")
               or len(f) >= 2 and re.match(r"\.\w+\.text$", f[0]))


def chip1370_lines(path):
    """The lines of @path a CHIP1370 build compiles (a small unifdef)."""
    keep = [True]           # per nesting level: are we keeping lines?
    kind = [None]           # per level: "chip" if the #if tested CHIP137x
    out = []
    for line in open(path, errors="replace"):
        s = line.strip()
        m = re.match(r"#\s*(ifdef|ifndef)\s+(CHIP1370|CHIP1371)\b", s)
        if m:
            on = (m.group(1) == "ifdef") == (m.group(2) == "CHIP1370")
            keep.append(keep[-1] and on)
            kind.append("chip")
            continue
        if re.match(r"#\s*if", s):
            keep.append(keep[-1])
            kind.append(None)
        elif re.match(r"#\s*else\b", s) and kind[-1] == "chip":
            keep[-1] = keep[-2] and not keep[-1]
            continue
        elif re.match(r"#\s*endif\b", s):
            chip = kind.pop() == "chip"
            keep.pop()
            if chip:
                continue
        if keep[-1]:
            out.append(line)
    return out


def count(lines):
    code = 0
    in_comment = False
    for line in lines:
        s = line.strip()
        while s:
            if in_comment:
                end = s.find("*/")
                if end < 0:
                    s = ""
                    break
                s = s[end + 2:].strip()
                in_comment = False
            elif s.startswith("/*"):
                in_comment = True
                s = s[2:]
            elif s.startswith("//"):
                s = ""
            else:
                code += 1
                in_comment = "/*" in s and "*/" not in s[s.rfind("/*"):]
                break
    return len(lines), code


def main():
    rows = []
    for arg in sys.argv[1:]:
        name, rest = arg.split("=", 1)
        ko, srcs = rest.split(":", 1)
        total = code = 0
        for src in srcs.split(","):
            t, c = count(chip1370_lines(src))
            total += t
            code += c
        rows.append((name, text_bytes(ko), total, code))
    print("  %-22s %10s %12s %12s" % ("driver", ".text bytes", "source lines",
                                        "code lines"))
    for r in rows:
        print("  %-22s %10d %12d %12d" % r)
    return 0


if __name__ == "__main__":
    sys.exit(main())
