#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
cocci-compare.py - how scripts/check-cocci.sh judges one test case.

	cocci-compare.py tokens EXPECTED GOT	# same C tokens (as spatch --test)
	cocci-compare.py spacing EXPECTED GOT	# byte for byte (--test-spacing)
	cocci-compare.py cases SRC OUT AGAIN	# every case of a rule

Exit status 0 when they agree; otherwise 1 and a unified diff on stdout.
"cases" judges each SRC/CASE.c: OUT/CASE.c is the rule's output for it,
AGAIN/CASE.c its output for the expected file; it prints "PASS CASE" or
"FAIL CASE why", writes the diff to OUT/CASE.diff, and always exits 0.
Tokens come from the tokenizer in coccinelle/safecocci.py; comments are
tokens too, whitespace is not.
"""

import difflib
import os
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'coccinelle'))
import fixup  # noqa: E402
import safecocci  # noqa: E402


def tokens(path):
	with open(path, errors='replace') as f:
		src = f.read()
	toks, comments = safecocci.tokenize(src)
	out = [(t.off, ' '.join(t.t.split())) for t in toks]
	out += [(a, ' '.join(src[a:b].split())) for a, b, _ in comments]
	return [t for _, t in sorted(out)]


def compare(mode, exp, got):
	"""None when they agree, else a unified diff."""
	if mode == 'tokens':
		a, b = tokens(exp), tokens(got)
		if a == b:
			return None
		a = [x + '\n' for x in a]
		b = [x + '\n' for x in b]
	else:
		with open(exp, errors='replace') as f:
			a = f.readlines()
		with open(got, errors='replace') as f:
			b = f.readlines()
		if a == b:
			return None
	return ''.join(difflib.unified_diff(a, b, 'expected', 'got', n=2))


def read(path):
	with open(path, errors='replace') as f:
		return f.read()


def cases(src, out, again):
	for fn in sorted(os.listdir(src)):
		if not fn.endswith('.c'):
			continue
		n = fn[:-2]
		inp = os.path.join(src, fn)
		exp = os.path.join(src, n + '.res')
		if not os.path.exists(exp):
			exp = inp
		got = os.path.join(out, fn)
		fixed = got + '.fixed'
		verdict = None
		d = compare('tokens', exp, got)
		if d is not None:
			verdict = 'tokens differ from ' + os.path.basename(exp)
		else:
			shutil.copyfile(got, fixed)
			before, after = read(inp), read(got)
			if before != after:
				with open(fixed, 'w') as f:
					f.write(fixup.fix(before, after))
			d = compare('spacing', exp, fixed)
			if d is not None:
				verdict = 'spacing differs from ' + os.path.basename(exp)
			else:
				d = compare('spacing', exp, os.path.join(again, fn))
				if d is not None:
					verdict = 'not idempotent: the rule changes ' + os.path.basename(exp)
		with open(os.path.join(out, n + '.diff'), 'w') as f:
			f.write(d or '')
		print('PASS %s' % n if verdict is None else 'FAIL %s %s' % (n, verdict))
	return 0


def main(argv):
	if len(argv) == 5 and argv[1] == 'cases':
		return cases(*argv[2:])
	if len(argv) != 4 or argv[1] not in ('tokens', 'spacing'):
		sys.stderr.write(__doc__)
		return 2
	d = compare(*argv[1:])
	if d is None:
		return 0
	sys.stdout.write(d)
	return 1


if __name__ == '__main__':
	sys.exit(main(sys.argv))
