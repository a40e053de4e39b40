#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""doc-examples.py OUTDIR FILE... - turn the C examples of the docs into
translation units that scripts/doc-examples.sh compiles.

The C examples are the literal blocks of the .rst files (after a "::") and
the ```c blocks of the .md files that look like C.  Each becomes
OUTDIR/<name>.c with every safe header included, and OUTDIR/index lists
"name file line mode", one a line.

Most examples are fragments.  A comment right before the block says how to
compile one, and gives it the declarations it relies on:

    .. safe-example: body
       struct foo { struct mutex lock; int n; };
       struct foo *foo;

    Text, then the block::

        guard(mutex)(&foo->lock);
        foo->n++;

The first line's word is the mode:

    file    the block is file-scope code (the default)
    body    the block is the body of an int function, with "int ret;"
            declared; struct definitions that open it go to file scope
    skip    not C to compile (compiler output, pseudo-code); the rest of
            the line says why

The indented lines after it are file-scope declarations put before the
block.  In Markdown the comment is <!-- safe-example: MODE ... -->.  A line
that is just "..." in a block stands for elided code and is dropped, and
"{ ... }" becomes an empty block.  Unused functions and functions without
a prototype are fine in an example (scripts/doc-examples.sh).
"""

import os
import re
import sys

HEADERS = """#include <linux/module.h>
#include <linux/device.h>
#include <linux/io.h>
#include <linux/miscdevice.h>
#include <linux/slab.h>
#include <linux/safe/cleanup.h>
#include <linux/safe/guard.h>
#include <linux/safe/locked.h>
#include <linux/safe/free.h>
#include <linux/safe/pm_runtime.h>
#include <linux/safe/revocable.h>
#include <linux/safe/dma.h>
#include <linux/safe/file.h>
"""

C_HINT = re.compile(r"(;\s*(/\*.*)?$|^\s*[{}]\s*$|^#include|\)\s*$)", re.M)
NOT_C = re.compile(r"^\s*(\$ |make |insmod |spatch |obj-|[A-Z_]+ *:?= |error:)", re.M)


def looks_like_c(block):
    return bool(C_HINT.search(block)) and not NOT_C.search(block)


def dedent(lines):
    ind = min((len(l) - len(l.lstrip()) for l in lines if l.strip()), default=0)
    return [l[ind:] for l in lines]


def rst_blocks(path):
    lines = open(path).read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.rstrip().endswith("::") and not line.lstrip().startswith(".."):
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            k = j
            while k < len(lines) and (lines[k][:1] in (" ", "\t") or not lines[k].strip()):
                k += 1
            block = "\n".join(dedent(lines[j:k])).rstrip()
            yield j + 1, block, marker_before(lines, i)
            i = k
        else:
            i += 1


def marker_before(lines, i):
    """The ".. safe-example:" comment in the paragraph(s) before line i."""
    j = i
    # Walk back over the paragraph that ends in "::" and blank lines.
    while j > 0 and lines[j - 1].strip():
        j -= 1
    k = j - 1
    while k > 0 and not lines[k].strip():
        k -= 1
    # k is the last line of the thing before the paragraph; find its start.
    s = k
    while s > 0 and (lines[s][:1] in (" ", "\t")) and lines[s].strip():
        s -= 1
    m = re.match(r"\.\. safe-example:\s*(\w+)\s*(.*)$", lines[s]) if s >= 0 else None
    if not m:
        return None
    ctx = dedent([l for l in lines[s + 1:k + 1]])
    return m.group(1), m.group(2), "\n".join(ctx)


def md_blocks(path):
    text = open(path).read()
    pat = r"(<!-- safe-example:[ \t]*(\w+)[ \t]*([^\n]*?)[ \t]*(-->|\n(.*?)-->)\s*)?```c\n(.*?)```"
    for m in re.finditer(pat, text, re.S):
        line = text[:m.start(6)].count("\n") + 1
        marker = None
        if m.group(1):
            ctx = "\n".join(dedent((m.group(5) or "").split("\n"))).strip()
            marker = (m.group(2), m.group(3), ctx)
        yield line, m.group(6).rstrip(), marker


HOIST = re.compile(r"\A((?:struct \w+ \{\n(?:[ \t].*\n|\n)*?\};\n\n?)+)")


def unit(block, mode, ctx):
    body = "\n".join(l for l in block.split("\n") if l.strip() != "...")
    body = body.replace("{ ... }", "{ }") + "\n"
    out = [HEADERS, "MODULE_LICENSE(\"GPL\");", ""]
    if ctx:
        out += [ctx, ""]
    if mode == "body":
        # Struct definitions that open the block are file-scope code.
        m = HOIST.match(body)
        if m:
            out.append(m.group(1))
            body = body[m.end():]
        out += ["int safe_doc_example(void);", "int safe_doc_example(void)", "{",
                "\tint ret = 0;", ""]
        out += ["\t" + l if l else l for l in body.rstrip().split("\n")]
        out += ["\treturn ret;", "}"]
    else:
        out.append(body)
    return "\n".join(out) + "\n"


def main():
    outdir, files = sys.argv[1], sys.argv[2:]
    os.makedirs(outdir, exist_ok=True)
    index = []
    for path in files:
        blocks = md_blocks(path) if path.endswith(".md") else rst_blocks(path)
        base = re.sub(r"[^A-Za-z0-9]+", "_", os.path.splitext(path)[0]).strip("_")
        for line, block, marker in blocks:
            if marker is None and not looks_like_c(block):
                continue
            mode, why, ctx = marker or ("file", "", "")
            name = f"{base}_{line}"
            if mode == "skip":
                index.append(f"{name} {path} {line} skip {why}")
                continue
            if mode not in ("file", "body"):
                index.append(f"{name} {path} {line} bad-mode {mode}")
                continue
            with open(os.path.join(outdir, name + ".c"), "w") as f:
                f.write(unit(block, mode, ctx))
            index.append(f"{name} {path} {line} {mode}")
    with open(os.path.join(outdir, "index"), "w") as f:
        f.write("\n".join(index) + "\n")


if __name__ == "__main__":
    main()
