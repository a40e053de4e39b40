#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
doc-sections.py FILE... - every public symbol must carry kernel-doc with
"Context:" and "Return:" sections.

Public symbols are the non-static functions in .c files and, in headers,
the functions and macros whose names do not start with an underscore and
that are not include guards.  Each must be preceded by a /** ... */ block
that names it and has both sections.  Prints one line per problem; exits 1
if there is any.
"""
import re
import sys

DOC = re.compile(r'/\*\*\s*\n(.*?)\*/', re.S)
MACRO = re.compile(r'^#define\s+([A-Za-z][A-Za-z0-9_]*)\(', re.M)
FUNC = re.compile(r'^(?!static\b)(?:[A-Za-z_][\w\s\*]*?[\s\*])'
                  r'([A-Za-z][A-Za-z0-9_]*)\s*\([^;{]*\)\s*\{', re.M)
# Functions defined in a header (static inline); prototypes are documented
# at their definition, in lib/.
HFUNC = re.compile(r'^static\s+inline\s+(?:[A-Za-z_][\w\s\*]*?[\s\*])'
                   r'([a-z][a-z0-9_]*)\s*\([^;{]*\)\s*\{', re.M)


def documented(text):
    docs = {}
    for m in DOC.finditer(text):
        body = m.group(1)
        first = re.search(r'\*\s*(?:struct\s+|union\s+|enum\s+)?'
                          r'([A-Za-z_][A-Za-z0-9_]*)\s*(?:\(\))?\s*-', body)
        if first:
            docs[first.group(1)] = body
    return docs


def main(paths):
    bad = 0
    for path in paths:
        text = open(path).read()
        docs = documented(text)
        names = set()
        if path.endswith('.h'):
            # _3/_4 are the arity helpers of the variadic macros.
            names |= {n for n in MACRO.findall(text)
                      if not n.startswith('_')
                      and not re.search(r'_[0-9]$', n)}
            # A stub for a config option whose real function, declared
            # in the same header, is documented where it is defined.
            protos = set(re.findall(r'^[\w\s\*]*?\b(\w+)\([^;{)]*(?:\)[^;{]*)?;',
                                    text, re.M))
            names |= {n for n in HFUNC.findall(text)
                      if not n.startswith('_') and n.startswith('safe_')
                      and n not in protos}
        else:
            names |= {n for n in FUNC.findall(text) if n.startswith('safe_')}
        for name in sorted(names):
            body = docs.get(name)
            if body is None:
                print(f'{path}: {name}: no kernel-doc comment')
                bad += 1
                continue
            for section in ('Context:', 'Return:'):
                if section not in body:
                    print(f'{path}: {name}: kernel-doc lacks "{section}"')
                    bad += 1
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
