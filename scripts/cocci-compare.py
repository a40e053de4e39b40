#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
cocci-compare.py - how scripts/check-cocci.sh judges one test case.

	cocci-compare.py tokens EXPECTED GOT	# same C tokens (as spatch --test)
	cocci-compare.py spacing EXPECTED GOT	# byte for byte (--test-spacing)

Exit status 0 when they agree; otherwise 1 and a unified diff on stdout.
Tokens come from the tokenizer in coccinelle/safecocci.py; comments are
tokens too, whitespace is not.
"""

import difflib
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'coccinelle'))
import safecocci  # noqa: E402


def tokens(path):
	with open(path, errors='replace') as f:
		src = f.read()
	toks, comments = safecocci.tokenize(src)
	out = [(t.off, ' '.join(t.t.split())) for t in toks]
	out += [(a, ' '.join(src[a:b].split())) for a, b, _ in comments]
	return [t for _, t in sorted(out)]


def main(argv):
	if len(argv) != 4 or argv[1] not in ('tokens', 'spacing'):
		sys.stderr.write(__doc__)
		return 2
	mode, exp, got = argv[1:]
	if mode == 'tokens':
		a, b = tokens(exp), tokens(got)
		if a == b:
			return 0
		a = [x + '\n' for x in a]
		b = [x + '\n' for x in b]
	else:
		with open(exp, errors='replace') as f:
			a = f.readlines()
		with open(got, errors='replace') as f:
			b = f.readlines()
		if a == b:
			return 0
	sys.stdout.writelines(difflib.unified_diff(a, b, 'expected', 'got', n=2))
	return 1


if __name__ == '__main__':
	sys.exit(main(sys.argv))
